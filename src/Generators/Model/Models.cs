using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>What the generated glue passes for one hook parameter. Which of them a hook may take is the
/// <see cref="ProxyCallback.Inputs"/> of its callback.</summary>
internal enum ParameterBinding
{
    RequestHeaders,
    RequestTrailers,
    ResponseHeaders,
    ResponseTrailers,
    RequestBody,
    ResponseBody,

    /// <summary>The callback's first argument after the context id (number of headers, body bytes, configuration bytes).</summary>
    Count,

    /// <summary>The answer to an HTTP call (<c>HttpCallResponse</c>).</summary>
    HttpCallResponse,

    /// <summary>A gRPC message (<c>GrpcMessage</c>).</summary>
    GrpcMessage,

    /// <summary>gRPC initial or trailing metadata (<c>GrpcMetadata</c>).</summary>
    GrpcMetadata,

    /// <summary>The end of a gRPC call (<c>GrpcClose</c>).</summary>
    GrpcClose,
    EndOfStream,
    Plugin,
    Stream,

    /// <summary>The VM configuration bytes, as <c>ReadOnlySpan&lt;byte&gt;</c>.</summary>
    VmConfiguration,

    /// <summary>The plugin configuration bytes, as <c>ReadOnlySpan&lt;byte&gt;</c>.</summary>
    PluginConfiguration,

    /// <summary>The <c>DownstreamData</c> buffer of a connection.</summary>
    DownstreamData,

    /// <summary>The <c>UpstreamData</c> buffer of a connection.</summary>
    UpstreamData,

    /// <summary>The <c>PeerType</c> argument of a connection close.</summary>
    PeerType,

    /// <summary>The <c>SharedQueue</c> of a queue-ready callback.</summary>
    SharedQueue,

    /// <summary>The arguments of a foreign function call, as <c>ReadOnlySpan&lt;byte&gt;</c>.</summary>
    ForeignArguments,

    /// <summary>The <c>NetworkStream</c> handle of a connection (a network filter's counterpart of <see cref="Stream"/>).</summary>
    NetworkStream,

    /// <summary>The filter's typed plugin configuration (<see cref="FilterModel.Configuration"/>): the value just read in
    /// <c>OnConfigure</c>, the root context's accepted one in every other hook.</summary>
    Configuration,

    /// <summary>The typed VM configuration, in <c>OnVmStart</c> (<see cref="PluginModel.VmConfiguration"/>).</summary>
    TypedVmConfiguration,

    /// <summary>A <c>[Header(name)]</c> parameter: <see cref="HookParameter.Key"/> is the name, read from the map of the
    /// callback's direction.</summary>
    Header,

    /// <summary>A <c>[Property(path)]</c> parameter: <see cref="HookParameter.Key"/> is the NUL-joined path.</summary>
    Property,
}

/// <summary>How a <see cref="ParameterBinding.Header"/> or <see cref="ParameterBinding.Property"/> value is passed:
/// the parameter's type, which names the <c>ProxyWasm.Generated.Bind</c> method that reads it.</summary>
internal enum BoundShape
{
    /// <summary>Not a header or property.</summary>
    None,
    Bytes,
    Optional,
    Presence,
    Int64,
    NullableInt64,
    UInt64,
    NullableUInt64,
    Bool,
    NullableBool,
    Timestamp,
    NullableTimestamp,
    Duration,
    NullableDuration,
    Map,
}

/// <summary>One bound hook parameter (a record struct so arrays of it are equatable). <paramref name="Key"/>: the header
/// name or NUL-joined property path of a <see cref="ParameterBinding.Header"/> or <see cref="ParameterBinding.Property"/>;
/// <paramref name="Name"/>: the parameter's name, which the glue gives the local it reads such a value into.</summary>
internal readonly record struct HookParameter(ParameterBinding Binding, string? Key = null, BoundShape Shape = BoundShape.None, string? Name = null)
{
    /// <summary>Whether the glue reads the value into a local before the call (a header, a property, the configuration).</summary>
    public bool IsLocal => Binding is ParameterBinding.Header or ParameterBinding.Property or ParameterBinding.Configuration;
}

/// <summary>A typed (JSON) configuration: the type (fully qualified), the JSON an empty configuration reads as, whether
/// the type accepts plain text (<c>IPlainTextConfiguration&lt;T&gt;</c>), and the <c>JsonSerializerContext</c> that has
/// its metadata (null until the generator's pipeline finds it).</summary>
internal sealed record ConfigurationModel(string TypeName, string EmptyJson, bool PlainText, string? Context)
{
    /// <summary>The expression of the type's source-generated <c>JsonTypeInfo&lt;T&gt;</c>.</summary>
    public string TypeInfo => $"(global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{TypeName}>){Context}.Default.GetTypeInfo(typeof({TypeName}))!";
}

/// <summary>How the hook's return value becomes the callback's result.</summary>
internal enum ReturnBinding
{
    /// <summary>The hook returns void: the glue answers the callback's <see cref="ProxyCallback.Neutral"/> result.</summary>
    Void,

    /// <summary>The hook returns the callback's status enum.</summary>
    Status,

    /// <summary>The hook returns the callback's bool.</summary>
    Bool,
}

/// <summary>The generator's view of <c>ProxyWasm.FailurePolicy</c> (same values).</summary>
internal enum FailurePolicy
{
    FailClosed = 0,
    FailOpen = 1,
}

/// <summary>How per-stream filter state is created and recycled.</summary>
internal enum StateStrategy
{
    /// <summary>A struct in a slot, set to <c>new T()</c> for each stream.</summary>
    Struct,

    /// <summary>A pooled class instance; instance fields are reset to their constant initializers or default.</summary>
    PooledClass,

    /// <summary>A class created with <c>new</c> for each stream (explicit constructor, readonly or init-only state).</summary>
    NewPerStream,
}

/// <summary>One bound hook: the callback (by export name, a row of <see cref="ProxyCallbacks"/>) and the method, declared
/// on the filter type or (<paramref name="OnPlugin"/>) on the plugin type.</summary>
internal sealed record HookModel(string Export, string MethodName, ReturnBinding Return, EquatableArray<HookParameter> Parameters, bool OnPlugin)
{
    /// <summary>The glue method's name: the attribute's, prefixed with <c>Plugin</c> for a plugin hook of a callback
    /// that both types may handle, so the two never collide.</summary>
    public string GlueMethod => OnPlugin && Callback.IsStreamHook ? "Plugin" + Callback.Hook : Callback.Hook!;

    /// <summary>The callback row. Throws for a name that is not a row: models are only built from rows.</summary>
    public ProxyCallback Callback => ProxyCallbacks.ForExport(Export) ?? throw new InvalidOperationException("Not a Proxy-Wasm callback: " + Export);

    /// <summary><paramref name="hooks"/> in the table's order, so the glue's order does not depend on declaration order.</summary>
    public static EquatableArray<HookModel> InTableOrder(IEnumerable<HookModel> hooks)
        => hooks.OrderBy(h => Array.IndexOf(ProxyCallbacks.All, h.Callback)).ToEquatableArray();
}

/// <summary>Assignment that resets one member of a pooled filter: <c>filter.{Name} = {Value};</c>.</summary>
internal sealed record MemberReset(string Name, string Value);

/// <summary>The plugin type of a filter: its hooks, and the typed configurations its <c>OnConfigure</c> and <c>OnVmStart</c>
/// hooks declare.</summary>
internal sealed record PluginModel(string FullyQualifiedName, string DisplayName, EquatableArray<HookModel> Hooks, ConfigurationModel? Configuration = null, ConfigurationModel? VmConfiguration = null);

/// <summary>Everything the emitters need about one [HttpFilter] or [NetworkFilter] type. Holds no symbols or syntax, so
/// it is cacheable.</summary>
internal sealed record FilterModel(
    FilterKind Kind,
    string Namespace,
    string TypeName,
    string DeclarationKeyword,
    string FullyQualifiedName,
    string RootId,
    FailurePolicy FailurePolicy,
    PluginModel? Plugin,
    EquatableArray<HookModel> Hooks,
    StateStrategy Strategy,
    EquatableArray<MemberReset> Resets,
    ConfigurationModel? Configuration = null,
    bool Stateless = false)
{
    /// <summary>Whether the module can dispatch this filter's streams without tracking them: a stateless class
    /// (<see cref="Stateless"/>: no instance state, a base of <c>object</c>) without a plugin or configuration,
    /// whose only hook is a callback the host makes once per stream (<see cref="ProxyCallback.OncePerStream"/>), so no
    /// per-stream state, plugin slot or fault mark is ever read. The module then exports neither
    /// <c>proxy_on_context_create</c> nor <c>proxy_on_delete</c> (proxy-wasm-cpp-host skips callbacks a module does not
    /// export) and the hook runs on one shared instance.</summary>
    /// <remarks>Only callbacks the host makes on stream contexts alone (not <c>proxy_on_done</c> or <c>proxy_on_log</c>,
    /// which a host may make on root contexts too, where the tracked glue answers their neutral result).</remarks>
    public bool UntrackedStreams => Stateless && !HasRootState && Hooks.Length == 1 && !Hooks[0].OnPlugin && Hooks[0].Callback.OncePerStream
        && Hooks[0].Callback.Context is CallbackContext.HttpStream or CallbackContext.TcpStream;

    /// <summary>Whether root contexts have a slot: for a plugin instance, a typed configuration, or both.</summary>
    public bool HasRootState => Plugin is not null || Configuration is not null;

    public string HintName => DisplayName + ".ProxyWasm.g.cs";

    public string DisplayName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;
}

/// <summary>What the exports file needs about one filter: which callbacks its glue handles, by export name, for its
/// streams (<paramref name="Hooks"/>) and its plugin (<paramref name="PluginHooks"/>).</summary>
internal sealed record FilterExports(FilterKind Kind, string FullyQualifiedName, string DisplayName, string RootId, bool HasRootState, EquatableArray<string> Hooks, EquatableArray<string> PluginHooks, bool UntrackedStreams = false)
{
    /// <summary>Whether the filter's stream glue or plugin glue handles <paramref name="callback"/>.</summary>
    public bool Handles(ProxyCallback callback) => HandlesOnStream(callback) || HandlesOnPlugin(callback);

    public bool HandlesOnStream(ProxyCallback callback) => Hooks.AsImmutableArray().Contains(callback.Export);

    public bool HandlesOnPlugin(ProxyCallback callback) => PluginHooks.AsImmutableArray().Contains(callback.Export);

    /// <summary>The glue class that holds this filter's hooks.</summary>
    public string Glue => FullyQualifiedName + ".ProxyWasmGlue";

    public static FilterExports From(FilterModel filter) => new(
        filter.Kind,
        filter.FullyQualifiedName,
        filter.DisplayName,
        filter.RootId,
        filter.HasRootState,
        filter.Hooks.Select(h => h.Export).ToEquatableArray(),
        (filter.Plugin?.Hooks ?? EquatableArray<HookModel>.Empty).Select(h => h.Export)
            .Concat(filter.Configuration is not null ? new[] { ProxyCallbacks.Configure.Export } : Array.Empty<string>())
            .Distinct()
            .ToEquatableArray(),
        filter.UntrackedStreams);
}

/// <summary>The module: every valid filter of the compilation, ordered by name so indices are stable, and whether the
/// build links the native allocator (MSBuild property <c>ProxyWasmNativeAllocator</c>, set by ProxyWasm.Native.targets),
/// which then is the module's <c>proxy_on_memory_allocate</c> instead of a managed export.</summary>
internal sealed record ModuleModel(EquatableArray<FilterExports> Filters, bool NativeAllocator = false);
