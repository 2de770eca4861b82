namespace ProxyWasm;

/// <summary>
/// Status returned by every <c>env.proxy_*</c> host function (<c>proxy_status_t</c>, Proxy-Wasm ABI v0.2.1 "Types").
/// </summary>
/// <remarks>Values 5, 9 and 11 exist only in the C++ host's <c>WasmResult</c>; they are listed so that any value the
/// host returns has a name. Never assume a call returns only the codes its documentation lists.</remarks>
public enum ProxyStatus
{
    /// <summary>The call succeeded.</summary>
    Ok = 0,
    /// <summary>The requested item (header, property, context, queue, metric…) does not exist.</summary>
    NotFound = 1,
    /// <summary>An argument was invalid (unknown map or buffer type, unknown upstream, bad log level…).</summary>
    BadArgument = 2,
    /// <summary>The host could not serialize the value (for example a structured property).</summary>
    SerializationFailure = 3,
    /// <summary>The host could not parse the input.</summary>
    ParseFailure = 4,
    /// <summary>C++ host only: a bad expression.</summary>
    BadExpression = 5,
    /// <summary>A pointer/size pair passed to the host lies outside linear memory.</summary>
    InvalidMemoryAccess = 6,
    /// <summary>The queue is empty.</summary>
    Empty = 7,
    /// <summary>Compare-and-swap mismatch in <c>proxy_set_shared_data</c>.</summary>
    CasMismatch = 8,
    /// <summary>C++ host only: result mismatch.</summary>
    ResultMismatch = 9,
    /// <summary>Internal host failure, also what a capability-restricted host function returns.</summary>
    InternalFailure = 10,
    /// <summary>C++ host only: the connection is broken.</summary>
    BrokenConnection = 11,
    /// <summary>The host does not implement the call.</summary>
    Unimplemented = 12,
}

/// <summary>Log level (<c>proxy_log_level_t</c>). The C++ host rejects levels above <see cref="Critical"/>.</summary>
public enum LogLevel
{
    /// <summary>Trace (0).</summary>
    Trace = 0,
    /// <summary>Debug (1).</summary>
    Debug = 1,
    /// <summary>Info (2).</summary>
    Info = 2,
    /// <summary>Warn (3).</summary>
    Warn = 3,
    /// <summary>Error (4).</summary>
    Error = 4,
    /// <summary>Critical (5).</summary>
    Critical = 5,
}

/// <summary>Header map selector (<c>proxy_map_type_t</c>).</summary>
public enum MapType
{
    /// <summary>Request headers of the current HTTP stream.</summary>
    HttpRequestHeaders = 0,
    /// <summary>Request trailers of the current HTTP stream.</summary>
    HttpRequestTrailers = 1,
    /// <summary>Response headers of the current HTTP stream.</summary>
    HttpResponseHeaders = 2,
    /// <summary>Response trailers of the current HTTP stream.</summary>
    HttpResponseTrailers = 3,
    /// <summary>Initial metadata of a gRPC call (in <c>proxy_on_grpc_receive_initial_metadata</c>).</summary>
    GrpcReceiveInitialMetadata = 4,
    /// <summary>Trailing metadata of a gRPC call (in <c>proxy_on_grpc_receive_trailing_metadata</c>).</summary>
    GrpcReceiveTrailingMetadata = 5,
    /// <summary>Headers of an HTTP call response (in <c>proxy_on_http_call_response</c>).</summary>
    HttpCallResponseHeaders = 6,
    /// <summary>Trailers of an HTTP call response (in <c>proxy_on_http_call_response</c>).</summary>
    HttpCallResponseTrailers = 7,
}

/// <summary>Buffer selector (<c>proxy_buffer_type_t</c>).</summary>
public enum BufferType
{
    /// <summary>Request body chunk of the current HTTP stream.</summary>
    HttpRequestBody = 0,
    /// <summary>Response body chunk of the current HTTP stream.</summary>
    HttpResponseBody = 1,
    /// <summary>Data received from downstream on a TCP stream.</summary>
    DownstreamData = 2,
    /// <summary>Data received from upstream on a TCP stream.</summary>
    UpstreamData = 3,
    /// <summary>Body of an HTTP call response.</summary>
    HttpCallResponseBody = 4,
    /// <summary>Message of a gRPC call.</summary>
    GrpcReceiveBuffer = 5,
    /// <summary>VM configuration (read in <c>proxy_on_vm_start</c>). New in v0.2.0.</summary>
    VmConfiguration = 6,
    /// <summary>Plugin configuration (read in <c>proxy_on_configure</c>). New in v0.2.0.</summary>
    PluginConfiguration = 7,
    /// <summary>Arguments of a foreign function call (<c>proxy_on_foreign_function</c>). New in v0.2.0.</summary>
    CallData = 8,
}

/// <summary>Flags the host writes to the second output of <c>proxy_get_buffer_status</c>.</summary>
[System.Flags]
public enum BufferFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>The buffer holds the last bytes of the stream.</summary>
    EndOfStream = 1,
}

/// <summary>Stream selector for <c>proxy_continue_stream</c>/<c>proxy_close_stream</c> (<c>proxy_stream_type_t</c>, v0.2.0).</summary>
public enum StreamType
{
    /// <summary>The request half of the HTTP stream.</summary>
    HttpRequest = 0,
    /// <summary>The response half of the HTTP stream.</summary>
    HttpResponse = 1,
    /// <summary>The downstream side of a TCP stream.</summary>
    Downstream = 2,
    /// <summary>The upstream side of a TCP stream.</summary>
    Upstream = 3,
}

/// <summary>Which peer closed a TCP connection (<c>proxy_peer_type_t</c>).</summary>
public enum PeerType
{
    /// <summary>Unknown (0).</summary>
    Unknown = 0,
    /// <summary>The proxy closed it (1).</summary>
    Local = 1,
    /// <summary>The remote peer closed it (2).</summary>
    Remote = 2,
}

/// <summary>Metric kind for <c>proxy_define_metric</c> (<c>proxy_metric_type_t</c>).</summary>
public enum MetricType
{
    /// <summary>Monotonic counter.</summary>
    Counter = 0,
    /// <summary>Gauge.</summary>
    Gauge = 1,
    /// <summary>Histogram.</summary>
    Histogram = 2,
}

/// <summary>What a request/response headers hook tells the host to do next (C++ SDK <c>FilterHeadersStatus</c>).</summary>
/// <remarks>Envoy (proxy-wasm-cpp-host) turns <see cref="StopIteration"/> and any value above 4 into
/// <see cref="StopAllIterationAndWatermark"/> unless the filter was configured to allow header stop iteration.</remarks>
public enum FilterHeadersStatus
{
    /// <summary>Pass the headers on (0).</summary>
    Continue = 0,
    /// <summary>Stop header iteration until <c>proxy_continue_stream</c> (1).</summary>
    StopIteration = 1,
    /// <summary>Continue and end the stream (2).</summary>
    ContinueAndEndStream = 2,
    /// <summary>Stop and buffer all following data (3).</summary>
    StopAllIterationAndBuffer = 3,
    /// <summary>Stop and buffer all following data up to the watermark (4).</summary>
    StopAllIterationAndWatermark = 4,
}

/// <summary>What a body hook tells the host to do next (C++ SDK <c>FilterDataStatus</c>).</summary>
public enum FilterDataStatus
{
    /// <summary>Pass the chunk on (0).</summary>
    Continue = 0,
    /// <summary>Stop and buffer the body; the hook sees the accumulated size next time (1).</summary>
    StopIterationAndBuffer = 1,
    /// <summary>Stop and buffer up to the watermark (2).</summary>
    StopIterationAndWatermark = 2,
    /// <summary>Stop without buffering (3).</summary>
    StopIterationNoBuffer = 3,
}

/// <summary>What a trailers hook tells the host to do next (C++ SDK <c>FilterTrailersStatus</c>).</summary>
public enum FilterTrailersStatus
{
    /// <summary>Pass the trailers on (0).</summary>
    Continue = 0,
    /// <summary>Stop until <c>proxy_continue_stream</c> (1).</summary>
    StopIteration = 1,
}

/// <summary>What a TCP data hook tells the host to do next (C++ SDK <c>FilterStatus</c>).</summary>
public enum FilterStatus
{
    /// <summary>Pass the data on (0).</summary>
    Continue = 0,
    /// <summary>Stop until <c>proxy_continue_stream</c> (1).</summary>
    StopIteration = 1,
}

/// <summary>gRPC status codes, plus <see cref="None"/> (-1) for "not a gRPC response" in <c>proxy_send_local_response</c>.</summary>
public enum GrpcStatus
{
    /// <summary>No gRPC status (-1; C++ SDK <c>InvalidCode</c>).</summary>
    None = -1,
    /// <summary>OK (0).</summary>
    Ok = 0,
    /// <summary>CANCELLED (1).</summary>
    Cancelled = 1,
    /// <summary>UNKNOWN (2).</summary>
    Unknown = 2,
    /// <summary>INVALID_ARGUMENT (3).</summary>
    InvalidArgument = 3,
    /// <summary>DEADLINE_EXCEEDED (4).</summary>
    DeadlineExceeded = 4,
    /// <summary>NOT_FOUND (5).</summary>
    NotFound = 5,
    /// <summary>ALREADY_EXISTS (6).</summary>
    AlreadyExists = 6,
    /// <summary>PERMISSION_DENIED (7).</summary>
    PermissionDenied = 7,
    /// <summary>RESOURCE_EXHAUSTED (8).</summary>
    ResourceExhausted = 8,
    /// <summary>FAILED_PRECONDITION (9).</summary>
    FailedPrecondition = 9,
    /// <summary>ABORTED (10).</summary>
    Aborted = 10,
    /// <summary>OUT_OF_RANGE (11).</summary>
    OutOfRange = 11,
    /// <summary>UNIMPLEMENTED (12).</summary>
    Unimplemented = 12,
    /// <summary>INTERNAL (13).</summary>
    Internal = 13,
    /// <summary>UNAVAILABLE (14).</summary>
    Unavailable = 14,
    /// <summary>DATA_LOSS (15).</summary>
    DataLoss = 15,
    /// <summary>UNAUTHENTICATED (16).</summary>
    Unauthenticated = 16,
}
