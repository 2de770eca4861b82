using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ProxyWasm.Generators.Filters;

/// <summary>The arguments of one <c>[HttpFilter(rootId, Plugin = ..., OnError = ...)]</c>, read once, typed.</summary>
internal sealed class HttpFilterAttributeData
{
    private HttpFilterAttributeData(string? rootId, ITypeSymbol? plugin, FailurePolicy onError, Location? location)
    {
        RootId = rootId;
        Plugin = plugin;
        OnError = onError;
        Location = location;
    }

    /// <summary>The constructor's root id, or null when it is missing or not a string constant.</summary>
    public string? RootId { get; }

    /// <summary>The <c>Plugin</c> type, or null.</summary>
    public ITypeSymbol? Plugin { get; }

    /// <summary>The <c>OnError</c> policy (default fail-closed).</summary>
    public FailurePolicy OnError { get; }

    /// <summary>Where the attribute is applied, if in source.</summary>
    public Location? Location { get; }

    public static HttpFilterAttributeData Read(AttributeData attribute, CancellationToken ct)
    {
        string? rootId = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        ITypeSymbol? plugin = null;
        FailurePolicy onError = FailurePolicy.FailClosed;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Plugin" when argument.Value.Kind == TypedConstantKind.Type:
                    plugin = argument.Value.Value as ITypeSymbol;
                    break;
                case "OnError" when argument.Value.Value is int policy:
                    onError = policy == (int)FailurePolicy.FailOpen ? FailurePolicy.FailOpen : FailurePolicy.FailClosed;
                    break;
            }
        }

        return new HttpFilterAttributeData(rootId, plugin, onError, attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation());
    }
}
