using System;
using System.Runtime.InteropServices;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>How a stream run by <see cref="LeanHost.RunRequestWithCallout"/> ended.</summary>
public enum LeanOutcome
{
    /// <summary><c>proxy_on_request_headers</c> paused the stream and nothing resumed or answered it.</summary>
    Paused,

    /// <summary><c>proxy_on_request_headers</c> continued.</summary>
    Continued,

    /// <summary>The stream was paused and the module resumed it (<c>proxy_continue_stream(HTTP_REQUEST)</c>).</summary>
    Resumed,

    /// <summary>The module answered the stream (<c>proxy_send_local_response</c>).</summary>
    LocalResponse,
}

/// <summary>HTTP callouts in the lean host: <c>proxy_http_call</c> records the token in a preallocated slot, and
/// <see cref="RunRequestWithCallout"/> answers each call on the root context with one preset answer served from
/// native memory, as proxy-wasm-cpp-host delivers <c>proxy_on_http_call_response</c>.</summary>
public sealed unsafe partial class LeanHost
{
    private const int MaxPendingCalls = 16;
    private readonly uint[] _pending = new uint[MaxPendingCalls];
    private readonly Map _answerHeaders;
    private readonly Map _answerTrailers;
    private byte* _answerBody;
    private int _answerBodyLength;
    private int _pendingCount;
    private uint _nextCalloutId;
    private bool _answering;

    /// <summary>HTTP calls the module dispatched (<c>proxy_http_call</c> answered Ok), over all requests.</summary>
    public long CalloutCount { get; private set; }

    /// <summary>The token of the last call dispatched; tokens step by 4, as Envoy's do.</summary>
    public uint LastCalloutToken { get; private set; }

    private ReadOnlySpan<byte> AnswerBody => new(_answerBody, _answerBodyLength);

    /// <summary>
    /// Sets the answer <see cref="RunRequestWithCallout"/> gives every HTTP call (setup: this allocates; answering does
    /// not). The default is <c>:status: 200</c> with an empty body. No headers is a failed call, as Envoy reports a reset:
    /// <c>num_headers</c>, <c>body_size</c> and <c>num_trailers</c> 0 (<paramref name="body"/> and
    /// <paramref name="trailers"/> are ignored) and <c>proxy_get_status</c> BrokenConnection, <c>reset</c>.
    /// </summary>
    /// <param name="headers">Response headers (<c>HTTP_CALL_RESPONSE_HEADERS</c>), e.g. <c>(":status", "200")</c>.</param>
    /// <param name="body">Response body (<c>HTTP_CALL_RESPONSE_BODY</c>).</param>
    /// <param name="trailers">Response trailers (<c>HTTP_CALL_RESPONSE_TRAILERS</c>), or none.</param>
    public void SetCalloutAnswer((string Name, string Value)[] headers, ReadOnlySpan<byte> body, (string Name, string Value)[]? trailers = null)
    {
        bool failed = headers.Length == 0;
        body = failed ? default : body;
        _answerHeaders.Record(headers);
        _answerTrailers.Record(failed ? [] : trailers ?? []);
        NativeMemory.Free(_answerBody);
        _answerBody = (byte*)NativeMemory.Alloc((nuint)Math.Max(body.Length, 1));
        body.CopyTo(new Span<byte>(_answerBody, body.Length));
        _answerBodyLength = body.Length;
    }

    /// <summary>
    /// One stream whose filter makes HTTP calls: <c>proxy_on_context_create</c>, <c>proxy_on_request_headers</c> (the
    /// filter dispatches and pauses), then for each call it made, in order, <c>proxy_on_http_call_response(root, token,
    /// headers, body size, trailers)</c> on the root context with the preset answer (<see cref="SetCalloutAnswer"/>);
    /// when the stream goes on (it continued, the module resumed it, or sent a local response),
    /// <c>proxy_on_response_headers</c> on the recorded or local response; then <c>proxy_on_done</c>,
    /// <c>proxy_on_log</c> (when exported) and <c>proxy_on_delete</c>. Allocates nothing.
    /// </summary>
    /// <returns>How the stream ended; <see cref="ResumeCount"/> and <see cref="LocalResponseCount"/> count the same.</returns>
    public LeanOutcome RunRequestWithCallout()
    {
        uint id = BeginStream();
        long resumes = ResumeCount;
        long localResponses = LocalResponseCount;
        bool paused;
        using (InProcessHost.Enter(this))
        {
            _exports.Call(ProxyCallbacks.ContextCreate.Export, id, RootContextId);
            _current = _request;
            paused = _exports.Has(ProxyCallbacks.RequestHeaders.Export)
                && _exports.CallWord(ProxyCallbacks.RequestHeaders.Export, id, (uint)_request.Count, 1) != (uint)FilterHeadersStatus.Continue;

            // An answer may dispatch the next call; each is answered in turn.
            for (int i = 0; i < _pendingCount; i++)
            {
                Answer(_pending[i]);
            }

            _pendingCount = 0;
            if (!paused || ResumeCount != resumes || LocalResponseCount != localResponses)
            {
                ResponseHeaders(id);
            }

            EndStream(id);
        }

        return LocalResponseCount != localResponses ? LeanOutcome.LocalResponse
            : !paused ? LeanOutcome.Continued
            : ResumeCount != resumes ? LeanOutcome.Resumed
            : LeanOutcome.Paused;
    }

    /// <summary><c>proxy_on_http_call_response</c> on the root context, the answer readable during it (maps 6 and 7,
    /// buffer 4). The module makes the calling stream the effective context to act on it.</summary>
    private void Answer(uint token)
    {
        if (!_exports.TryGetPointer(ProxyCallbacks.HttpCallResponse.Export, out nint export))
        {
            return;
        }

        _answerHeaders.Reset();
        _answerTrailers.Reset();
        _context = RootContextId;
        _current = null;
        _answering = true;
        try
        {
            ((delegate* unmanaged<uint, uint, uint, uint, uint, void>)export)(RootContextId, token, (uint)_answerHeaders.Count, (uint)_answerBodyLength, (uint)_answerTrailers.Count);
        }
        finally
        {
            _answering = false;
        }
    }

    ProxyStatus IProxyHost.proxy_http_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serializedHeadersData, nuint serializedHeadersSize, byte* bodyData, nuint bodySize, byte* serializedTrailersData, nuint serializedTrailersSize, uint timeoutMilliseconds, uint* returnCalloutId)
    {
        // Envoy: the message needs :path, :method and :authority. Every upstream name is a known cluster here.
        if (HeaderPairs.TryParse(new ReadOnlySpan<byte>(serializedHeadersData, checked((int)serializedHeadersSize)), out HeaderPairs headers) != PairsError.None
            || HeaderPairs.TryParse(new ReadOnlySpan<byte>(serializedTrailersData, checked((int)serializedTrailersSize)), out _) != PairsError.None
            || upstreamNameSize == 0 || !headers.TryGetValue(":path"u8, out _) || !headers.TryGetValue(":method"u8, out _) || !headers.TryGetValue(":authority"u8, out _))
        {
            return ProxyStatus.BadArgument;
        }

        if (_pendingCount == MaxPendingCalls)
        {
            return ProxyStatus.InternalFailure;
        }

        // Envoy numbers callouts in steps of 4 (the low bits hold the callout type; HTTP is 0).
        uint token = _nextCalloutId += 4;
        _pending[_pendingCount++] = token;
        CalloutCount++;
        LastCalloutToken = token;
        *returnCalloutId = token;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_status(uint* returnStatusCode, byte** returnStatusMessageData, nuint* returnStatusMessageSize)
    {
        bool failed = _answering && _answerHeaders.Count == 0;
        *returnStatusCode = failed ? (uint)ProxyStatus.BrokenConnection : 0;
        return CopyOut(failed ? "reset"u8 : default, returnStatusMessageData, returnStatusMessageSize);
    }

    ProxyStatus IProxyHost.proxy_set_effective_context(uint contextId)
    {
        if (contextId != RootContextId && (_stream == 0 || contextId != _stream))
        {
            return ProxyStatus.BadArgument;
        }

        _context = contextId;
        return ProxyStatus.Ok;
    }
}
