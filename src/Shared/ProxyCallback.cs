// The shapes of the callback table (src/Shared/ProxyCallbacks.cs): what one row of it says about a proxy_on_* callback.
// Compiled, like the table, into the generator, the analyzers and the test host.
using System;
using System.Collections.Generic;

namespace ProxyWasm.Abi;

/// <summary>The context a callback's first argument names, and so where its hook is declared.</summary>
internal enum CallbackContext
{
    /// <summary>No context: the ABI marker and the allocator.</summary>
    Module,

    /// <summary>Any context, root or stream (context create and delete). Handled by the module, no hook.</summary>
    Any,

    /// <summary>A root (plugin) context: the hook is a method of the plugin type.</summary>
    Root,

    /// <summary>An HTTP stream context: the hook is a method of the [HttpFilter] type.</summary>
    HttpStream,

    /// <summary>A TCP stream context (connection): the hook is a method of the [NetworkFilter] type.</summary>
    TcpStream,

    /// <summary>Any stream context, HTTP or TCP (done, log): the hook is a method of the filter type of either kind.</summary>
    AnyStream,

    /// <summary>A callout answer: the host names the root context; the module routes it by token to the context that
    /// made the call. The hook may be declared on the filter type (calls its stream made) and on the plugin type
    /// (calls a plugin hook made).</summary>
    Callout,
}

/// <summary>What a callback returns to the host, and so what its hook may return.</summary>
internal enum CallbackResult
{
    /// <summary>Nothing.</summary>
    Void,

    /// <summary>An i32 bool.</summary>
    Bool,

    /// <summary><c>FilterHeadersStatus</c>.</summary>
    HeadersStatus,

    /// <summary><c>FilterDataStatus</c>.</summary>
    DataStatus,

    /// <summary><c>FilterTrailersStatus</c>.</summary>
    TrailersStatus,

    /// <summary><c>FilterStatus</c> (TCP).</summary>
    NetworkStatus,

    /// <summary>A pointer (the allocator).</summary>
    Pointer,
}

/// <summary>How often the host calls a callback: what the hot-path analyzer treats as per-request code.</summary>
internal enum CallbackRate
{
    /// <summary>Never called (the ABI marker).</summary>
    Never,

    /// <summary>Once per VM or plugin configuration: not a hot path.</summary>
    PerConfiguration,

    /// <summary>On the plugin's timer: hot, but not per stream.</summary>
    PerTick,

    /// <summary>For every request or connection: hot, and per stream.</summary>
    PerStream,
}

/// <summary>What a hook of a callback may take as parameters (each at most once, in any order).</summary>
[Flags]
internal enum CallbackInputs
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>The four header maps of the stream (<c>RequestHeaders</c>, <c>RequestTrailers</c>, <c>ResponseHeaders</c>, <c>ResponseTrailers</c>).</summary>
    HeaderMaps = 1 << 0,

    /// <summary>The <c>RequestBody</c> buffer.</summary>
    RequestBody = 1 << 1,

    /// <summary>The <c>ResponseBody</c> buffer.</summary>
    ResponseBody = 1 << 2,

    /// <summary><c>int</c>: the callback's first argument after the context id (see <see cref="ProxyCallback.CountMeaning"/>).</summary>
    Count = 1 << 3,

    /// <summary><c>bool</c>: the <c>end_of_stream</c> argument.</summary>
    EndOfStream = 1 << 4,

    /// <summary>The <c>HttpStream</c> handle of the stream.</summary>
    Stream = 1 << 5,

    /// <summary>The filter's plugin instance.</summary>
    Plugin = 1 << 6,

    /// <summary><c>ReadOnlySpan&lt;byte&gt;</c>: the VM configuration (buffer <c>VM_CONFIGURATION</c>).</summary>
    VmConfiguration = 1 << 7,

    /// <summary><c>ReadOnlySpan&lt;byte&gt;</c>: the plugin configuration (buffer <c>PLUGIN_CONFIGURATION</c>).</summary>
    PluginConfiguration = 1 << 8,

    /// <summary><c>HttpCallResponse</c>: token, headers, body and trailers of an HTTP call's answer.</summary>
    HttpCallResponse = 1 << 9,

    /// <summary><c>GrpcMessage</c>: token and bytes of a gRPC message.</summary>
    GrpcMessage = 1 << 10,

    /// <summary><c>GrpcMetadata</c>: token and map of gRPC initial or trailing metadata.</summary>
    GrpcMetadata = 1 << 11,

    /// <summary><c>GrpcClose</c>: token, status code and message of a gRPC call's end.</summary>
    GrpcClose = 1 << 12,

    /// <summary>The <c>DownstreamData</c> buffer (<c>DOWNSTREAM_DATA</c>) of a connection.</summary>
    DownstreamData = 1 << 13,

    /// <summary>The <c>UpstreamData</c> buffer (<c>UPSTREAM_DATA</c>) of a connection.</summary>
    UpstreamData = 1 << 14,

    /// <summary><c>PeerType</c>: which side closed the connection (the <c>peer_type</c> argument).</summary>
    PeerType = 1 << 15,

    /// <summary><c>SharedQueue</c>: the queue that has data (the <c>queue_id</c> argument).</summary>
    SharedQueue = 1 << 16,

    /// <summary><c>ReadOnlySpan&lt;byte&gt;</c>: the arguments of a foreign function call (buffer <c>FOREIGN_FUNCTION_ARGUMENTS</c>).</summary>
    ForeignArguments = 1 << 17,

    /// <summary><c>[Header(name)]</c> parameters read the request headers (<c>proxy_get_header_map_value</c>).</summary>
    RequestHeader = 1 << 18,

    /// <summary><c>[Header(name)]</c> parameters read the response headers (<c>proxy_get_header_map_value</c>).</summary>
    ResponseHeader = 1 << 19,
}

/// <summary>The two kinds of filter a module declares: which stream contexts a filter type serves.</summary>
internal enum FilterKind
{
    /// <summary>An <c>[HttpFilter]</c>: HTTP stream contexts (Envoy <c>envoy.filters.http.wasm</c>).</summary>
    Http,

    /// <summary>A <c>[NetworkFilter]</c>: TCP stream contexts, one per connection (Envoy <c>envoy.filters.network.wasm</c>).</summary>
    Network,
}

/// <summary>One callback of ABI v0.2.1: one row of <see cref="ProxyCallbacks.All"/>.</summary>
internal sealed class ProxyCallback
{
    public ProxyCallback(
        string export,
        CallbackContext context,
        string[] parameters,
        CallbackResult result,
        string? hook = null,
        CallbackInputs inputs = CallbackInputs.None,
        string? countMeaning = null,
        string? neutral = null,
        string? failure = null,
        string? boolMeaning = null,
        CallbackRate rate = CallbackRate.Never,
        bool rejectsUnknownRoot = false,
        string? callout = null,
        string? calloutEnd = null,
        bool oncePerStream = false,
        string summary = "")
    {
        Export = export;
        Context = context;
        Parameters = parameters;
        Result = result;
        Hook = hook;
        Inputs = inputs;
        CountMeaning = countMeaning;
        Neutral = neutral;
        Failure = failure;
        BoolMeaning = boolMeaning;
        Rate = rate;
        RejectsUnknownRoot = rejectsUnknownRoot;
        Callout = callout;
        CalloutEnd = calloutEnd;
        OncePerStream = oncePerStream;
        Summary = summary;
    }

    /// <summary>The export name, e.g. <c>proxy_on_request_headers</c>.</summary>
    public string Export { get; }

    /// <summary>The context the first argument names.</summary>
    public CallbackContext Context { get; }

    /// <summary>The i32 arguments after the context id, in ABI order, as the spec names them (<c>num_headers</c>, ...).
    /// For <see cref="CallbackContext.Module"/> rows, every argument.</summary>
    public string[] Parameters { get; }

    /// <summary>What it returns to the host.</summary>
    public CallbackResult Result { get; }

    /// <summary>The hook attribute's name without <c>Attribute</c> (<c>OnRequestHeaders</c>), or null when the module
    /// itself handles the callback or no hook binds it yet.</summary>
    public string? Hook { get; }

    /// <summary>What its hook may take.</summary>
    public CallbackInputs Inputs { get; }

    /// <summary>What the <c>int</c> parameter means, for <see cref="CallbackInputs.Count"/> (<c>number of headers</c>).</summary>
    public string? CountMeaning { get; }

    /// <summary>The status or bool the glue returns when no hook ran or the hook returned void, e.g. <c>Continue</c>, <c>true</c>.</summary>
    public string? Neutral { get; }

    /// <summary>The status or bool the glue returns when the hook threw (for a stream status, under
    /// <c>FailurePolicy.FailClosed</c>; <c>FailOpen</c> returns <see cref="Neutral"/>).</summary>
    public string? Failure { get; }

    /// <summary>What the bool result means, for messages (<c>false rejects the configuration</c>).</summary>
    public string? BoolMeaning { get; }

    /// <summary>How often the host calls it.</summary>
    public CallbackRate Rate { get; }

    /// <summary>A root context whose root id matches no filter of a multi-filter module answers <see cref="Failure"/>
    /// here (Envoy then rejects the plugin), so the export exists even when no hook binds it.</summary>
    public bool RejectsUnknownRoot { get; }

    /// <summary>For <see cref="CallbackContext.Callout"/> rows, the token space the answer is routed in
    /// (<c>Http</c>, <c>Grpc</c>: the runtime's <c>CalloutKind</c>).</summary>
    public string? Callout { get; }

    /// <summary>For callout rows: whether this answer ends its call, so its route is dropped (<c>Always</c>,
    /// <c>IfUnary</c>, <c>Never</c>: the runtime's <c>CalloutEnd</c>).</summary>
    public string? CalloutEnd { get; }

    /// <summary>The host calls it at most once per stream or connection (headers, trailers, done, log, a connection's
    /// open and close; not bodies or data). A stateless filter whose only hook is such a callback needs no per-stream
    /// state at all, not even a fault mark: no later call of that hook on the same stream can see one.</summary>
    public bool OncePerStream { get; }

    /// <summary>One line for the docs table.</summary>
    public string Summary { get; }

    /// <summary>Whether a hook of this callback may be declared on the plugin type.</summary>
    public bool IsPluginHook => Context is CallbackContext.Root or CallbackContext.Callout;

    /// <summary>Whether a hook of this callback may be declared on a filter type (of some kind).</summary>
    public bool IsStreamHook => Context is CallbackContext.HttpStream or CallbackContext.TcpStream or CallbackContext.AnyStream or CallbackContext.Callout;

    /// <summary>Whether a hook of this callback may be declared on a filter type of <paramref name="kind"/>.</summary>
    public bool IsHookOf(FilterKind kind) => Context switch
    {
        CallbackContext.HttpStream => kind == FilterKind.Http,
        CallbackContext.TcpStream => kind == FilterKind.Network,
        CallbackContext.AnyStream or CallbackContext.Callout => true,
        _ => false,
    };

    /// <summary>Whether the first argument is a stream context (HTTP or TCP), not a root context.</summary>
    public bool IsStreamContext => Context is CallbackContext.HttpStream or CallbackContext.TcpStream or CallbackContext.AnyStream;

    /// <summary>The number of i32 parameters of the export.</summary>
    public int Arity => Parameters.Length + (Context == CallbackContext.Module ? 0 : 1);

    /// <summary>The return type's name in <c>ProxyWasm</c> for status results, else null.</summary>
    public string? StatusType => Result switch
    {
        CallbackResult.HeadersStatus => "FilterHeadersStatus",
        CallbackResult.DataStatus => "FilterDataStatus",
        CallbackResult.TrailersStatus => "FilterTrailersStatus",
        CallbackResult.NetworkStatus => "FilterStatus",
        _ => null,
    };

    /// <summary>The name of the context-id argument: <c>root_context_id</c> for root callbacks, else <c>context_id</c>.</summary>
    public string ContextParameter => Context is CallbackContext.Root or CallbackContext.Callout ? "root_context_id" : "context_id";

    /// <summary>The ABI signature, e.g. <c>(context_id, num_headers, end_of_stream) -> i32</c>.</summary>
    public string Signature
    {
        get
        {
            var all = new List<string>();
            if (Context != CallbackContext.Module)
            {
                all.Add(ContextParameter);
            }

            all.AddRange(Parameters);
            string result = Result switch
            {
                CallbackResult.Void => string.Empty,
                CallbackResult.Pointer => " -> ptr",
                CallbackResult.Bool => " -> bool",
                _ => " -> " + StatusType,
            };
            return "(" + string.Join(", ", all) + ")" + result;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Export;
}

