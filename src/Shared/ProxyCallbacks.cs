// The Proxy-Wasm ABI v0.2.1 callbacks (the module's proxy_on_* exports), declared once. This file is compiled into
// the generator, the analyzers and the test host (ProxyWasm.Testing), so the glue the generator emits, the hooks the
// analyzers know, the signatures the test host checks and the docs table (docs/callbacks.md) all come from these rows.
// Adding a callback: one row here, its hook attribute in src/Runtime/Attributes.cs, and its binding code.
using System;
using System.Collections.Generic;

namespace ProxyWasm.Abi;

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
        hook: "OnRequestHeaders", inputs: CallbackInputs.RequestHeader | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of headers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "Request headers arrived.");

    public static readonly ProxyCallback RequestBody = new("proxy_on_request_body", CallbackContext.HttpStream, new[] { "body_size", "end_of_stream" }, CallbackResult.DataStatus,
        hook: "OnRequestBody", inputs: CallbackInputs.RequestHeader | CallbackInputs.RequestBody | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "body bytes buffered", neutral: "Continue", failure: "StopIterationNoBuffer", rate: CallbackRate.PerStream,
        summary: "A request body chunk arrived (body_size: bytes buffered so far).");

    public static readonly ProxyCallback RequestTrailers = new("proxy_on_request_trailers", CallbackContext.HttpStream, new[] { "num_trailers" }, CallbackResult.TrailersStatus,
        hook: "OnRequestTrailers", inputs: CallbackInputs.RequestHeader | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of trailers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "Request trailers arrived.");

    public static readonly ProxyCallback ResponseHeaders = new("proxy_on_response_headers", CallbackContext.HttpStream, new[] { "num_headers", "end_of_stream" }, CallbackResult.HeadersStatus,
        hook: "OnResponseHeaders", inputs: CallbackInputs.ResponseHeader | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of headers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "Response headers arrived (also for a local response).");

    public static readonly ProxyCallback ResponseBody = new("proxy_on_response_body", CallbackContext.HttpStream, new[] { "body_size", "end_of_stream" }, CallbackResult.DataStatus,
        hook: "OnResponseBody", inputs: CallbackInputs.ResponseHeader | CallbackInputs.ResponseBody | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "body bytes buffered", neutral: "Continue", failure: "StopIterationNoBuffer", rate: CallbackRate.PerStream,
        summary: "A response body chunk arrived.");

    public static readonly ProxyCallback ResponseTrailers = new("proxy_on_response_trailers", CallbackContext.HttpStream, new[] { "num_trailers" }, CallbackResult.TrailersStatus,
        hook: "OnResponseTrailers", inputs: CallbackInputs.ResponseHeader | CallbackInputs.HeaderMaps | CallbackInputs.Count | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "number of trailers", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "Response trailers arrived.");

    public static readonly ProxyCallback Done = new("proxy_on_done", CallbackContext.AnyStream, new string[0], CallbackResult.Bool,
        hook: "OnStreamDone", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin,
        neutral: "true", failure: "true", boolMeaning: "true: the host may finish the stream now", rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "The context is finishing; true lets the host finish it now (root contexts: true).");

    public static readonly ProxyCallback Log = new("proxy_on_log", CallbackContext.AnyStream, new string[0], CallbackResult.Void,
        hook: "OnLog", inputs: CallbackInputs.HeaderMaps | CallbackInputs.Stream | CallbackInputs.Plugin, rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "Access logging after done; the headers are still readable.");

    public static readonly ProxyCallback Delete = new("proxy_on_delete", CallbackContext.Any, new string[0], CallbackResult.Void,
        summary: "The context is gone; the module frees its state.");

    public static readonly ProxyCallback NewConnection = new("proxy_on_new_connection", CallbackContext.TcpStream, new string[0], CallbackResult.NetworkStatus,
        hook: "OnNewConnection", inputs: CallbackInputs.Stream | CallbackInputs.Plugin,
        neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "A TCP connection opened (downstream connected).");

    public static readonly ProxyCallback DownstreamData = new("proxy_on_downstream_data", CallbackContext.TcpStream, new[] { "data_size", "end_of_stream" }, CallbackResult.NetworkStatus,
        hook: "OnDownstreamData", inputs: CallbackInputs.DownstreamData | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "downstream bytes buffered", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        summary: "Data from the downstream peer (buffer DOWNSTREAM_DATA; data_size grows while the connection is paused).");

    public static readonly ProxyCallback DownstreamConnectionClose = new("proxy_on_downstream_connection_close", CallbackContext.TcpStream, new[] { "peer_type" }, CallbackResult.Void,
        hook: "OnDownstreamConnectionClose", inputs: CallbackInputs.PeerType | CallbackInputs.Stream | CallbackInputs.Plugin, rate: CallbackRate.PerStream,
        oncePerStream: true,
        summary: "The downstream connection closed (peer_type: which side closed it).");

    public static readonly ProxyCallback UpstreamData = new("proxy_on_upstream_data", CallbackContext.TcpStream, new[] { "data_size", "end_of_stream" }, CallbackResult.NetworkStatus,
        hook: "OnUpstreamData", inputs: CallbackInputs.UpstreamData | CallbackInputs.Count | CallbackInputs.EndOfStream | CallbackInputs.Stream | CallbackInputs.Plugin,
        countMeaning: "upstream bytes buffered", neutral: "Continue", failure: "StopIteration", rate: CallbackRate.PerStream,
        summary: "Data from the upstream peer (buffer UPSTREAM_DATA).");

    public static readonly ProxyCallback UpstreamConnectionClose = new("proxy_on_upstream_connection_close", CallbackContext.TcpStream, new[] { "peer_type" }, CallbackResult.Void,
        hook: "OnUpstreamConnectionClose", inputs: CallbackInputs.PeerType | CallbackInputs.Stream | CallbackInputs.Plugin, rate: CallbackRate.PerStream,
        oncePerStream: true,
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
        hook: "OnQueueReady", inputs: CallbackInputs.SharedQueue, rate: CallbackRate.PerTick,
        summary: "A shared queue this root context registered has data (proxy_enqueue_shared_queue from any VM).");

    public static readonly ProxyCallback ForeignFunction = new("proxy_on_foreign_function", CallbackContext.Root, new[] { "function_id", "arguments_size" }, CallbackResult.Void,
        hook: "OnForeignFunction", inputs: CallbackInputs.Count | CallbackInputs.ForeignArguments, countMeaning: "function id", rate: CallbackRate.PerTick,
        summary: "The host called a function of the module (arguments in buffer FOREIGN_FUNCTION_ARGUMENTS).");

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
