using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using ProxyWasm.Abi;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// The ProxyWasm.Runtime types the model builder compares against, resolved once per compilation and compared with
/// <see cref="SymbolEqualityComparer"/>: the hook attributes (one per <see cref="ProxyCallbacks"/> row with a hook),
/// the handle types a hook parameter binds to, and the status types a hook returns.
/// </summary>
internal sealed class KnownTypes
{
    public const string HttpFilterAttributeName = "ProxyWasm.HttpFilterAttribute";

    public const string NetworkFilterAttributeName = "ProxyWasm.NetworkFilterAttribute";

    private static readonly ConditionalWeakTable<Compilation, KnownTypes> s_cache = new();

    private readonly Dictionary<ISymbol, ProxyCallback> _hooks = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, ParameterBinding> _handles = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<CallbackResult, INamedTypeSymbol> _statuses = new();

    private KnownTypes(Compilation compilation)
    {
        HttpFilterAttribute = compilation.GetTypeByMetadataName(HttpFilterAttributeName);
        NetworkFilterAttribute = compilation.GetTypeByMetadataName(NetworkFilterAttributeName);
        ReadOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
        HeaderAttribute = compilation.GetTypeByMetadataName("ProxyWasm.HeaderAttribute");
        PropertyAttribute = compilation.GetTypeByMetadataName("ProxyWasm.PropertyAttribute");
        OptionalBytes = compilation.GetTypeByMetadataName("ProxyWasm.OptionalBytes");
        HeaderPairs = compilation.GetTypeByMetadataName("ProxyWasm.HeaderPairs");
        PlainTextConfiguration = compilation.GetTypeByMetadataName("ProxyWasm.IPlainTextConfiguration`1");
        JsonSerializerContext = compilation.GetTypeByMetadataName(JsonSerializerContextName);
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        foreach (ProxyCallback callback in ProxyCallbacks.All)
        {
            if (callback.Hook is { } hook && compilation.GetTypeByMetadataName("ProxyWasm." + hook + "Attribute") is { } attribute)
            {
                _hooks[attribute] = callback;
            }

            if (callback.StatusType is { } status && compilation.GetTypeByMetadataName("ProxyWasm." + status) is { } statusType)
            {
                _statuses[callback.Result] = statusType;
            }
        }

        Handle(compilation, "ProxyWasm.RequestHeaders", ParameterBinding.RequestHeaders);
        Handle(compilation, "ProxyWasm.RequestTrailers", ParameterBinding.RequestTrailers);
        Handle(compilation, "ProxyWasm.ResponseHeaders", ParameterBinding.ResponseHeaders);
        Handle(compilation, "ProxyWasm.ResponseTrailers", ParameterBinding.ResponseTrailers);
        Handle(compilation, "ProxyWasm.RequestBody", ParameterBinding.RequestBody);
        Handle(compilation, "ProxyWasm.ResponseBody", ParameterBinding.ResponseBody);
        Handle(compilation, "ProxyWasm.HttpStream", ParameterBinding.Stream);
        Handle(compilation, "ProxyWasm.HttpCallResponse", ParameterBinding.HttpCallResponse);
        Handle(compilation, "ProxyWasm.GrpcMessage", ParameterBinding.GrpcMessage);
        Handle(compilation, "ProxyWasm.GrpcMetadata", ParameterBinding.GrpcMetadata);
        Handle(compilation, "ProxyWasm.GrpcClose", ParameterBinding.GrpcClose);
        Handle(compilation, "ProxyWasm.DownstreamData", ParameterBinding.DownstreamData);
        Handle(compilation, "ProxyWasm.UpstreamData", ParameterBinding.UpstreamData);
        Handle(compilation, "ProxyWasm.PeerType", ParameterBinding.PeerType);
        Handle(compilation, "ProxyWasm.SharedQueue", ParameterBinding.SharedQueue);
        Handle(compilation, "ProxyWasm.NetworkStream", ParameterBinding.NetworkStream);
    }

    /// <summary>The types of <paramref name="compilation"/> (cached while the compilation lives).</summary>
    public static KnownTypes For(Compilation compilation) => s_cache.GetValue(compilation, static c => new KnownTypes(c));

    /// <summary><c>ProxyWasm.HttpFilterAttribute</c>, or null when the compilation does not reference the runtime.</summary>
    public INamedTypeSymbol? HttpFilterAttribute { get; }

    /// <summary><c>ProxyWasm.NetworkFilterAttribute</c>, or null when the runtime is older or absent.</summary>
    public INamedTypeSymbol? NetworkFilterAttribute { get; }

    public INamedTypeSymbol? ReadOnlySpan { get; }

    /// <summary>The metadata name of System.Text.Json's source generation attribute (a pipeline of its own).</summary>
    public const string JsonSerializableAttributeName = "System.Text.Json.Serialization.JsonSerializableAttribute";

    /// <summary>The metadata name of System.Text.Json's context base class.</summary>
    public const string JsonSerializerContextName = "System.Text.Json.Serialization.JsonSerializerContext";

    /// <summary><c>ProxyWasm.HeaderAttribute</c> (a bound header parameter).</summary>
    public INamedTypeSymbol? HeaderAttribute { get; }

    /// <summary><c>ProxyWasm.PropertyAttribute</c> (a bound property parameter).</summary>
    public INamedTypeSymbol? PropertyAttribute { get; }

    /// <summary><c>ProxyWasm.OptionalBytes</c>.</summary>
    public INamedTypeSymbol? OptionalBytes { get; }

    /// <summary><c>ProxyWasm.HeaderPairs</c> (a map attribute).</summary>
    public INamedTypeSymbol? HeaderPairs { get; }

    /// <summary><c>ProxyWasm.IPlainTextConfiguration&lt;TSelf&gt;</c>.</summary>
    public INamedTypeSymbol? PlainTextConfiguration { get; }

    /// <summary><c>System.Text.Json.Serialization.JsonSerializerContext</c>.</summary>
    public INamedTypeSymbol? JsonSerializerContext { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    /// <summary>Whether <paramref name="type"/> is <paramref name="expected"/>.</summary>
    public static bool Is(ITypeSymbol type, INamedTypeSymbol? expected) => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

    /// <summary>The filter attributes of <paramref name="type"/> ([HttpFilter], [NetworkFilter]), in declaration order.</summary>
    public IEnumerable<AttributeData> FilterAttributes(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (IsFilterAttribute(attribute.AttributeClass))
            {
                yield return attribute;
            }
        }
    }

    /// <summary>The first filter attribute of <paramref name="type"/>, or null.</summary>
    public AttributeData? FilterAttribute(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in FilterAttributes(type))
        {
            return attribute;
        }

        return null;
    }

    /// <summary>Whether <paramref name="attributeClass"/> is [HttpFilter] or [NetworkFilter].</summary>
    public bool IsFilterAttribute(INamedTypeSymbol? attributeClass)
        => attributeClass is not null
           && (SymbolEqualityComparer.Default.Equals(attributeClass, HttpFilterAttribute) || SymbolEqualityComparer.Default.Equals(attributeClass, NetworkFilterAttribute));

    /// <summary>The callback of <paramref name="method"/>'s first hook attribute, if any.</summary>
    public bool TryGetHook(IMethodSymbol method, out ProxyCallback callback, out AttributeData? attribute)
    {
        foreach (AttributeData data in method.GetAttributes())
        {
            if (data.AttributeClass is { } cls && _hooks.TryGetValue(cls, out ProxyCallback? found))
            {
                callback = found;
                attribute = data;
                return true;
            }
        }

        callback = null!;
        attribute = null;
        return false;
    }

    /// <summary>The methods of <paramref name="type"/> that have a hook attribute, with their callbacks, in declaration order.</summary>
    public IEnumerable<(IMethodSymbol Method, ProxyCallback Callback)> HookMethods(INamedTypeSymbol type, CancellationToken ct)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            ct.ThrowIfCancellationRequested();
            if (member is IMethodSymbol method && TryGetHook(method, out ProxyCallback callback, out _))
            {
                yield return (method, callback);
            }
        }
    }

    /// <summary>Whether <paramref name="type"/> has a method with a hook attribute.</summary>
    public bool HasHookMethod(INamedTypeSymbol type)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol method && TryGetHook(method, out _, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The binding of a runtime handle type (header map, body, stream), if <paramref name="type"/> is one.</summary>
    public ParameterBinding? HandleBinding(ITypeSymbol type) => _handles.TryGetValue(type, out ParameterBinding binding) ? binding : null;

    /// <summary>Whether <paramref name="type"/> is the status type of <paramref name="result"/>.</summary>
    public bool IsStatus(ITypeSymbol type, CallbackResult result)
        => _statuses.TryGetValue(result, out INamedTypeSymbol? status) && SymbolEqualityComparer.Default.Equals(type, status);

    public bool IsReadOnlySpanOfByte(ITypeSymbol type)
        => type is INamedTypeSymbol { IsGenericType: true } named
           && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ReadOnlySpan)
           && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private void Handle(Compilation compilation, string name, ParameterBinding binding)
    {
        if (compilation.GetTypeByMetadataName(name) is { } type)
        {
            _handles[type] = binding;
        }
    }
}
