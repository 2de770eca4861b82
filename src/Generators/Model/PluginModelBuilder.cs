using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// The plugin (root context) type of a filter: its hooks, bound in one walk of its members, with every problem
/// (stream hooks declared on it, duplicates, inaccessible or unbindable hooks). The filter builder uses the model and
/// whether there were errors; the usage analyzer reports the errors once per plugin type.
/// </summary>
internal static class PluginModelBuilder
{
    /// <summary>PXW0010 for a type that cannot be a plugin (not a concrete class with an accessible parameterless
    /// constructor); null when it can.</summary>
    public static DiagnosticInfo? CheckType(ITypeSymbol pluginType, Location? attributeLocation)
    {
        bool valid = pluginType is INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsStatic: false, IsUnboundGenericType: false } named
            && named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal);
        return valid ? null : ShapeDiagnostics.InvalidPluginType(attributeLocation, pluginType.ToDisplayString());
    }

    /// <summary>Binds the plugin hooks of <paramref name="pluginType"/>, adding every problem to <paramref name="errors"/>.
    /// <paramref name="hasContext"/>: the analyzer's check that a configuration type has a JsonSerializerContext
    /// (PXW0020); the generator resolves contexts in its pipeline instead.</summary>
    public static PluginModel Build(KnownTypes types, INamedTypeSymbol pluginType, List<DiagnosticInfo> errors, CancellationToken ct, Func<ITypeSymbol, bool>? hasContext = null)
    {
        IParameterSymbol? declared = ConfigurationTypes.Declared(types, pluginType, ProxyCallbacks.Configure, ct);
        IParameterSymbol? declaredVm = ConfigurationTypes.Declared(types, pluginType, ProxyCallbacks.VmStart, ct);
        ConfigurationModel? configurationModel = declared is null ? null
            : ConfigurationTypes.Check(types, declared.Type, declared.Locations.FirstOrDefault(), hasContext, errors);
        ConfigurationModel? vmModel = declaredVm is null ? null
            : ConfigurationTypes.Check(types, declaredVm.Type, declaredVm.Locations.FirstOrDefault(), hasContext, errors);

        var hooks = new List<HookModel>();
        var seen = new Dictionary<ProxyCallback, IMethodSymbol>();
        foreach ((IMethodSymbol method, ProxyCallback callback) in types.HookMethods(pluginType, ct))
        {
            Location? location = method.Locations.FirstOrDefault();
            if (!callback.IsPluginHook)
            {
                errors.Add(ShapeDiagnostics.HookOnWrongType(location, method.Name, callback.Hook!, "declared on the plugin type " + pluginType.Name,
                    callback.Context switch
                    {
                        CallbackContext.TcpStream => "move it to the [NetworkFilter] type: connection hooks run per TCP connection",
                        CallbackContext.HttpStream => "move it to the [HttpFilter] type: stream hooks run per HTTP stream",
                        _ => "move it to the filter type: stream hooks run per HTTP stream or TCP connection",
                    }));
                continue;
            }

            if (seen.TryGetValue(callback, out IMethodSymbol? first))
            {
                errors.Add(ShapeDiagnostics.DuplicateHook(location, first.Name, method.Name, callback.Hook!));
                continue;
            }

            seen[callback] = method;
            if (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                errors.Add(ShapeDiagnostics.PluginHookNotAccessible(location, method.Name, pluginType.Name));
                continue;
            }

            if (HookBinder.Bind(types, method, callback, pluginType, onPlugin: true, errors, configuration: declared?.Type, vmConfiguration: declaredVm?.Type) is { } hook)
            {
                hooks.Add(hook);
            }
        }

        return new PluginModel(
            pluginType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            pluginType.Name,
            HookModel.InTableOrder(hooks),
            configurationModel,
            vmModel);
    }
}
