using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>One <c>[JsonSerializable(typeof(T))]</c> of a <c>JsonSerializerContext</c>: the serialized type and the
/// context, fully qualified.</summary>
internal readonly record struct JsonContextEntry(string SerializedType, string Context);

/// <summary>
/// Typed configuration: which type a filter's configuration is (the <c>Configuration</c> of its attribute, or the
/// parameter of its plugin's <c>[OnConfigure]</c> / <c>[OnVmStart]</c> hook), whether System.Text.Json can create it
/// (PXW0021), and which <c>JsonSerializerContext</c> of the project has its metadata (PXW0020). The generator finds the
/// contexts with a pipeline of its own (<see cref="ReadContexts"/>), the analyzer with one walk of the compilation
/// (<see cref="ContextIndex"/>).
/// </summary>
internal static class ConfigurationTypes
{
    /// <summary>The parameter of the plugin's hook of <paramref name="callback"/> that declares a typed configuration:
    /// the first by-value parameter without [Header]/[Property] whose type no other binding takes.</summary>
    public static IParameterSymbol? Declared(KnownTypes types, INamedTypeSymbol pluginType, ProxyCallback callback, CancellationToken ct)
    {
        foreach ((IMethodSymbol method, ProxyCallback found) in types.HookMethods(pluginType, ct))
        {
            if (found != callback)
            {
                continue;
            }

            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (parameter.RefKind == RefKind.None && IsCandidate(types, parameter, pluginType))
                {
                    return parameter;
                }
            }

            return null;
        }

        return null;
    }

    /// <summary>Whether <paramref name="parameter"/> could only be a configuration: no bound attribute, and a type that
    /// is none of the runtime's handles, spans, int or bool.</summary>
    private static bool IsCandidate(KnownTypes types, IParameterSymbol parameter, ITypeSymbol pluginType)
    {
        ITypeSymbol type = parameter.Type;
        return !parameter.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass!, types.HeaderAttribute) || KnownTypes.Is(a.AttributeClass!, types.PropertyAttribute))
            && !types.IsReadOnlySpanOfByte(type)
            && type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Boolean)
            && !SymbolEqualityComparer.Default.Equals(type, pluginType)
            && types.HandleBinding(type) is null;
    }

    /// <summary>PXW0021's reason when System.Text.Json source generation cannot create <paramref name="type"/> for the
    /// glue, or null.</summary>
    public static string? Problem(ITypeSymbol type)
    {
        switch (type)
        {
            case ITypeParameterSymbol:
                return "it is a type parameter; name a concrete type";
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return "pointers cannot be deserialized; use a class or record";
            case IDynamicTypeSymbol:
                return "dynamic cannot be source-generated; use a class or record";
            case IArrayTypeSymbol array:
                return Problem(array.ElementType);
            case INamedTypeSymbol { TypeKind: TypeKind.Error }:
                return "the compiler cannot find it; name an existing class or record";
            case INamedTypeSymbol { IsUnboundGenericType: true } unbound:
                return unbound.Arity == 1
                    ? $"an unbound generic type has no instances; write its type argument, e.g. typeof({unbound.Name}<MySettings>)"
                    : $"an unbound generic type has no instances; write its type arguments, e.g. typeof({unbound.Name}<{string.Join(", ", unbound.TypeParameters.Select(p => p.Name))}>) with a concrete type for each";
            case INamedTypeSymbol named:
                if (named.IsRefLikeType)
                {
                    return "a ref struct cannot be kept between callbacks; use a class, record or struct";
                }

                if (named.TypeKind == TypeKind.Delegate)
                {
                    return "a delegate cannot be deserialized; use a class or record";
                }

                if (named.IsStatic)
                {
                    return "a static class has no instances; use a class or record";
                }

                if (named.TypeKind == TypeKind.Interface && named.ContainingNamespace?.ToDisplayString() != "System.Collections.Generic")
                {
                    return "System.Text.Json cannot create an interface other than the collection interfaces; use a class or record";
                }

                if (named.TypeKind == TypeKind.Class && named.IsAbstract)
                {
                    return "System.Text.Json cannot create an abstract class; use a concrete class or record";
                }

                for (INamedTypeSymbol? t = named; t is not null; t = t.ContainingType)
                {
                    if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                    {
                        return $"'{t.Name}' is {t.DeclaredAccessibility.ToString().ToLowerInvariant()}, so the glue cannot name it; make it public or internal";
                    }
                }

                return named.TypeArguments.Select(Problem).FirstOrDefault(p => p is not null);
            default:
                return "the glue cannot name it; use a class or record";
        }
    }

    /// <summary>The model of <paramref name="type"/> (context not yet known).</summary>
    public static ConfigurationModel Model(KnownTypes types, ITypeSymbol type)
    {
        bool plainText = types.PlainTextConfiguration is { } plain
            && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, plain) && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], type));
        return new ConfigurationModel(Name(type), IsCollection(type) ? "[]" : "{}", plainText, null);
    }

    /// <summary>The configuration type's name as the glue and <see cref="JsonContextEntry.SerializedType"/> write it.</summary>
    public static string Name(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>Whether JSON of <paramref name="type"/> is an array: an array or an enumerable that is not a dictionary or a string.</summary>
    private static bool IsCollection(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol)
        {
            return true;
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        IEnumerable<INamedTypeSymbol> all = type is INamedTypeSymbol { TypeKind: TypeKind.Interface } self ? type.AllInterfaces.Add(self) : type.AllInterfaces;
        bool enumerable = all.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T || i.SpecialType == SpecialType.System_Collections_IEnumerable);
        bool dictionary = all.Any(i => i.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IDictionary<TKey, TValue>" or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>" or "System.Collections.IDictionary");
        return enumerable && !dictionary;
    }

    /// <summary>The configuration model of <paramref name="type"/> after checking it (PXW0021, and PXW0020 when
    /// <paramref name="hasContext"/> is given: the analyzer's check), or null with the errors added.</summary>
    public static ConfigurationModel? Check(KnownTypes types, ITypeSymbol type, Location? at, Func<ITypeSymbol, bool>? hasContext, List<DiagnosticInfo> diagnostics)
    {
        string display = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        if (Problem(type) is { } problem)
        {
            diagnostics.Add(ShapeDiagnostics.InvalidConfigurationType(at, display, problem));
            return null;
        }

        if (hasContext is not null && !hasContext(type))
        {
            diagnostics.Add(ShapeDiagnostics.ConfigurationWithoutContext(at, display));
            return null;
        }

        return Model(types, type);
    }

    /// <summary>The generator's pipeline step: the <c>[JsonSerializable]</c> entries of one context class.</summary>
    public static EquatableArray<JsonContextEntry> ReadContexts(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || !DerivesFromContext(type))
        {
            return EquatableArray<JsonContextEntry>.Empty;
        }

        string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return context.Attributes
            .Where(a => a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is ITypeSymbol)
            .Select(a => new JsonContextEntry(Name((ITypeSymbol)a.ConstructorArguments[0].Value!), name))
            .ToEquatableArray();
    }

    /// <summary>The context for <paramref name="configuration"/>: the first by name of those that serialize its type.</summary>
    public static ConfigurationModel? Resolve(ConfigurationModel? configuration, IEnumerable<JsonContextEntry> contexts)
    {
        if (configuration is null)
        {
            return null;
        }

        string? context = contexts.Where(e => e.SerializedType == configuration.TypeName).Select(e => e.Context).OrderBy(c => c, StringComparer.Ordinal).FirstOrDefault();
        return context is null ? null : configuration with { Context = context };
    }

    /// <summary>The analyzer's index: every type a context of the compilation serializes (one walk, on first need).</summary>
    public static ImmutableHashSet<ITypeSymbol> ContextIndex(Compilation compilation, CancellationToken ct)
    {
        INamedTypeSymbol? serializable = compilation.GetTypeByMetadataName(KnownTypes.JsonSerializableAttributeName);
        ImmutableHashSet<ITypeSymbol>.Builder serialized = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
        if (serializable is null)
        {
            return serialized.ToImmutable();
        }

        foreach (INamedTypeSymbol type in SourceTypes.All(compilation, ct))
        {
            if (!DerivesFromContext(type))
            {
                continue;
            }

            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, serializable)
                    && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is ITypeSymbol target)
                {
                    serialized.Add(target.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
                }
            }
        }

        return serialized.ToImmutable();
    }

    private static bool DerivesFromContext(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == KnownTypes.JsonSerializerContextName)
            {
                return true;
            }
        }

        return false;
    }
}
