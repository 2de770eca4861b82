using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// Turns an [HttpFilter] type symbol into a <see cref="FilterModel"/>, validating the type, its state
/// (<see cref="StateStrategyBuilder"/>), its plugin (<see cref="PluginModelBuilder"/>) and every hook
/// (<see cref="HookBinder"/>). The generator and the usage analyzer (same assembly) run this same code, so the
/// diagnostics say exactly what the generator refuses. Never throws for any input shape.
/// </summary>
internal static class FilterModelBuilder
{
    /// <summary>Builds the model. Every problem is added to <paramref name="diagnostics"/>; returns <see langword="null"/>
    /// when there is any error (a hook that does not bind, an invalid plugin type or plugin hook), so a filter is never
    /// generated with a hook silently missing. PXW0015 (information) still yields a model.
    /// <paramref name="hasContext"/>: the analyzer's check that a configuration type has a JsonSerializerContext
    /// (PXW0020); the generator passes null and resolves contexts in its pipeline.</summary>
    public static FilterModel? Build(KnownTypes types, INamedTypeSymbol type, AttributeData attribute, List<DiagnosticInfo> diagnostics, CancellationToken ct,
        Func<ITypeSymbol, bool>? hasContext = null)
    {
        int first = diagnostics.Count;
        Location? typeLocation = type.Locations.FirstOrDefault();
        FilterAttributeData filter = FilterAttributeData.Read(attribute, ct);
        if (types.FilterAttributes(type).Skip(1).Any())
        {
            // Both [HttpFilter] and [NetworkFilter]: each attribute's pipeline would emit glue for the type.
            diagnostics.Add(ShapeDiagnostics.TwoFilterKinds(typeLocation, type.Name));
        }

        string? keyword = CheckDeclarations(type, diagnostics, ct);
        if (type.IsGenericType)
        {
            diagnostics.Add(ShapeDiagnostics.GenericFilter(typeLocation, type.Name));
        }

        if (type.ContainingType is not null)
        {
            diagnostics.Add(ShapeDiagnostics.NestedFilter(typeLocation, type.Name, type.ContainingType.Name));
        }

        if (type.IsAbstract || type.IsStatic || (type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct))
        {
            diagnostics.Add(ShapeDiagnostics.GenericFilter(typeLocation, type.Name));
        }

        if (string.IsNullOrEmpty(filter.RootId))
        {
            diagnostics.Add(ShapeDiagnostics.EmptyRootId(filter.Location ?? typeLocation, type.Name));
        }

        (StateStrategy strategy, EquatableArray<MemberReset> resets, string? perStreamReason) = StateStrategyBuilder.Choose(type, diagnostics, ct);

        PluginModel? plugin = null;
        ITypeSymbol? configurationType = null;
        bool pluginUsable = true;
        if (filter.Plugin is { } pluginType)
        {
            if (PluginModelBuilder.CheckType(pluginType, filter.Location) is { } invalid)
            {
                diagnostics.Add(invalid);
            }
            else
            {
                // A plugin hook that does not bind would silently never run: the filter gets no glue until the plugin
                // type is valid. The analyzer reports the plugin's own errors once, on the plugin type.
                var pluginErrors = new List<DiagnosticInfo>();
                plugin = PluginModelBuilder.Build(types, (INamedTypeSymbol)pluginType, pluginErrors, ct, hasContext);
                configurationType = ConfigurationTypes.Declared(types, (INamedTypeSymbol)pluginType, ProxyCallbacks.Configure, ct)?.Type;
                pluginUsable = !ShapeDiagnostics.AnyError(pluginErrors);
            }
        }

        ConfigurationModel? configuration = plugin?.Configuration;
        if (filter.Configuration is { } declared)
        {
            string name = declared.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (filter.Plugin is not null)
            {
                diagnostics.Add(ShapeDiagnostics.InvalidConfigurationType(filter.Location ?? typeLocation, name,
                    $"the filter has the plugin '{filter.Plugin.Name}', which reads the configuration itself: remove Configuration = typeof({name}) and declare it as the parameter of the plugin's [OnConfigure] hook, 'public bool Configure({name} configuration)'"));

                // The filter already has an error (no glue): its stream hooks' parameters of that type are not a second one.
                configurationType ??= declared;
            }
            else
            {
                configurationType = declared;
                configuration = ConfigurationTypes.Check(types, declared, filter.Location ?? typeLocation, hasContext, diagnostics);
            }
        }

        List<HookModel> hooks = BindStreamHooks(types, type, filter, diagnostics, ct, configurationType);

        // A hook that does not bind would silently never run, so a filter with any error gets no glue at all.
        bool usable = pluginUsable && !ShapeDiagnostics.AnyError(diagnostics, first) && (filter.Plugin is null || plugin is not null);
        if (perStreamReason is not null && usable)
        {
            diagnostics.Add(ShapeDiagnostics.AllocatedPerStream(typeLocation, type.Name, perStreamReason));
        }

        if (!usable || keyword is null || filter.RootId is not { } rootId)
        {
            return null;
        }

        return new FilterModel(
            filter.Kind,
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
            type.Name,
            keyword,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            rootId,
            filter.OnError,
            plugin,
            HookModel.InTableOrder(hooks),
            strategy,
            resets,
            configuration,
            Stateless: strategy == StateStrategy.PooledClass && resets.Length == 0 && type.BaseType?.SpecialType == SpecialType.System_Object);
    }

    /// <summary>PXW0001 for each declaration that is not partial; returns the declaration keyword (class, struct, ...).</summary>
    private static string? CheckDeclarations(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        string? keyword = null;
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(ct) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            string kind = DeclarationKeyword(declaration);
            keyword ??= kind;
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(ShapeDiagnostics.FilterNotPartial(declaration.Identifier.GetLocation(), type.Name, kind, PartialDeclaration(declaration, kind)));
            }
        }

        return keyword;
    }

    private static List<HookModel> BindStreamHooks(KnownTypes types, INamedTypeSymbol type, FilterAttributeData filter, List<DiagnosticInfo> diagnostics, CancellationToken ct,
        ITypeSymbol? configuration)
    {
        var hooks = new List<HookModel>();
        var seen = new Dictionary<ProxyCallback, IMethodSymbol>();
        foreach ((IMethodSymbol method, ProxyCallback callback) in types.HookMethods(type, ct))
        {
            Location? location = method.Locations.FirstOrDefault();
            if (!callback.IsStreamHook)
            {
                string attributeName = filter.AttributeName.Trim('[', ']');
                string hint = filter.Plugin is null
                    ? $"declare it on a plugin class and set [{attributeName}(\"{filter.RootId}\", Plugin = typeof(YourPlugin))]"
                    : $"move it to the plugin type '{filter.Plugin.Name}'";
                diagnostics.Add(ShapeDiagnostics.HookOnWrongType(location, method.Name, callback.Hook!, "declared on the filter type " + type.Name, hint));
                continue;
            }

            if (!callback.IsHookOf(filter.Kind))
            {
                diagnostics.Add(ShapeDiagnostics.HookOnWrongType(location, method.Name, callback.Hook!,
                    $"declared on the {filter.AttributeName} type {type.Name}", WrongKindHint(filter.Kind)));
                continue;
            }

            if (seen.TryGetValue(callback, out IMethodSymbol? earlier))
            {
                diagnostics.Add(ShapeDiagnostics.DuplicateHook(location, earlier.Name, method.Name, callback.Hook!));
                continue;
            }

            seen[callback] = method;
            if (HookBinder.Bind(types, method, callback, filter.Plugin, onPlugin: false, diagnostics, filter.Kind, configuration) is { } hook)
            {
                hooks.Add(hook);
            }
        }

        return hooks;
    }

    /// <summary>What to do with a hook of the other kind of filter: the hooks this kind has, from the table.</summary>
    private static string WrongKindHint(FilterKind kind)
    {
        FilterKind other = kind == FilterKind.Http ? FilterKind.Network : FilterKind.Http;
        string own = string.Join(", ", ProxyCallbacks.All.Where(c => c.Hook is not null && c.IsStreamContext && c.IsHookOf(kind) && !c.IsHookOf(other)).Select(c => c.Hook));
        string what = kind == FilterKind.Http ? "HTTP streams" : "TCP connections";
        return $"{Article(kind)} type serves {what} and its own hooks are {own}; move the method to {Article(other)} type";
    }

    private static string Article(FilterKind kind) => kind == FilterKind.Http ? "an [HttpFilter]" : "a [NetworkFilter]";

    private static string DeclarationKeyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    /// <summary>The declaration to write instead, e.g. <c>public sealed partial class HelloWorld</c>.</summary>
    private static string PartialDeclaration(TypeDeclarationSyntax declaration, string keyword)
    {
        string modifiers = string.Join(" ", declaration.Modifiers.Select(m => m.Text));
        return (modifiers.Length == 0 ? string.Empty : modifiers + " ") + "partial " + keyword + " " + declaration.Identifier.Text;
    }
}
