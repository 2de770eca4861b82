using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// Binds one hook method to its callback: each parameter by its type to one of the callback's
/// <see cref="ProxyCallback.Inputs"/>, the return type to its <see cref="ProxyCallback.Result"/>. The messages of
/// PXW0002 and PXW0003 list what the callback's row allows.
/// </summary>
internal static class HookBinder
{
    private const string HeaderMaps = "RequestHeaders, RequestTrailers, ResponseHeaders, ResponseTrailers";

    /// <summary>The hook model, or null with the reasons added to <paramref name="errors"/>. <paramref name="onPlugin"/>:
    /// the method is declared on the plugin type (root context), not the filter type.
    /// <paramref name="configuration"/>: the filter's typed plugin configuration, if any; <paramref name="vmConfiguration"/>:
    /// the plugin's typed VM configuration (only <c>OnVmStart</c> takes it).</summary>
    public static HookModel? Bind(KnownTypes types, IMethodSymbol method, ProxyCallback callback, ITypeSymbol? pluginType, bool onPlugin, List<DiagnosticInfo> errors, FilterKind kind = FilterKind.Http,
        ITypeSymbol? configuration = null, ITypeSymbol? vmConfiguration = null)
    {
        Location? location = method.Locations.FirstOrDefault();
        string hook = callback.Hook!;
        if (method.IsStatic || method.IsGenericMethod || method.IsAbstract || method.MethodKind != MethodKind.Ordinary)
        {
            errors.Add(ShapeDiagnostics.HookNotInstance(location, method.Name, hook));
            return null;
        }

        bool ok = true;
        var parameters = new List<HookParameter>();
        var boundBy = new Dictionary<(ParameterBinding, string?), string>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            Location? at = parameter.Locations.FirstOrDefault() ?? location;
            HookParameter? bound;
            if (BoundParameterBinder.TryBind(types, parameter, callback, onPlugin, kind, errors, out HookParameter? named))
            {
                bound = named;
                if (bound is null)
                {
                    ok = false;
                    continue;
                }
            }
            else
            {
                ParameterBinding? binding = parameter.RefKind == RefKind.None ? BindParameter(types, parameter.Type, callback, pluginType, onPlugin, kind, configuration, vmConfiguration) : null;
                bound = binding is null ? null : new HookParameter(binding.Value);
            }

            if (bound is not { } value)
            {
                errors.Add(ShapeDiagnostics.ParameterNotBindable(at, parameter.Name, parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    method.Name, hook, AllowedParameters(callback, pluginType, onPlugin, kind, configuration, vmConfiguration)));
                ok = false;
            }
            else if (boundBy.TryGetValue((value.Binding, value.Key), out string? earlier))
            {
                errors.Add(ShapeDiagnostics.DuplicateBinding(at, parameter.Name, earlier, method.Name));
                ok = false;
            }
            else
            {
                boundBy[(value.Binding, value.Key)] = parameter.Name;
                parameters.Add(value with { Name = parameter.Name });
            }
        }

        ReturnBinding? returns = BindReturn(types, method.ReturnType, callback);
        if (returns is null)
        {
            errors.Add(ShapeDiagnostics.ReturnTypeNotBindable(location, method.Name, hook,
                method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), ExpectedReturn(callback)));
            ok = false;
        }

        return ok ? new HookModel(callback.Export, method.Name, returns!.Value, parameters.ToEquatableArray(), onPlugin) : null;
    }

    private static ParameterBinding? BindParameter(KnownTypes types, ITypeSymbol type, ProxyCallback callback, ITypeSymbol? pluginType, bool onPlugin, FilterKind kind,
        ITypeSymbol? configuration, ITypeSymbol? vmConfiguration)
    {
        if (callback == ProxyCallbacks.VmStart)
        {
            if (vmConfiguration is not null && SameType(type, vmConfiguration))
            {
                return ParameterBinding.TypedVmConfiguration;
            }
        }
        else if (configuration is not null && SameType(type, configuration))
        {
            return ParameterBinding.Configuration;
        }

        CallbackInputs inputs = Inputs(callback, onPlugin, kind);
        if (Has(inputs, CallbackInputs.Plugin) && pluginType is not null && SymbolEqualityComparer.Default.Equals(type, pluginType))
        {
            return ParameterBinding.Plugin;
        }

        if (type.SpecialType == SpecialType.System_Int32)
        {
            return Has(inputs, CallbackInputs.Count) ? ParameterBinding.Count : null;
        }

        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return Has(inputs, CallbackInputs.EndOfStream) ? ParameterBinding.EndOfStream : null;
        }

        if (types.IsReadOnlySpanOfByte(type))
        {
            return Has(inputs, CallbackInputs.VmConfiguration) ? ParameterBinding.VmConfiguration
                : Has(inputs, CallbackInputs.PluginConfiguration) ? ParameterBinding.PluginConfiguration
                : Has(inputs, CallbackInputs.ForeignArguments) ? ParameterBinding.ForeignArguments
                : null;
        }

        ParameterBinding? handle = types.HandleBinding(type);
        return handle switch
        {
            ParameterBinding.RequestHeaders or ParameterBinding.RequestTrailers or ParameterBinding.ResponseHeaders or ParameterBinding.ResponseTrailers
                when Has(inputs, CallbackInputs.HeaderMaps) => handle,
            ParameterBinding.RequestBody when Has(inputs, CallbackInputs.RequestBody) => ParameterBinding.RequestBody,
            ParameterBinding.ResponseBody when Has(inputs, CallbackInputs.ResponseBody) => ParameterBinding.ResponseBody,
            ParameterBinding.Stream when Has(inputs, CallbackInputs.Stream) && kind == FilterKind.Http => ParameterBinding.Stream,
            ParameterBinding.NetworkStream when Has(inputs, CallbackInputs.Stream) && kind == FilterKind.Network => ParameterBinding.NetworkStream,
            ParameterBinding.DownstreamData when Has(inputs, CallbackInputs.DownstreamData) => ParameterBinding.DownstreamData,
            ParameterBinding.UpstreamData when Has(inputs, CallbackInputs.UpstreamData) => ParameterBinding.UpstreamData,
            ParameterBinding.PeerType when Has(inputs, CallbackInputs.PeerType) => ParameterBinding.PeerType,
            ParameterBinding.SharedQueue when Has(inputs, CallbackInputs.SharedQueue) => ParameterBinding.SharedQueue,
            ParameterBinding.HttpCallResponse when Has(inputs, CallbackInputs.HttpCallResponse) => ParameterBinding.HttpCallResponse,
            ParameterBinding.GrpcMessage when Has(inputs, CallbackInputs.GrpcMessage) => ParameterBinding.GrpcMessage,
            ParameterBinding.GrpcMetadata when Has(inputs, CallbackInputs.GrpcMetadata) => ParameterBinding.GrpcMetadata,
            ParameterBinding.GrpcClose when Has(inputs, CallbackInputs.GrpcClose) => ParameterBinding.GrpcClose,
            _ => null,
        };
    }

    private static bool SameType(ITypeSymbol a, ITypeSymbol b)
        => SymbolEqualityComparer.Default.Equals(a.WithNullableAnnotation(NullableAnnotation.NotAnnotated), b.WithNullableAnnotation(NullableAnnotation.NotAnnotated));

    private static ReturnBinding? BindReturn(KnownTypes types, ITypeSymbol type, ProxyCallback callback)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return ReturnBinding.Void;
        }

        return callback.Result switch
        {
            CallbackResult.Bool => type.SpecialType == SpecialType.System_Boolean ? ReturnBinding.Bool : null,
            CallbackResult.Void => null,
            _ => types.IsStatus(type, callback.Result) ? ReturnBinding.Status : null,
        };
    }

    /// <summary>What a hook of <paramref name="callback"/> may return, for PXW0003.</summary>
    public static string ExpectedReturn(ProxyCallback callback) => callback.Result switch
    {
        CallbackResult.Void => "void",
        CallbackResult.Bool => $"bool ({callback.BoolMeaning}) or void",
        _ => callback.StatusType + " or void",
    };

    /// <summary>The parameters a hook of <paramref name="callback"/> accepts, for PXW0002.</summary>
    public static string AllowedParameters(ProxyCallback callback, ITypeSymbol? pluginType, bool onPlugin, FilterKind kind = FilterKind.Http,
        ITypeSymbol? configuration = null, ITypeSymbol? vmConfiguration = null)
    {
        CallbackInputs inputs = Inputs(callback, onPlugin, kind);
        var parts = new List<string>();
        ITypeSymbol? typed = callback == ProxyCallbacks.VmStart ? vmConfiguration : configuration;
        if (typed is not null)
        {
            parts.Add(typed.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " (the configuration)");
        }

        if (Has(inputs, CallbackInputs.HttpCallResponse))
        {
            parts.Add("HttpCallResponse");
        }

        if (Has(inputs, CallbackInputs.GrpcMessage))
        {
            parts.Add("GrpcMessage");
        }

        if (Has(inputs, CallbackInputs.GrpcMetadata))
        {
            parts.Add("GrpcMetadata");
        }

        if (Has(inputs, CallbackInputs.GrpcClose))
        {
            parts.Add("GrpcClose");
        }

        if (Has(inputs, CallbackInputs.SharedQueue))
        {
            parts.Add("SharedQueue");
        }

        if (Has(inputs, CallbackInputs.DownstreamData))
        {
            parts.Add("DownstreamData");
        }

        if (Has(inputs, CallbackInputs.UpstreamData))
        {
            parts.Add("UpstreamData");
        }

        if (Has(inputs, CallbackInputs.RequestBody))
        {
            parts.Add("RequestBody");
        }

        if (Has(inputs, CallbackInputs.ResponseBody))
        {
            parts.Add("ResponseBody");
        }

        if (Has(inputs, CallbackInputs.HeaderMaps))
        {
            parts.Add(HeaderMaps);
        }

        if (Has(inputs, CallbackInputs.VmConfiguration) || Has(inputs, CallbackInputs.PluginConfiguration))
        {
            parts.Add("ReadOnlySpan<byte> (the configuration bytes)" + (typed is null ? " or a JSON configuration type" : string.Empty));
        }

        if (Has(inputs, CallbackInputs.ForeignArguments))
        {
            parts.Add("ReadOnlySpan<byte> (the arguments)");
        }

        if (Has(inputs, CallbackInputs.Count))
        {
            parts.Add($"int ({callback.CountMeaning})");
        }

        if (Has(inputs, CallbackInputs.EndOfStream))
        {
            parts.Add("bool (end of stream)");
        }

        if (Has(inputs, CallbackInputs.PeerType))
        {
            parts.Add("PeerType (which side closed)");
        }

        if (Has(inputs, CallbackInputs.Stream))
        {
            parts.Add(kind == FilterKind.Network ? "NetworkStream" : "HttpStream");
        }

        if (Has(inputs, CallbackInputs.Plugin) && pluginType is not null)
        {
            parts.Add(pluginType.Name);
        }

        return parts.Count == 0 ? $"none ([{callback.Hook}] takes no parameters)" : string.Join(", ", parts);
    }

    private static bool Has(CallbackInputs inputs, CallbackInputs input) => (inputs & input) == input;

    /// <summary>What a hook may take where it is declared: on the plugin type there is no stream, and the plugin is
    /// not a parameter of its own hooks; a connection (network filter) has no header maps.</summary>
    private static CallbackInputs Inputs(ProxyCallback callback, bool onPlugin, FilterKind kind)
        => onPlugin ? callback.Inputs & ~(CallbackInputs.Stream | CallbackInputs.Plugin | CallbackInputs.HeaderMaps)
            : kind == FilterKind.Network ? callback.Inputs & ~CallbackInputs.HeaderMaps
            : callback.Inputs;
}
