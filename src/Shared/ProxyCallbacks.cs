// The Proxy-Wasm ABI v0.2.1 callbacks (the module's proxy_on_* exports), declared once. This file is compiled into
// the generator, the analyzers and the test host (ProxyWasm.Testing), so the glue the generator emits, the hooks the
// analyzers know, the signatures the test host checks and the docs table (docs/callbacks.md) all come from these rows.
// Adding a callback: one row here, its hook attribute in src/Runtime/Attributes.cs, and its binding code.
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

    /// <summary>A TCP stream context (network filter). No hook yet.</summary>
    TcpStream,

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

    /// <summary>One line for the docs table.</summary>
    public string Summary { get; }

    /// <summary>Whether a hook of this callback may be declared on the plugin type.</summary>
    public bool IsPluginHook => Context is CallbackContext.Root or CallbackContext.Callout;

    /// <summary>Whether a hook of this callback may be declared on the filter type.</summary>
    public bool IsStreamHook => Context is CallbackContext.HttpStream or CallbackContext.Callout;

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

/// <summary>Every callback of ABI v0.2.1 that a module can export, in the spec's order.</summary>
internal static class ProxyCallbacks
{
    public static readonly ProxyCallback AbiVersion = new("proxy_abi_version_0_2_1", CallbackContext.Module, new string[0], CallbackResult.Void,
        summary: "ABI marker; never called.");

    public static readonly ProxyCallback MemoryAllocate = new("proxy_on_memory_allocate", CallbackContext.Module, new[] { "size" }, CallbackResult.Pointer,
        summary: "Memory for data the host returns; freed by the module when the callback returns.");

    public static readonly ProxyCallback ContextCreate = new("proxy_on_context_create", CallbackContext.Any, new[] { "parent_context_id" }, CallbackResult.Void,
        summary: "Parent 0: a root (plugin) context; otherwise a stream of that root. The module keeps the dispatch table.");

    public static readonly ProxyCallback VmStart = new("proxy_on_vm_start", CallbackContext.Root, new[] { "vm_configuration_size" }, CallbackResult.Bool,
        hook: "OnVmStart", inputs: CallbackInputs.VmConfiguration | CallbackInputs.Count, countMeaning: "configuration size in bytes",
        neutral: "true", failure: "false", boolMeaning: "false rejects the configuration", rate: CallbackRate.PerConfiguration,
        summary: "The VM started; false: the host must not use it.");

    public static readonly ProxyCallback Configure = new("proxy_on_configure", CallbackContext.Root, new[] { "plugin_configuration_size" }, CallbackResult.Bool,
        hook: "OnConfigure", inputs: CallbackInputs.PluginConfiguration | CallbackInputs.Count, countMeaning: "configuration size in bytes",
        neutral: "true", failure: "false", boolMeaning: "false rejects the configuration", rate: CallbackRate.PerConfiguration, rejectsUnknownRoot: true,
        summary: "The plugin's configuration; false: the host rejects the plugin.");

    public static readonly ProxyCallback Tick = new("proxy_on_tick", CallbackContext.Root, new string[0], CallbackResult.Void,
        hook: "OnTick", rate: CallbackRate.PerTick,
        summary: "The plugin's timer (proxy_set_tick_period_milliseconds).");

    public static readonly ProxyCallback RequestHeaders = new("proxy_on_request_headers", CallbackContext.HttpStream, new[] { "num_headers", "end_of_stream" }, CallbackResult.HeadersStatus,
        hook: "OnRequestHeaders", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of headers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        summary: "Request headers arrived.");

    public static readonly ProxyCallback RequestBody = new("proxy_on_request_body", CallbackContext.HttpStream, new[] { "body_size", "end_of_stream" }, CallbackResult.DataStatus,
        hook: "OnRequestBody", inputs: CallbackInputs.RequestBody | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "body bytes buffered", neutral: "Continue", failure: "StopIterationNoBuffer", rate: CallbackRate.PerStream,
        summary: "A request body chunk arrived (body_size: bytes buffered so far).");

    public static readonly ProxyCallback RequestTrailers = new("proxy_on_request_trailers", CallbackContext.HttpStream, new[] { "num_trailers" }, CallbackResult.TrailersStatus,
        hook: "OnRequestTrailers", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of trailers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        summary: "Request trailers arrived.");

    public static readonly ProxyCallback ResponseHeaders = new("proxy_on_response_headers", CallbackContext.HttpStream, new[] { "num_headers", "end_of_stream" }, CallbackResult.HeadersStatus,
        hook: "OnResponseHeaders", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of headers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        summary: "Response headers arrived (also for a local response).");

    public static readonly ProxyCallback ResponseBody = new("proxy_on_response_body", CallbackContext.HttpStream, new[] { "body_size", "end_of_stream" }, CallbackResult.DataStatus,
        hook: "OnResponseBody", inputs: CallbackInputs.ResponseBody | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "body bytes buffered", neutral: "Continue", failure: "StopIterationNoBuffer", rate: CallbackRate.PerStream,
        summary: "A response body chunk arrived.");

    public static readonly ProxyCallback ResponseTrailers = new("proxy_on_response_trailers", CallbackContext.HttpStream, new[] { "num_trailers" }, CallbackResult.TrailersStatus,
        hook: "OnResponseTrailers", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of trailers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        summary: "Response trailers arrived.");

    public static readonly ProxyCallback Done = new("proxy_on_done", CallbackContext.HttpStream, new string[0], CallbackResult.Bool,
        hook: "OnStreamDone", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin,
        neutral: "true", failure: "true", boolMeaning: "true: the host may finish the stream now", rate: CallbackRate.PerStream,
        summary: "The context is finishing; true lets the host finish it now (root contexts: true).");

    public static readonly ProxyCallback Log = new("proxy_on_log", CallbackContext.HttpStream, new string[0], CallbackResult.Void,
        hook: "OnLog", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin, rate: CallbackRate.PerStream,
        summary: "Access logging after done; the headers are still readable.");

    public static readonly ProxyCallback Delete = new("proxy_on_delete", CallbackContext.Any, new string[0], CallbackResult.Void,
        summary: "The context is gone; the module frees its state.");

    public static readonly ProxyCallback NewConnection = new("proxy_on_new_connection", CallbackContext.TcpStream, new string[0], CallbackResult.NetworkStatus,
        summary: "A TCP connection opened.");

    public static readonly ProxyCallback DownstreamData = new("proxy_on_downstream_data", CallbackContext.TcpStream, new[] { "data_size", "end_of_stream" }, CallbackResult.NetworkStatus,
        summary: "Data from the downstream peer.");

    public static readonly ProxyCallback DownstreamConnectionClose = new("proxy_on_downstream_connection_close", CallbackContext.TcpStream, new[] { "peer_type" }, CallbackResult.Void,
        summary: "The downstream connection closed.");

    public static readonly ProxyCallback UpstreamData = new("proxy_on_upstream_data", CallbackContext.TcpStream, new[] { "data_size", "end_of_stream" }, CallbackResult.NetworkStatus,
        summary: "Data from the upstream peer.");

    public static readonly ProxyCallback UpstreamConnectionClose = new("proxy_on_upstream_connection_close", CallbackContext.TcpStream, new[] { "peer_type" }, CallbackResult.Void,
        summary: "The upstream connection closed.");

    public static readonly ProxyCallback HttpCallResponse = new("proxy_on_http_call_response", CallbackContext.Callout, new[] { "token", "num_headers", "body_size", "num_trailers" }, CallbackResult.Void,
        hook: "OnHttpCallResponse", inputs: CallbackInputs.HttpCallResponse | CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin, rate: CallbackRate.PerStream, callout: "Http", calloutEnd: "Always",
        summary: "The answer to proxy_http_call (num_headers 0: the call failed), routed by token to the context that made the call.");

    public static readonly ProxyCallback GrpcReceiveInitialMetadata = new("proxy_on_grpc_receive_initial_metadata", CallbackContext.Callout, new[] { "token", "num_elements" }, CallbackResult.Void,
        hook: "OnGrpcReceiveInitialMetadata", inputs: CallbackInputs.GrpcMetadata | CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin,
        rate: CallbackRate.PerStream, callout: "Grpc", calloutEnd: "Never",
        summary: "gRPC initial metadata arrived (map GRPC_RECEIVE_INITIAL_METADATA).");

    public static readonly ProxyCallback GrpcReceive = new("proxy_on_grpc_receive", CallbackContext.Callout, new[] { "token", "message_size" }, CallbackResult.Void,
        hook: "OnGrpcReceive", inputs: CallbackInputs.GrpcMessage | CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin,
        rate: CallbackRate.PerStream, callout: "Grpc", calloutEnd: "IfUnary",
        summary: "A gRPC message arrived (buffer GRPC_RECEIVE_BUFFER); the answer of a unary call.");

    public static readonly ProxyCallback GrpcReceiveTrailingMetadata = new("proxy_on_grpc_receive_trailing_metadata", CallbackContext.Callout, new[] { "token", "num_elements" }, CallbackResult.Void,
        hook: "OnGrpcReceiveTrailingMetadata", inputs: CallbackInputs.GrpcMetadata | CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin,
        rate: CallbackRate.PerStream, callout: "Grpc", calloutEnd: "Never",
        summary: "gRPC trailing metadata arrived (map GRPC_RECEIVE_TRAILING_METADATA).");

    public static readonly ProxyCallback GrpcClose = new("proxy_on_grpc_close", CallbackContext.Callout, new[] { "token", "status_code" }, CallbackResult.Void,
        hook: "OnGrpcClose", inputs: CallbackInputs.GrpcClose | CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin,
        rate: CallbackRate.PerStream, callout: "Grpc", calloutEnd: "Always",
        summary: "A gRPC call or stream ended (status code; message by proxy_get_status); a failed unary call ends here.");

    public static readonly ProxyCallback QueueReady = new("proxy_on_queue_ready", CallbackContext.Root, new[] { "queue_id" }, CallbackResult.Void,
        summary: "A shared queue has data.");

    public static readonly ProxyCallback ForeignFunction = new("proxy_on_foreign_function", CallbackContext.Root, new[] { "function_id", "arguments_size" }, CallbackResult.Void,
        summary: "The host called a foreign function of the module.");

    /// <summary>Every row, in the spec's order.</summary>
    public static readonly ProxyCallback[] All =
    {
        AbiVersion, MemoryAllocate, ContextCreate, VmStart, Configure, Tick,
        RequestHeaders, RequestBody, RequestTrailers, ResponseHeaders, ResponseBody, ResponseTrailers, Done, Log, Delete,
        NewConnection, DownstreamData, DownstreamConnectionClose, UpstreamData, UpstreamConnectionClose,
        HttpCallResponse, GrpcReceiveInitialMetadata, GrpcReceive, GrpcReceiveTrailingMetadata, GrpcClose, QueueReady, ForeignFunction,
    };

    private static readonly Dictionary<string, ProxyCallback> s_byExport = Index(c => c.Export);
    private static readonly Dictionary<string, ProxyCallback> s_byHook = Index(c => c.Hook);

    /// <summary>The row of export <paramref name="export"/>, or null for a name that is not a v0.2.1 callback.</summary>
    public static ProxyCallback? ForExport(string export) => s_byExport.TryGetValue(export, out ProxyCallback? row) ? row : null;

    /// <summary>The row of the hook attribute named <paramref name="hook"/> (<c>OnRequestHeaders</c>), or null.</summary>
    public static ProxyCallback? ForHook(string hook) => s_byHook.TryGetValue(hook, out ProxyCallback? row) ? row : null;

    private static Dictionary<string, ProxyCallback> Index(Func<ProxyCallback, string?> key)
    {
        var index = new Dictionary<string, ProxyCallback>(StringComparer.Ordinal);
        foreach (ProxyCallback row in All)
        {
            if (key(row) is { } name)
            {
                index.Add(name, row);
            }
        }

        return index;
    }
}
