using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ProxyWasm.Analyzers;

/// <summary>Shared descriptor conventions: one ID prefix, one docs page per ID.</summary>
internal static class DiagnosticHelp
{
    /// <summary>The ID prefix of every ProxyWasm diagnostic: PXW0xxx usage, PXW1xxx hot-path performance, PXW2xxx sandbox.</summary>
    public const string Prefix = "PXW";

    /// <summary>Categories.</summary>
    public const string Usage = "ProxyWasm.Usage";

    /// <summary>Hot-path allocation rules.</summary>
    public const string Performance = "ProxyWasm.Performance";

    /// <summary>Rules for what cannot work inside the proxy's single-threaded wasm sandbox.</summary>
    public const string Sandbox = "ProxyWasm.Sandbox";

    /// <summary>The docs page of <paramref name="id"/>: <c>docs/diagnostics/&lt;ID&gt;.md</c> in the repository.</summary>
    public static string HelpLink(string id) => "https://github.com/proxywasm-generators/ProxyWasm.Generators/blob/main/docs/diagnostics/" + id + ".md";

    private static readonly ConcurrentDictionary<DiagnosticDescriptor, DiagnosticDescriptor> s_live = new();

    /// <summary>
    /// The twin of a <see cref="WellKnownDiagnosticTags.CompilationEnd"/> descriptor without that tag, for the same rule
    /// reported while a member is analyzed. The IDE's as-you-type analysis only computes IDs that have a descriptor
    /// without the tag, so a rule that is reported both ways needs both descriptors (Roslyn supports several
    /// descriptors with one ID).
    /// </summary>
    public static DiagnosticDescriptor Live(DiagnosticDescriptor descriptor) => s_live.GetOrAdd(descriptor, static d =>
#pragma warning disable RS1017 // The ID is the constant ID of the tagged descriptor this one mirrors.
        new DiagnosticDescriptor(d.Id, d.Title, d.MessageFormat, d.Category, d.DefaultSeverity, d.IsEnabledByDefault, d.Description, d.HelpLinkUri,
            d.CustomTags.Where(t => t != WellKnownDiagnosticTags.CompilationEnd).ToArray()));
#pragma warning restore RS1017
}
