using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using ProxyWasm.Analyzers;

namespace ProxyWasm.Generators.Diagnostics;

/// <summary>
/// The usage rules PXW0001..PXW0015 and PXW0019..PXW0024: shapes the filter generator cannot bind. Each message says what to write instead.
/// Their format arguments are filled by the typed factories of <see cref="ShapeDiagnostics"/>, one per ID.
/// </summary>
internal static class UsageDescriptors
{
    private static DiagnosticDescriptor Rule(string id, string title, string message, string description, DiagnosticSeverity severity = DiagnosticSeverity.Error, params string[] customTags) =>
        new(id, title, message, DiagnosticHelp.Usage, severity, isEnabledByDefault: true,
            description: description, helpLinkUri: DiagnosticHelp.HelpLink(id), customTags: customTags);

    /// <summary>PXW0001. Args: type name, declaration keyword, the declaration to write.</summary>
    public static readonly DiagnosticDescriptor FilterNotPartial = Rule("PXW0001",
        "HTTP filter type must be partial",
        "'{0}' must be partial for the generator to add its glue: declare it '{2}'",
        "The generator adds a nested ProxyWasmGlue class to every [HttpFilter] type, which needs every declaration of the type to be partial.");

    /// <summary>PXW0002. Args: parameter name, parameter type, method name, attribute name, the parameters the hook accepts.</summary>
    public static readonly DiagnosticDescriptor ParameterNotBindable = Rule("PXW0002",
        "Hook parameter cannot be bound",
        "Parameter '{0}' of type '{1}' cannot be bound to [{3}] method '{2}': remove it, or use parameters of these types, each once and by value: {4}",
        "The glue fills each hook parameter from the callback by its type; a type the callback does not provide, or a ref, out or in parameter, cannot be filled.");

    /// <summary>PXW0003. Args: method name, attribute name, return type, the return types the hook accepts.</summary>
    public static readonly DiagnosticDescriptor ReturnTypeNotBindable = Rule("PXW0003",
        "Hook return type cannot be bound",
        "[{1}] method '{0}' returns '{2}', which the glue cannot pass to the host: return {3}",
        "The host expects a status (or a bool) from each callback; the hook returns that status directly, or void for the default.");

    /// <summary>PXW0004. Args: the first method's name, this method's name, attribute name.</summary>
    public static readonly DiagnosticDescriptor DuplicateHook = Rule("PXW0004",
        "Callback has more than one hook",
        "'{1}' is a second [{2}] method, but '{0}' already handles that callback: merge them into one method",
        "Each callback calls exactly one method of the type; a second method with the same hook attribute would never run.");

    /// <summary>PXW0005. Args: type name, root id, the other filters with that root id.</summary>
    public static readonly DiagnosticDescriptor DuplicateRootId = Rule("PXW0005",
        "Two filters have the same root id",
        "Root id \"{1}\" of '{0}' is also used by {2}: give each [HttpFilter] its own root id",
        "The host's plugin_root_id selects exactly one filter of the module; with two filters of the same root id the second is never selected.",
        DiagnosticSeverity.Error,
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>PXW0006. Args: type name.</summary>
    public static readonly DiagnosticDescriptor GenericFilter = Rule("PXW0006",
        "HTTP filter type must be a concrete, non-generic class or struct",
        "'{0}' cannot be an [HttpFilter] type: declare it as a non-generic, non-abstract, non-static class or struct",
        "The glue creates the filter with 'new' for each stream, so the type must be instantiable and must not have type parameters.");

    /// <summary>PXW0007. Args: type name, containing type name.</summary>
    public static readonly DiagnosticDescriptor NestedFilter = Rule("PXW0007",
        "HTTP filter type must not be nested",
        "'{0}' is nested in '{1}': declare the [HttpFilter] type directly in a namespace",
        "The generator emits the filter's glue as a partial declaration at namespace level.");

    /// <summary>PXW0008. Args: method name, attribute name.</summary>
    public static readonly DiagnosticDescriptor HookNotInstance = Rule("PXW0008",
        "Hook must be an ordinary non-generic instance method",
        "[{1}] method '{0}' must be an ordinary instance method: remove 'static', 'abstract' and type parameters, and do not put hook attributes on accessors, operators or explicit interface implementations",
        "The glue calls each hook by name on the instance that serves the stream (or on the plugin instance), with no type arguments.");

    /// <summary>PXW0009. Args: method name, attribute name, where it is declared ("declared on the type X"), where to declare it instead.</summary>
    public static readonly DiagnosticDescriptor HookOnWrongType = Rule("PXW0009",
        "Hook is declared where no callback reaches it",
        "[{1}] method '{0}' is {2}, where no callback reaches it: {3}",
        "Stream hooks are bound on [HttpFilter] types and plugin hooks (OnVmStart, OnConfigure, OnTick) on the plugin type an [HttpFilter] names; a hook anywhere else is never called.");

    /// <summary>PXW0010. Args: plugin type.</summary>
    public static readonly DiagnosticDescriptor InvalidPluginType = Rule("PXW0010",
        "Plugin type cannot be created",
        "Plugin type '{0}' cannot be created by the glue: name a non-abstract, non-generic class with a public or internal parameterless constructor",
        "The glue creates one instance of the plugin type per root context with 'new', so it must be a concrete class with an accessible parameterless constructor.");

    /// <summary>PXW0011. Args: method name, plugin type name.</summary>
    public static readonly DiagnosticDescriptor PluginHookNotAccessible = Rule("PXW0011",
        "Plugin hook is not accessible to the glue",
        "Plugin hook '{0}' cannot be called by the generated glue: make it public or internal in '{1}'",
        "The glue lives in the filter type and calls the plugin's hooks from there, so they must be public or internal.");

    /// <summary>PXW0012. Args: parameter name, the earlier parameter with the same binding, method name.</summary>
    public static readonly DiagnosticDescriptor DuplicateBinding = Rule("PXW0012",
        "Two hook parameters bind the same value",
        "Parameter '{0}' of '{2}' receives the same value as parameter '{1}': remove one of them",
        "Each value a callback provides can be bound to one parameter of the hook.");

    /// <summary>PXW0013. Args: type name.</summary>
    public static readonly DiagnosticDescriptor EmptyRootId = Rule("PXW0013",
        "Root id is empty",
        "[HttpFilter] on '{0}' has an empty root id: write the root id the proxy configures, such as [HttpFilter(\"my_filter\")]",
        "The root id (Envoy root_id, Istio WasmPlugin name) selects the filter; an empty or null one cannot be matched.");

    /// <summary>PXW0014. Args: type name.</summary>
    public static readonly DiagnosticDescriptor NoParameterlessConstructor = Rule("PXW0014",
        "HTTP filter class has no parameterless constructor",
        "'{0}' has no parameterless constructor for the glue to call: add one, or remove the constructors with parameters",
        "The glue creates the filter for each stream with 'new', passing no arguments.");

    /// <summary>PXW0015. Args: type name, why instances cannot be pooled.</summary>
    public static readonly DiagnosticDescriptor AllocatedPerStream = Rule("PXW0015",
        "HTTP filter is allocated for every stream",
        "'{0}' is allocated with 'new' for every HTTP stream because {1}: to reuse pooled instances, remove explicit constructors, readonly fields and init-only properties, and give fields only literal initializers, or make it a struct",
        "A pooled filter class is reset field by field for the next stream and does not allocate; a class the glue cannot reset safely is created anew for each stream.",
        DiagnosticSeverity.Info);

    /// <summary>PXW0019. Args: type name.</summary>
    public static readonly DiagnosticDescriptor TwoFilterKinds = Rule("PXW0019",
        "Type is both an HTTP and a network filter",
        "'{0}' has both [HttpFilter] and [NetworkFilter], but a filter type serves one kind of stream: keep one attribute, and declare a second type for the other kind",
        "An [HttpFilter] type serves HTTP streams and a [NetworkFilter] type TCP connections; the generator emits one glue class per filter type, for one kind.");

    /// <summary>PXW0020. Args: configuration type.</summary>
    public static readonly DiagnosticDescriptor ConfigurationWithoutContext = Rule("PXW0020",
        "Configuration type has no JsonSerializerContext",
        "The glue deserializes the configuration type '{0}' with System.Text.Json source generation, but no JsonSerializerContext of this project has [JsonSerializable(typeof({0}))]: add it, e.g. '[JsonSerializable(typeof({0}))] internal partial class ConfigurationJson : JsonSerializerContext;'",
        "Typed configuration is read without reflection, so trimming and NativeAOT keep it working: the glue uses the source-generated metadata of a JsonSerializerContext in the filter's project, whose options (naming policy, unmapped members, required properties) apply.");

    /// <summary>PXW0021. Args: configuration type, the reason and what to write.</summary>
    public static readonly DiagnosticDescriptor InvalidConfigurationType = Rule("PXW0021",
        "Type cannot be a configuration type",
        "'{0}' cannot be a configuration type: {1}",
        "The glue creates the configuration with System.Text.Json source generation and passes it to hooks by value, so the type must be a class, struct, record or collection that System.Text.Json can create, accessible to the glue.");

    /// <summary>PXW0022. Args: attribute name, parameter name, parameter type, hook attribute, what to write.</summary>
    public static readonly DiagnosticDescriptor BoundParameterNotFillable = Rule("PXW0022",
        "Header or property parameter cannot be filled",
        "[{0}] parameter '{1}' of type '{2}' cannot be filled in [{3}]: {4}",
        "The glue reads a [Header] parameter from the header map of the hook's direction and a [Property] parameter with proxy_get_property, into the types that can carry the value without allocating.");

    /// <summary>PXW0023. Args: header name, the reason, the name to write.</summary>
    public static readonly DiagnosticDescriptor InvalidHeaderName = Rule("PXW0023",
        "Header name can never match",
        "Header name \"{0}\" {1}: write {2}",
        "Envoy keeps header names lower case (HTTP/2 and HTTP/3 require it, and it lower-cases HTTP/1 names), and a name is an RFC 9110 token, optionally after the colon of a pseudo-header; any other name is never found.");

    /// <summary>PXW0024 (warning). Args: dotted path, the known attributes near it.</summary>
    public static readonly DiagnosticDescriptor UnknownProperty = Rule("PXW0024",
        "Property is not an Envoy attribute",
        "\"{0}\" is not an Envoy attribute, so the host will not find it and the parameter gets its empty value: {1}",
        "Envoy answers proxy_get_property for the attributes it documents (request.*, response.*, source.*, destination.*, connection.*, upstream.*, the xDS and plugin ones) and for keys under metadata, filter_state and the header maps; other paths are NotFound.",
        DiagnosticSeverity.Warning);

    /// <summary>Every usage rule, in ID order.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        FilterNotPartial, ParameterNotBindable, ReturnTypeNotBindable, DuplicateHook, DuplicateRootId, GenericFilter,
        NestedFilter, HookNotInstance, HookOnWrongType, InvalidPluginType, PluginHookNotAccessible, DuplicateBinding,
        EmptyRootId, NoParameterlessConstructor, AllocatedPerStream, TwoFilterKinds, ConfigurationWithoutContext,
        InvalidConfigurationType, BoundParameterNotFillable, InvalidHeaderName, UnknownProperty);
}
