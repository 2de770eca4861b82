using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ProxyWasm.Analyzers.HotPath;

/// <summary>A hot-path rule violation found in a method body; reported only if the method turns out to be hot.</summary>
internal sealed class Finding
{
    public Finding(DiagnosticDescriptor descriptor, Location location, object?[] args, ImmutableDictionary<string, string?>? properties = null)
    {
        Descriptor = descriptor;
        Location = location;
        Args = args;
        Properties = properties;
    }

    public DiagnosticDescriptor Descriptor { get; }
    public Location Location { get; }
    public object?[] Args { get; }
    public ImmutableDictionary<string, string?>? Properties { get; }

    /// <summary>The opt-out group; 0 for rules no <c>Allow</c> flag turns off (PXW2009).</summary>
    public HotPathGroup Group => Descriptor.Id.StartsWith("PXW1", System.StringComparison.Ordinal) ? HotPathDescriptors.GroupOf(Descriptor) : HotPathGroup.None;

    /// <summary>The diagnostic, with <paramref name="via"/> as the last message argument. <paramref name="live"/>: reported
    /// while the member is analyzed (the descriptor's untagged twin), rather than at compilation end.</summary>
    public Diagnostic ToDiagnostic(string via, bool live = false)
    {
        object?[] args = new object?[Args.Length + 1];
        Args.CopyTo(args, 0);
        args[Args.Length] = via;
        return Diagnostic.Create(live ? DiagnosticHelp.Live(Descriptor) : Descriptor, Location, Properties, args);
    }
}
