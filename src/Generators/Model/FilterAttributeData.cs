using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using ProxyWasm.Abi;

namespace ProxyWasm.Generators.Filters;

/// <summary>The arguments of one <c>[HttpFilter(rootId, Plugin = ..., OnError = ...)]</c> or <c>[NetworkFilter(...)]</c>
/// (the same shape), read once, typed.</summary>
internal sealed class FilterAttributeData
{
    private FilterAttributeData(FilterKind kind, string? rootId, ITypeSymbol? plugin, FailurePolicy onError, Location? location, ITypeSymbol? configuration)
    {
        Configuration = configuration;
        Kind = kind;
        RootId = rootId;
        Plugin = plugin;
        OnError = onError;
        Location = location;
    }

    /// <summary>Which attribute it is.</summary>
    public FilterKind Kind { get; }

    /// <summary>The attribute's name as written in messages: <c>[HttpFilter]</c> or <c>[NetworkFilter]</c>.</summary>
    public string AttributeName => Name(Kind);

    /// <summary><c>[HttpFilter]</c> or <c>[NetworkFilter]</c>.</summary>
    public static string Name(FilterKind kind) => kind == FilterKind.Network ? "[NetworkFilter]" : "[HttpFilter]";

    /// <summary>The constructor's root id, or null when it is missing or not a string constant.</summary>
    public string? RootId { get; }

    /// <summary>The <c>Plugin</c> type, or null.</summary>
    public ITypeSymbol? Plugin { get; }

    /// <summary>The <c>Configuration</c> type, or null.</summary>
    public ITypeSymbol? Configuration { get; }

    /// <summary>The <c>OnError</c> policy (default fail-closed).</summary>
    public FailurePolicy OnError { get; }

    /// <summary>Where the attribute is applied, if in source.</summary>
    public Location? Location { get; }

    public static FilterAttributeData Read(AttributeData attribute, CancellationToken ct)
    {
        string? rootId = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        ITypeSymbol? plugin = null;
        ITypeSymbol? configuration = null;
        FailurePolicy onError = FailurePolicy.FailClosed;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Plugin" when argument.Value.Kind == TypedConstantKind.Type:
                    plugin = argument.Value.Value as ITypeSymbol;
                    break;
                case "Configuration" when argument.Value.Kind == TypedConstantKind.Type:
                    configuration = argument.Value.Value as ITypeSymbol;
                    break;
                case "OnError" when argument.Value.Value is int policy:
                    onError = policy == (int)FailurePolicy.FailOpen ? FailurePolicy.FailOpen : FailurePolicy.FailClosed;
                    break;
            }
        }

        FilterKind kind = attribute.AttributeClass?.ToDisplayString() == KnownTypes.NetworkFilterAttributeName ? FilterKind.Network : FilterKind.Http;
        return new FilterAttributeData(kind, rootId, plugin, onError, attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation(), configuration);
    }
}
