using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ProxyWasm.Generators.Diagnostics;

/// <summary>A diagnostic the model builder found, not yet reported: the usage analyzer reports it; the generator only
/// counts it (a filter with an error gets no glue). Holds symbols' locations, so it never enters a pipeline model.</summary>
internal sealed class DiagnosticInfo
{
    private readonly object?[] _args;

    private DiagnosticInfo(DiagnosticDescriptor descriptor, Location? location, object?[] args)
    {
        Descriptor = descriptor;
        Location = location;
        _args = args;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public Location? Location { get; }

    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object?[] args) => new(descriptor, location, args);

    /// <summary>The same finding at <paramref name="location"/> (a plugin type from another assembly is reported on the
    /// attribute that names it).</summary>
    public DiagnosticInfo At(Location? location) => new(Descriptor, location, _args);

    /// <summary>The diagnostic, at its own location when that is in source, else at <paramref name="fallback"/>.</summary>
    public Diagnostic ToDiagnostic(Location? fallback)
        => Diagnostic.Create(Descriptor, Location is { IsInSource: true } inSource ? inSource : fallback ?? Location.None, _args);
}

/// <summary>
/// Typed factories for the usage rules, one per ID in ID order: the arguments each message needs, named. The model
/// builder adds what they return to the list it is given.
/// </summary>
internal static class ShapeDiagnostics
{
    /// <summary>PXW0001: <paramref name="declaration"/> is what to write instead, e.g. <c>public partial class HelloWorld</c>.</summary>
    public static DiagnosticInfo FilterNotPartial(Location? at, string type, string keyword, string declaration)
        => DiagnosticInfo.Create(UsageDescriptors.FilterNotPartial, at, type, keyword, declaration);

    /// <summary>PXW0002: <paramref name="accepted"/> lists the parameter types the hook accepts.</summary>
    public static DiagnosticInfo ParameterNotBindable(Location? at, string parameter, string parameterType, string method, string hook, string accepted)
        => DiagnosticInfo.Create(UsageDescriptors.ParameterNotBindable, at, parameter, parameterType, method, hook, accepted);

    /// <summary>PXW0003: <paramref name="expected"/> says what the hook may return.</summary>
    public static DiagnosticInfo ReturnTypeNotBindable(Location? at, string method, string hook, string returnType, string expected)
        => DiagnosticInfo.Create(UsageDescriptors.ReturnTypeNotBindable, at, method, hook, returnType, expected);

    /// <summary>PXW0004.</summary>
    public static DiagnosticInfo DuplicateHook(Location? at, string firstMethod, string method, string hook)
        => DiagnosticInfo.Create(UsageDescriptors.DuplicateHook, at, firstMethod, method, hook);

    /// <summary>PXW0005: <paramref name="others"/> names the other filters, e.g. <c>'A' and 'B'</c>.</summary>
    public static DiagnosticInfo DuplicateRootId(Location? at, string type, string rootId, string others)
        => DiagnosticInfo.Create(UsageDescriptors.DuplicateRootId, at, type, rootId, others);

    /// <summary>PXW0006.</summary>
    public static DiagnosticInfo GenericFilter(Location? at, string type)
        => DiagnosticInfo.Create(UsageDescriptors.GenericFilter, at, type);

    /// <summary>PXW0007.</summary>
    public static DiagnosticInfo NestedFilter(Location? at, string type, string containingType)
        => DiagnosticInfo.Create(UsageDescriptors.NestedFilter, at, type, containingType);

    /// <summary>PXW0008.</summary>
    public static DiagnosticInfo HookNotInstance(Location? at, string method, string hook)
        => DiagnosticInfo.Create(UsageDescriptors.HookNotInstance, at, method, hook);

    /// <summary>PXW0009: <paramref name="where"/> is e.g. <c>declared on the type X</c>, <paramref name="instead"/> where to declare it.</summary>
    public static DiagnosticInfo HookOnWrongType(Location? at, string method, string hook, string where, string instead)
        => DiagnosticInfo.Create(UsageDescriptors.HookOnWrongType, at, method, hook, where, instead);

    /// <summary>PXW0010.</summary>
    public static DiagnosticInfo InvalidPluginType(Location? at, string pluginType)
        => DiagnosticInfo.Create(UsageDescriptors.InvalidPluginType, at, pluginType);

    /// <summary>PXW0011.</summary>
    public static DiagnosticInfo PluginHookNotAccessible(Location? at, string method, string pluginType)
        => DiagnosticInfo.Create(UsageDescriptors.PluginHookNotAccessible, at, method, pluginType);

    /// <summary>PXW0012: <paramref name="earlier"/> is the parameter that already takes the value.</summary>
    public static DiagnosticInfo DuplicateBinding(Location? at, string parameter, string earlier, string method)
        => DiagnosticInfo.Create(UsageDescriptors.DuplicateBinding, at, parameter, earlier, method);

    /// <summary>PXW0013.</summary>
    public static DiagnosticInfo EmptyRootId(Location? at, string type)
        => DiagnosticInfo.Create(UsageDescriptors.EmptyRootId, at, type);

    /// <summary>PXW0014.</summary>
    public static DiagnosticInfo NoParameterlessConstructor(Location? at, string type)
        => DiagnosticInfo.Create(UsageDescriptors.NoParameterlessConstructor, at, type);

    /// <summary>PXW0015 (information): <paramref name="reason"/> completes "because ...".</summary>
    public static DiagnosticInfo AllocatedPerStream(Location? at, string type, string reason)
        => DiagnosticInfo.Create(UsageDescriptors.AllocatedPerStream, at, type, reason);

    /// <summary>PXW0019.</summary>
    public static DiagnosticInfo TwoFilterKinds(Location? at, string type)
        => DiagnosticInfo.Create(UsageDescriptors.TwoFilterKinds, at, type);

    /// <summary>PXW0020: <paramref name="type"/> is the configuration type as written.</summary>
    public static DiagnosticInfo ConfigurationWithoutContext(Location? at, string type)
        => DiagnosticInfo.Create(UsageDescriptors.ConfigurationWithoutContext, at, type);

    /// <summary>PXW0021: <paramref name="reason"/> says why, and what to write.</summary>
    public static DiagnosticInfo InvalidConfigurationType(Location? at, string type, string reason)
        => DiagnosticInfo.Create(UsageDescriptors.InvalidConfigurationType, at, type, reason);

    /// <summary>PXW0022: <paramref name="attribute"/> is <c>Header</c> or <c>Property</c>; <paramref name="instead"/> what to write.</summary>
    public static DiagnosticInfo BoundParameterNotFillable(Location? at, string attribute, string parameter, string parameterType, string hook, string instead)
        => DiagnosticInfo.Create(UsageDescriptors.BoundParameterNotFillable, at, attribute, parameter, parameterType, hook, instead);

    /// <summary>PXW0023: <paramref name="reason"/> completes "the header name ...", <paramref name="fix"/> is what to write.</summary>
    public static DiagnosticInfo InvalidHeaderName(Location? at, string name, string reason, string fix)
        => DiagnosticInfo.Create(UsageDescriptors.InvalidHeaderName, at, name, reason, fix);

    /// <summary>PXW0024 (warning): <paramref name="known"/> lists the attributes near the path.</summary>
    public static DiagnosticInfo UnknownProperty(Location? at, string path, string known)
        => DiagnosticInfo.Create(UsageDescriptors.UnknownProperty, at, path, known);

    /// <summary>Whether any of <paramref name="found"/> from index <paramref name="from"/> on is an error.</summary>
    public static bool AnyError(List<DiagnosticInfo> found, int from = 0) => found.Skip(from).Any(d => d.IsError);
}
