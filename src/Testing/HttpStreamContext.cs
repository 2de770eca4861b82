using System;
using System.Collections.Generic;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// One HTTP stream (stream context) in a <see cref="ProxyWasmHost"/>. Each <c>On*</c> method calls the matching
/// <c>proxy_on_*</c> export (or returns Continue when the module does not export it, as proxy-wasm-cpp-host does) and
/// returns what it returned. The header maps are the host's: the filter's changes are visible in them afterwards.
/// </summary>
public sealed class HttpStreamContext
{
    private readonly ProxyWasmHost _host;
    private readonly List<CallbackRecord> _callbacks = new();
    private FilterDataStatus _lastRequestBodyStatus;
    private FilterDataStatus _lastResponseBodyStatus;

    internal HttpStreamContext(ProxyWasmHost host, uint contextId, PluginContext plugin)
    {
        _host = host;
        ContextId = contextId;
        StartTime = host.Options.Clock();
        Plugin = plugin;
    }

    /// <summary>When the stream was created (the host's <see cref="HostOptions.Clock"/>): property <c>request.time</c>.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>The stream's context id.</summary>
    public uint ContextId { get; }

    /// <summary>The plugin (root context) the stream was created under (<c>proxy_on_context_create(id, root)</c>).</summary>
    public PluginContext Plugin { get; }

    /// <summary>Request headers (null before <see cref="OnRequestHeaders"/>).</summary>
    public HeaderList? RequestHeaders { get; private set; }

    /// <summary>Request trailers (null unless the request has trailers).</summary>
    public HeaderList? RequestTrailers { get; private set; }

    /// <summary>Response headers (null before <see cref="OnResponseHeaders"/>).</summary>
    public HeaderList? ResponseHeaders { get; private set; }

    /// <summary>Response trailers (null unless the response has trailers).</summary>
    public HeaderList? ResponseTrailers { get; private set; }

    /// <summary>The request body buffered so far, as the filter left it.</summary>
    public byte[] RequestBody { get; internal set; } = Array.Empty<byte>();

    /// <summary>The response body buffered so far, as the filter left it.</summary>
    public byte[] ResponseBody { get; internal set; } = Array.Empty<byte>();

    /// <summary>The local response the module sent, if any.</summary>
    public LocalResponse? LocalResponse { get; internal set; }

    /// <summary>How many times the module called <c>proxy_continue_stream(HTTP_REQUEST)</c>.</summary>
    public int RequestResumeCount { get; internal set; }

    /// <summary>How many times the module called <c>proxy_continue_stream(HTTP_RESPONSE)</c>.</summary>
    public int ResponseResumeCount { get; internal set; }

    /// <summary>Whether the module closed (reset) the stream with <c>proxy_close_stream</c>.</summary>
    public bool Closed { get; internal set; }

    /// <summary>Whether the stream was failed because its VM failed (<see cref="ProxyWasmHost.VmFailure"/>; fail closed).</summary>
    public bool FailedByVm { get; internal set; }

    /// <summary>Whether <see cref="Complete"/> ran.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>This stream's callbacks, in order, with what each returned.</summary>
    public IReadOnlyList<CallbackRecord> Callbacks => _callbacks;

    /// <summary>Calls <c>proxy_on_request_headers</c> with <paramref name="headers"/> as the request header map.</summary>
    public FilterHeadersStatus OnRequestHeaders(HeaderList headers, bool endOfStream)
    {
        RequestHeaders = headers;
        return (FilterHeadersStatus)_host.CallStreamAction(this, ProxyCallbacks.RequestHeaders.Export, (uint)headers.Count, endOfStream ? 1u : 0u);
    }

    /// <summary>Calls <c>proxy_on_request_body</c> with a chunk. After StopIterationAndBuffer the chunk is appended to what
    /// was buffered; otherwise it replaces it. The body size passed is the buffered size in bytes.</summary>
    public FilterDataStatus OnRequestBody(byte[] chunk, bool endOfStream)
    {
        RequestBody = Buffer(RequestBody, chunk, _lastRequestBodyStatus);
        _lastRequestBodyStatus = (FilterDataStatus)_host.CallStreamAction(this, ProxyCallbacks.RequestBody.Export, (uint)RequestBody.Length, endOfStream ? 1u : 0u);
        return _lastRequestBodyStatus;
    }

    /// <summary>Calls <c>proxy_on_request_trailers</c> with <paramref name="trailers"/> as the request trailer map.</summary>
    public FilterTrailersStatus OnRequestTrailers(HeaderList trailers)
    {
        RequestTrailers = trailers;
        return (FilterTrailersStatus)_host.CallStreamAction(this, ProxyCallbacks.RequestTrailers.Export, (uint)trailers.Count);
    }

    /// <summary>Calls <c>proxy_on_response_headers</c> with <paramref name="headers"/> as the response header map.</summary>
    public FilterHeadersStatus OnResponseHeaders(HeaderList headers, bool endOfStream)
    {
        ResponseHeaders = headers;
        return (FilterHeadersStatus)_host.CallStreamAction(this, ProxyCallbacks.ResponseHeaders.Export, (uint)headers.Count, endOfStream ? 1u : 0u);
    }

    /// <summary>Calls <c>proxy_on_response_body</c> with a chunk (buffering as for <see cref="OnRequestBody"/>).</summary>
    public FilterDataStatus OnResponseBody(byte[] chunk, bool endOfStream)
    {
        ResponseBody = Buffer(ResponseBody, chunk, _lastResponseBodyStatus);
        _lastResponseBodyStatus = (FilterDataStatus)_host.CallStreamAction(this, ProxyCallbacks.ResponseBody.Export, (uint)ResponseBody.Length, endOfStream ? 1u : 0u);
        return _lastResponseBodyStatus;
    }

    /// <summary>Calls <c>proxy_on_response_trailers</c> with <paramref name="trailers"/> as the response trailer map.</summary>
    public FilterTrailersStatus OnResponseTrailers(HeaderList trailers)
    {
        ResponseTrailers = trailers;
        return (FilterTrailersStatus)_host.CallStreamAction(this, ProxyCallbacks.ResponseTrailers.Export, (uint)trailers.Count);
    }

    /// <summary>
    /// Ends the stream as the host does: <c>proxy_on_done</c>; then, if it returned true, <c>proxy_on_log</c> and
    /// <c>proxy_on_delete</c>. If it returned false the stream is <see cref="DonePending"/>: the module finishes it later
    /// with <c>proxy_done</c> (e.g. from the answer to an access-log callout), and log and delete follow then.
    /// </summary>
    /// <returns>What <c>proxy_on_done</c> returned (true: the module let the host finish the stream).</returns>
    public bool Complete()
    {
        if (IsCompleted)
        {
            return true;
        }

        IsCompleted = true;
        bool done = _host.CallStreamDone(this) != 0;
        if (done)
        {
            Finish();
        }
        else
        {
            DonePending = true;
        }

        return done;
    }

    /// <summary>Whether <c>proxy_on_done</c> returned false and the module has not called <c>proxy_done</c> yet.</summary>
    public bool DonePending { get; internal set; }

    /// <summary>Whether <c>proxy_on_delete</c> ran: the context is gone.</summary>
    public bool IsDeleted { get; private set; }

    internal void Finish()
    {
        _host.CallStreamVoid(this, ProxyCallbacks.Log.Export);
        _host.CallStreamVoid(this, ProxyCallbacks.Delete.Export);
        IsDeleted = true;
        _host.Forget(this);
    }

    internal void Record(CallbackRecord record) => _callbacks.Add(record);

    private static byte[] Buffer(byte[] buffered, byte[] chunk, FilterDataStatus previous)
    {
        if (previous is not (FilterDataStatus.StopIterationAndBuffer or FilterDataStatus.StopIterationAndWatermark))
        {
            return (byte[])chunk.Clone();
        }

        byte[] joined = new byte[buffered.Length + chunk.Length];
        buffered.CopyTo(joined, 0);
        chunk.CopyTo(joined, buffered.Length);
        return joined;
    }
}
