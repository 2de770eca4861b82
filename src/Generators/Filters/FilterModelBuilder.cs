using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>A reason the generator cannot bind part of a filter. The analyzer turns these into diagnostics;
/// the generator drops what they describe. <see cref="Args"/> fill the descriptor's message format.</summary>
internal sealed record ShapeError(string Id, Location? Location, ImmutableArray<string> Args);

/// <summary>Diagnostic IDs of the usage rules, shared by the generator's model builder and the analyzer.</summary>
internal static class ShapeIds
{
    public const string FilterNotPartial = "PXW0001";
    public const string ParameterNotBindable = "PXW0002";
    public const string ReturnTypeNotBindable = "PXW0003";
    public const string DuplicateHook = "PXW0004";
    public const string DuplicateRootId = "PXW0005";
    public const string GenericFilter = "PXW0006";
    public const string NestedFilter = "PXW0007";
    public const string HookNotInstance = "PXW0008";
    public const string HookOnWrongType = "PXW0009";
    public const string InvalidPluginType = "PXW0010";
    public const string PluginHookNotAccessible = "PXW0011";
    public const string DuplicateBinding = "PXW0012";
    public const string EmptyRootId = "PXW0013";
    public const string NoParameterlessConstructor = "PXW0014";
    public const string AllocatedPerStream = "PXW0015";
}

/// <summary>
/// Turns an [HttpFilter] type symbol into a <see cref="FilterModel"/>, validating every hook against the binding rules.
/// Shared with the analyzer (compiled into both assemblies) so the diagnostics say exactly what the generator refuses.
/// Never throws for any input shape.
/// </summary>
internal static class FilterModelBuilder
{
    public const string HttpFilterAttribute = "ProxyWasm.HttpFilterAttribute";

    private static readonly Dictionary<string, HookKind> s_hookAttributes = new()
    {
        ["ProxyWasm.OnRequestHeadersAttribute"] = HookKind.RequestHeaders,
        ["ProxyWasm.OnRequestBodyAttribute"] = HookKind.RequestBody,
        ["ProxyWasm.OnRequestTrailersAttribute"] = HookKind.RequestTrailers,
        ["ProxyWasm.OnResponseHeadersAttribute"] = HookKind.ResponseHeaders,
        ["ProxyWasm.OnResponseBodyAttribute"] = HookKind.ResponseBody,
        ["ProxyWasm.OnResponseTrailersAttribute"] = HookKind.ResponseTrailers,
        ["ProxyWasm.OnStreamDoneAttribute"] = HookKind.StreamDone,
        ["ProxyWasm.OnLogAttribute"] = HookKind.Log,
        ["ProxyWasm.OnVmStartAttribute"] = HookKind.VmStart,
        ["ProxyWasm.OnConfigureAttribute"] = HookKind.Configure,
        ["ProxyWasm.OnTickAttribute"] = HookKind.Tick,
    };

    private static readonly Dictionary<string, ParameterBinding> s_namedBindings = new()
    {
        ["ProxyWasm.RequestHeaders"] = ParameterBinding.RequestHeaders,
        ["ProxyWasm.RequestTrailers"] = ParameterBinding.RequestTrailers,
        ["ProxyWasm.ResponseHeaders"] = ParameterBinding.ResponseHeaders,
        ["ProxyWasm.ResponseTrailers"] = ParameterBinding.ResponseTrailers,
        ["ProxyWasm.RequestBody"] = ParameterBinding.RequestBody,
        ["ProxyWasm.ResponseBody"] = ParameterBinding.ResponseBody,
        ["ProxyWasm.HttpStream"] = ParameterBinding.Stream,
    };

    /// <summary>The hook kind of <paramref name="method"/>'s first hook attribute, if any.</summary>
    public static bool TryGetHookKind(IMethodSymbol method, out HookKind kind, out AttributeData? attribute)
    {
        foreach (AttributeData data in method.GetAttributes())
        {
            if (data.AttributeClass is { } cls && s_hookAttributes.TryGetValue(cls.ToDisplayString(), out kind))
            {
                attribute = data;
                return true;
            }
        }

        kind = default;
        attribute = null;
        return false;
    }

    public static bool IsPluginHook(HookKind kind) => kind is HookKind.VmStart or HookKind.Configure or HookKind.Tick;

    public static string AttributeName(HookKind kind) => kind switch
    {
        HookKind.StreamDone => "OnStreamDone",
        HookKind.Log => "OnLog",
        HookKind.VmStart => "OnVmStart",
        HookKind.Configure => "OnConfigure",
        HookKind.Tick => "OnTick",
        _ => "On" + kind,
    };

    /// <summary>The plugin type named by an [HttpFilter] attribute, if any.</summary>
    public static ITypeSymbol? GetPluginType(AttributeData filterAttribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in filterAttribute.NamedArguments)
        {
            if (argument.Key == "Plugin" && argument.Value.Kind == TypedConstantKind.Type)
            {
                return argument.Value.Value as ITypeSymbol;
            }
        }

        return null;
    }

    public static string? GetRootId(AttributeData filterAttribute)
        => filterAttribute.ConstructorArguments.Length == 1 ? filterAttribute.ConstructorArguments[0].Value as string : null;

    /// <summary>Builds the model. Every problem is added to <paramref name="errors"/>; returns <see langword="null"/> when
    /// there is any error (a hook that does not bind, or an invalid plugin type), so a filter is never generated with a
    /// hook silently missing. PXW0015 (information) still yields a model.</summary>
    public static FilterModel? Build(INamedTypeSymbol type, AttributeData attribute, List<ShapeError> errors, CancellationToken ct)
    {
        int firstError = errors.Count;
        Location? typeLocation = type.Locations.FirstOrDefault();
        bool usable = true;

        string? keyword = null;
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(ct) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            keyword ??= DeclarationKeyword(declaration);
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                string kind = DeclarationKeyword(declaration);
                errors.Add(new ShapeError(ShapeIds.FilterNotPartial, declaration.Identifier.GetLocation(), ImmutableArray.Create(type.Name, kind, PartialDeclaration(declaration, kind))));
                usable = false;
            }
        }

        if (type.IsGenericType)
        {
            errors.Add(new ShapeError(ShapeIds.GenericFilter, typeLocation, ImmutableArray.Create(type.Name)));
            usable = false;
        }

        if (type.ContainingType is not null)
        {
            errors.Add(new ShapeError(ShapeIds.NestedFilter, typeLocation, ImmutableArray.Create(type.Name, type.ContainingType.Name)));
            usable = false;
        }

        if (type.IsAbstract || type.IsStatic || (type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct))
        {
            errors.Add(new ShapeError(ShapeIds.GenericFilter, typeLocation, ImmutableArray.Create(type.Name)));
            usable = false;
        }

        string? rootId = GetRootId(attribute);
        if (string.IsNullOrEmpty(rootId))
        {
            errors.Add(new ShapeError(ShapeIds.EmptyRootId, attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation() ?? typeLocation, ImmutableArray.Create(type.Name)));
            usable = false;
        }

        (StateStrategy strategy, EquatableArray<MemberReset> resets, string? perStreamReason) = ChooseStrategy(type, errors, ref usable, ct);

        PluginModel? plugin = null;
        ITypeSymbol? pluginType = GetPluginType(attribute);
        if (pluginType is not null)
        {
            plugin = BuildPlugin(pluginType, attribute, errors, ct);
            if (plugin is null)
            {
                usable = false;
            }
            else if (pluginType is INamedTypeSymbol namedPlugin)
            {
                // A plugin hook that does not bind would silently never run: the filter gets no glue until the plugin
                // type is valid. The analyzer reports these errors once, on the plugin type (ValidatePluginType).
                var pluginErrors = new List<ShapeError>();
                ValidatePluginType(namedPlugin, pluginErrors, ct);
                usable &= pluginErrors.Count == 0;
            }
        }

        var hooks = new List<HookModel>();
        var seen = new Dictionary<HookKind, IMethodSymbol>();
        foreach (ISymbol member in type.GetMembers())
        {
            ct.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method || !TryGetHookKind(method, out HookKind kind, out _))
            {
                continue;
            }

            if (IsPluginHook(kind))
            {
                string hint = pluginType is null
                    ? $"declare it on a plugin class and set [HttpFilter(\"{rootId}\", Plugin = typeof(YourPlugin))]"
                    : $"move it to the plugin type '{pluginType.Name}'";
                errors.Add(new ShapeError(ShapeIds.HookOnWrongType, method.Locations.FirstOrDefault(), ImmutableArray.Create(method.Name, AttributeName(kind), "declared on the filter type " + type.Name, hint)));
                continue;
            }

            if (seen.TryGetValue(kind, out IMethodSymbol? first))
            {
                errors.Add(new ShapeError(ShapeIds.DuplicateHook, method.Locations.FirstOrDefault(), ImmutableArray.Create(first.Name, method.Name, AttributeName(kind))));
                continue;
            }

            seen[kind] = method;
            HookModel? hook = BindHook(method, kind, pluginType, isPluginMember: false, errors);
            if (hook is not null)
            {
                hooks.Add(hook);
            }
        }

        // A hook that does not bind would silently never run, so a filter with any error gets no glue at all.
        usable &= errors.Count == firstError;
        if (perStreamReason is not null && usable)
        {
            errors.Add(new ShapeError(ShapeIds.AllocatedPerStream, typeLocation, ImmutableArray.Create(type.Name, perStreamReason)));
        }

        if (!usable || keyword is null || rootId is null)
        {
            return null;
        }

        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
        int failurePolicy = 0;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "OnError" && argument.Value.Value is int policy)
            {
                failurePolicy = policy;
            }
        }

        return new FilterModel(
            ns,
            type.Name,
            keyword,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            rootId,
            failurePolicy,
            plugin,
            hooks.OrderBy(h => h.Kind).ToEquatableArray(),
            strategy,
            resets);
    }

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

    private static (StateStrategy, EquatableArray<MemberReset>, string?) ChooseStrategy(INamedTypeSymbol type, List<ShapeError> errors, ref bool usable, CancellationToken ct)
    {
        if (type.TypeKind == TypeKind.Struct)
        {
            return (StateStrategy.Struct, EquatableArray<MemberReset>.Empty, null);
        }

        if (type.IsStatic)
        {
            // Already reported as PXW0006; a static class has no constructors to judge.
            return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, null);
        }

        bool hasParameterless = false;
        string? explicitConstructor = null;
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.Length == 0 && constructor.DeclaredAccessibility != Accessibility.Private)
            {
                hasParameterless = true;
                if (!constructor.IsImplicitlyDeclared)
                {
                    explicitConstructor = "it declares a constructor";
                }
            }
        }

        if (!hasParameterless)
        {
            errors.Add(new ShapeError(ShapeIds.NoParameterlessConstructor, type.Locations.FirstOrDefault(), ImmutableArray.Create(type.Name)));
            usable = false;
            return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, null);
        }

        if (explicitConstructor is not null)
        {
            return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, explicitConstructor);
        }

        var resets = new List<MemberReset>();
        foreach (ISymbol member in type.GetMembers())
        {
            ct.ThrowIfCancellationRequested();
            if (member is IEventSymbol { IsStatic: false } evt)
            {
                // A field-like event keeps its handlers in a field that GetMembers does not list: reset it by name.
                if (evt.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) is VariableDeclaratorSyntax eventDeclarator)
                {
                    ExpressionSyntax? eventInitializer = eventDeclarator.Initializer?.Value;
                    if (eventInitializer is not null && !IsPortableConstant(eventInitializer))
                    {
                        return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"member '{evt.Name}' has a non-constant initializer");
                    }

                    resets.Add(new MemberReset(evt.Name, eventInitializer?.ToString() ?? "null!"));
                }

                continue;
            }

            if (member is not IFieldSymbol field || field.IsStatic || field.IsConst)
            {
                continue;
            }

            string name = field.Name;
            ExpressionSyntax? initializer = null;
            if (field.AssociatedSymbol is IPropertySymbol property)
            {
                if (property.SetMethod is null || property.SetMethod.IsInitOnly || property.IsRequired)
                {
                    return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"property '{property.Name}' is get-only, init-only or required");
                }

                name = property.Name;
                initializer = (property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as PropertyDeclarationSyntax)?.Initializer?.Value;
            }
            else if (field.AssociatedSymbol is IEventSymbol)
            {
                continue;
            }
            else if (field.IsImplicitlyDeclared)
            {
                // Backing fields of primary constructor parameters and other compiler-made state cannot be reset by name.
                return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"it has compiler-generated state '{field.Name}'");
            }
            else
            {
                if (field.IsReadOnly || field.IsRequired)
                {
                    return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"field '{field.Name}' is readonly");
                }

                initializer = (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as VariableDeclaratorSyntax)?.Initializer?.Value;
            }

            if (initializer is null)
            {
                resets.Add(new MemberReset(name, "default!"));
            }
            else if (IsPortableConstant(initializer))
            {
                resets.Add(new MemberReset(name, initializer.ToString()));
            }
            else
            {
                return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"member '{name}' has a non-constant initializer");
            }
        }

        return (StateStrategy.PooledClass, resets.ToEquatableArray(), null);
    }

    /// <summary>A literal (optionally negated) or <c>default</c>: means the same in generated code as in the user's file.</summary>
    private static bool IsPortableConstant(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax => true,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax } => true,
        _ => false,
    };

    private static PluginModel? BuildPlugin(ITypeSymbol pluginType, AttributeData attribute, List<ShapeError> errors, CancellationToken ct)
    {
        Location? location = attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation();
        if (pluginType is not INamedTypeSymbol named || named.TypeKind != TypeKind.Class || named.IsAbstract || named.IsStatic || named.IsUnboundGenericType
            || !named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal))
        {
            errors.Add(new ShapeError(ShapeIds.InvalidPluginType, location, ImmutableArray.Create(pluginType.ToDisplayString())));
            return null;
        }

        var hooks = new List<HookModel>();
        var seen = new Dictionary<HookKind, IMethodSymbol>();
        foreach (ISymbol member in named.GetMembers())
        {
            ct.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method || !TryGetHookKind(method, out HookKind kind, out _))
            {
                continue;
            }

            if (!IsPluginHook(kind))
            {
                // Reported by the analyzer for the plugin type itself (it may serve several filters).
                continue;
            }

            if (seen.TryGetValue(kind, out IMethodSymbol? first))
            {
                continue;
            }

            seen[kind] = method;
            if (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                continue;
            }

            if (BindHook(method, kind, pluginType, isPluginMember: true, new List<ShapeError>()) is { } hook)
            {
                hooks.Add(hook);
            }
        }

        return new PluginModel(
            named.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            named.Name,
            hooks.OrderBy(h => h.Kind).ToEquatableArray());
    }

    /// <summary>Validates the hooks of a plugin type on their own (the analyzer calls this once per plugin type).</summary>
    public static void ValidatePluginType(INamedTypeSymbol pluginType, List<ShapeError> errors, CancellationToken ct)
    {
        var seen = new Dictionary<HookKind, IMethodSymbol>();
        foreach (ISymbol member in pluginType.GetMembers())
        {
            ct.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method || !TryGetHookKind(method, out HookKind kind, out _))
            {
                continue;
            }

            if (!IsPluginHook(kind))
            {
                errors.Add(new ShapeError(ShapeIds.HookOnWrongType, method.Locations.FirstOrDefault(), ImmutableArray.Create(method.Name, AttributeName(kind), "declared on the plugin type " + pluginType.Name, "move it to the [HttpFilter] type: stream hooks run per HTTP stream")));
                continue;
            }

            if (seen.TryGetValue(kind, out IMethodSymbol? first))
            {
                errors.Add(new ShapeError(ShapeIds.DuplicateHook, method.Locations.FirstOrDefault(), ImmutableArray.Create(first.Name, method.Name, AttributeName(kind))));
                continue;
            }

            seen[kind] = method;
            if (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                errors.Add(new ShapeError(ShapeIds.PluginHookNotAccessible, method.Locations.FirstOrDefault(), ImmutableArray.Create(method.Name, pluginType.Name)));
                continue;
            }

            BindHook(method, kind, pluginType, isPluginMember: true, errors);
        }
    }

    private static HookModel? BindHook(IMethodSymbol method, HookKind kind, ITypeSymbol? pluginType, bool isPluginMember, List<ShapeError> errors)
    {
        Location? location = method.Locations.FirstOrDefault();
        string attributeName = AttributeName(kind);
        if (method.IsStatic || method.IsGenericMethod || method.IsAbstract || method.MethodKind != MethodKind.Ordinary)
        {
            errors.Add(new ShapeError(ShapeIds.HookNotInstance, location, ImmutableArray.Create(method.Name, attributeName)));
            return null;
        }

        bool ok = true;
        var bindings = new List<ParameterBinding>();
        var boundBy = new Dictionary<ParameterBinding, string>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            ParameterBinding? binding = parameter.RefKind == RefKind.None ? Bind(parameter.Type, kind, pluginType, isPluginMember) : null;
            if (binding is null)
            {
                errors.Add(new ShapeError(ShapeIds.ParameterNotBindable, parameter.Locations.FirstOrDefault() ?? location, ImmutableArray.Create(
                    parameter.Name,
                    parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    method.Name,
                    attributeName,
                    AllowedParameters(kind, pluginType))));
                ok = false;
                continue;
            }

            if (boundBy.TryGetValue(binding.Value, out string? other))
            {
                errors.Add(new ShapeError(ShapeIds.DuplicateBinding, parameter.Locations.FirstOrDefault() ?? location, ImmutableArray.Create(parameter.Name, other, method.Name)));
                ok = false;
                continue;
            }

            boundBy[binding.Value] = parameter.Name;
            bindings.Add(binding.Value);
        }

        ReturnBinding? returnBinding = BindReturn(method.ReturnType, kind);
        if (returnBinding is null)
        {
            errors.Add(new ShapeError(ShapeIds.ReturnTypeNotBindable, location, ImmutableArray.Create(
                method.Name,
                attributeName,
                method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                ExpectedReturn(kind))));
            ok = false;
        }

        return ok ? new HookModel(kind, method.Name, returnBinding!.Value, bindings.ToEquatableArray()) : null;
    }

    private static ParameterBinding? Bind(ITypeSymbol type, HookKind kind, ITypeSymbol? pluginType, bool isPluginMember)
    {
        if (isPluginMember)
        {
            if (kind == HookKind.Tick)
            {
                return null;
            }

            if (type.SpecialType == SpecialType.System_Int32)
            {
                return ParameterBinding.Count;
            }

            return IsReadOnlySpanOfByte(type) ? ParameterBinding.Configuration : null;
        }

        if (pluginType is not null && SymbolEqualityComparer.Default.Equals(type, pluginType))
        {
            return ParameterBinding.Plugin;
        }

        if (type.SpecialType == SpecialType.System_Int32)
        {
            return kind is HookKind.StreamDone or HookKind.Log ? null : ParameterBinding.Count;
        }

        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return kind is HookKind.RequestHeaders or HookKind.ResponseHeaders or HookKind.RequestBody or HookKind.ResponseBody ? ParameterBinding.EndOfStream : null;
        }

        if (!s_namedBindings.TryGetValue(type.ToDisplayString(), out ParameterBinding named))
        {
            return null;
        }

        return named switch
        {
            ParameterBinding.RequestBody => kind == HookKind.RequestBody ? named : null,
            ParameterBinding.ResponseBody => kind == HookKind.ResponseBody ? named : null,
            _ => named,
        };
    }

    private static bool IsReadOnlySpanOfByte(ITypeSymbol type)
        => type is INamedTypeSymbol { IsGenericType: true } named
           && named.OriginalDefinition.ToDisplayString() == "System.ReadOnlySpan<T>"
           && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private static ReturnBinding? BindReturn(ITypeSymbol type, HookKind kind)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return ReturnBinding.Void;
        }

        string? expected = kind switch
        {
            HookKind.RequestHeaders or HookKind.ResponseHeaders => "ProxyWasm.FilterHeadersStatus",
            HookKind.RequestBody or HookKind.ResponseBody => "ProxyWasm.FilterDataStatus",
            HookKind.RequestTrailers or HookKind.ResponseTrailers => "ProxyWasm.FilterTrailersStatus",
            _ => null,
        };
        if (expected is not null)
        {
            return type.ToDisplayString() == expected ? ReturnBinding.Status : null;
        }

        return kind is HookKind.StreamDone or HookKind.VmStart or HookKind.Configure && type.SpecialType == SpecialType.System_Boolean
            ? ReturnBinding.Bool
            : null;
    }

    private static string ExpectedReturn(HookKind kind) => kind switch
    {
        HookKind.RequestHeaders or HookKind.ResponseHeaders => "FilterHeadersStatus or void",
        HookKind.RequestBody or HookKind.ResponseBody => "FilterDataStatus or void",
        HookKind.RequestTrailers or HookKind.ResponseTrailers => "FilterTrailersStatus or void",
        HookKind.StreamDone => "bool (true: the host may finish the stream now) or void",
        HookKind.VmStart or HookKind.Configure => "bool (false rejects the configuration) or void",
        _ => "void",
    };

    private static string AllowedParameters(HookKind kind, ITypeSymbol? pluginType)
    {
        string maps = "RequestHeaders, RequestTrailers, ResponseHeaders, ResponseTrailers";
        string plugin = pluginType is null ? string.Empty : ", " + pluginType.Name;
        return kind switch
        {
            HookKind.RequestHeaders or HookKind.ResponseHeaders => $"{maps}, int (number of headers), bool (end of stream), HttpStream{plugin}",
            HookKind.RequestBody => $"RequestBody, {maps}, int (body bytes buffered), bool (end of stream), HttpStream{plugin}",
            HookKind.ResponseBody => $"ResponseBody, {maps}, int (body bytes buffered), bool (end of stream), HttpStream{plugin}",
            HookKind.RequestTrailers or HookKind.ResponseTrailers => $"{maps}, int (number of trailers), HttpStream{plugin}",
            HookKind.StreamDone or HookKind.Log => $"{maps}, HttpStream{plugin}",
            HookKind.VmStart or HookKind.Configure => "ReadOnlySpan<byte> (the configuration bytes), int (configuration size in bytes)",
            _ => "none ([OnTick] takes no parameters)",
        };
    }
}
