using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>An HTTP call the module dispatched (<c>proxy_http_call</c>).</summary>
/// <param name="CalloutId">The token the host returned.</param>
/// <param name="ContextId">The context that was current when the call was made (a stream, or the root context).</param>
/// <param name="Upstream">The upstream (cluster) name.</param>
/// <param name="Headers">Request headers, pseudo-headers included.</param>
/// <param name="Body">Request body.</param>
/// <param name="Trailers">Request trailers.</param>
/// <param name="TimeoutMilliseconds">Timeout in milliseconds.</param>
public sealed record HttpCallRecord(uint CalloutId, uint ContextId, string Upstream, HeaderList Headers, byte[] Body, HeaderList Trailers, uint TimeoutMilliseconds);

/// <summary>How an HTTP call fails in <see cref="ProxyWasmHost.FailHttpCall"/>.</summary>
public enum HttpCallFailure
{
    /// <summary>The upstream connection was reset: Envoy answers with no headers (<c>num_headers == 0</c>) and
    /// <c>proxy_get_status</c> gives <c>BrokenConnection</c>, <c>reset</c>.</summary>
    Reset,

    /// <summary>The call timed out: Envoy's async client answers with <c>:status: 504</c> and the body
    /// <c>upstream request timeout</c>.</summary>
    Timeout,
}

/// <summary>How a test answers an HTTP call: a response, or a failure.</summary>
/// <param name="Response">The upstream's response, or <see langword="null"/> for a failure.</param>
/// <param name="Failure">The failure, when <paramref name="Response"/> is null.</param>
public sealed record HttpCallAnswer(HttpResponse? Response, HttpCallFailure Failure = HttpCallFailure.Reset)
{
    /// <summary>Answers with <paramref name="response"/>.</summary>
    public static HttpCallAnswer With(HttpResponse response) => new(response);

    /// <summary>Answers with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static HttpCallAnswer With(int status, byte[] body) => new(new HttpResponse(new HeaderList(new[] { (":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)) }), body));

    /// <summary>Fails the call.</summary>
    public static HttpCallAnswer Failed(HttpCallFailure failure) => new(null, failure);
}

/// <summary>HTTP callouts as Envoy runs them: <c>proxy_http_call</c> checks and records the call; a test answers it
/// (<see cref="RespondToHttpCall"/>, <see cref="FailHttpCall"/>) whenever it likes, in any order, and the host calls
/// <c>proxy_on_http_call_response</c> on the root context, as proxy-wasm-cpp-host does.</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly List<HttpCallRecord> _httpCalls = new();
    private readonly List<HttpCallRecord> _pendingHttpCalls = new();
    private uint _nextCalloutId;
    private HttpResponse? _answer;
    private (uint Code, string Message) _status = (0, string.Empty);

    /// <summary>HTTP calls the module dispatched with <c>proxy_http_call</c>, in order.</summary>
    public IReadOnlyList<HttpCallRecord> HttpCalls => _httpCalls;

    /// <summary>HTTP calls not answered yet, in dispatch order.</summary>
    public IReadOnlyList<HttpCallRecord> PendingHttpCalls => _pendingHttpCalls;

    /// <summary>
    /// Answers HTTP call <paramref name="token"/> with <paramref name="response"/>: <c>proxy_on_http_call_response(root,
    /// token, headers, body size, trailers)</c>, the response readable as the call-response maps and buffer during it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No pending call has that token.</exception>
    public void RespondToHttpCall(uint token, HttpResponse response) => Deliver(TakePending(token), response, (0, string.Empty));

    /// <summary>Fails HTTP call <paramref name="token"/> the way Envoy does (see <see cref="HttpCallFailure"/>).</summary>
    /// <exception cref="InvalidOperationException">No pending call has that token.</exception>
    public void FailHttpCall(uint token, HttpCallFailure failure = HttpCallFailure.Reset)
    {
        HttpCallRecord call = TakePending(token);
        if (failure == HttpCallFailure.Timeout)
        {
            Deliver(call, new HttpResponse(new HeaderList(new[] { (":status", "504"), ("content-type", "text/plain") }), "upstream request timeout"u8.ToArray()), (0, string.Empty));
        }
        else
        {
            Deliver(call, null, ((uint)ProxyStatus.BrokenConnection, "reset"));
        }
    }

    /// <summary>Answers <paramref name="call"/> as <paramref name="answer"/> says.</summary>
    public void Answer(HttpCallRecord call, HttpCallAnswer answer)
    {
        if (answer.Response is { } response)
        {
            RespondToHttpCall(call.CalloutId, response);
        }
        else
        {
            FailHttpCall(call.CalloutId, answer.Failure);
        }
    }

    ProxyStatus IProxyHost.proxy_http_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serializedHeadersData, nuint serializedHeadersSize, byte* bodyData, nuint bodySize, byte* serializedTrailersData, nuint serializedTrailersSize, uint timeoutMilliseconds, uint* returnCalloutId)
    {
        var headers = new HeaderList();
        var trailers = new HeaderList();
        if (!headers.LoadSerialized(new ReadOnlySpan<byte>(serializedHeadersData, checked((int)serializedHeadersSize)))
            || (serializedTrailersSize != 0 && !trailers.LoadSerialized(new ReadOnlySpan<byte>(serializedTrailersData, checked((int)serializedTrailersSize)))))
        {
            return ProxyStatus.BadArgument;
        }

        // Envoy: the cluster must exist, and the message needs :path, :method and :authority (a :host is not one).
        string upstream = Text(upstreamNameData, upstreamNameSize);
        if ((Options.Clusters is { } clusters && !clusters.Contains(upstream))
            || headers.Get(":path") is null || headers.Get(":method") is null || headers.Get(":authority") is null)
        {
            return ProxyStatus.BadArgument;
        }

        // Envoy numbers callouts in steps of 4 (the low bits hold the callout type; HTTP is 0).
        uint id = _nextCalloutId += 4;
        var call = new HttpCallRecord(id, CurrentContextId, upstream, headers, Bytes(bodyData, bodySize), trailers, timeoutMilliseconds);
        _httpCalls.Add(call);
        _pendingHttpCalls.Add(call);
        *returnCalloutId = id;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_status(uint* returnStatusCode, byte** returnStatusMessageData, nuint* returnStatusMessageSize)
    {
        *returnStatusCode = _status.Code;
        return CopyOut(System.Text.Encoding.UTF8.GetBytes(_status.Message), returnStatusMessageData, returnStatusMessageSize);
    }

    private HttpCallRecord TakePending(uint token)
    {
        int index = _pendingHttpCalls.FindIndex(c => c.CalloutId == token);
        if (index < 0)
        {
            throw new InvalidOperationException($"No pending HTTP call has token {token}; pending: [{string.Join(", ", _pendingHttpCalls.Select(c => c.CalloutId))}].");
        }

        HttpCallRecord call = _pendingHttpCalls[index];
        _pendingHttpCalls.RemoveAt(index);
        return call;
    }

    private void Deliver(HttpCallRecord call, HttpResponse? response, (uint Code, string Message) status)
    {
        ThrowIfDisposed();
        if (!Exports.Has(ProxyCallbacks.HttpCallResponse.Export))
        {
            return;
        }

        HeaderList? trailers = response?.Trailers;
        _answer = response is null ? null : response with { Headers = response.Headers.Clone(), Trailers = trailers?.Clone() ?? new HeaderList() };
        _status = status;
        try
        {
            DeliverOnRoot(ProxyCallbacks.HttpCallResponse.Export, call.ContextId, root => Exports.Call(ProxyCallbacks.HttpCallResponse.Export,
                root, call.CalloutId, (uint)(response?.Headers.Count ?? 0), (uint)(response?.Body.Length ?? 0), (uint)(trailers?.Count ?? 0)));
        }
        finally
        {
            _answer = null;
            _status = (0, string.Empty);
        }
    }

    /// <summary>Calls a callout-answer export on the root context, as proxy-wasm-cpp-host does (the module re-targets it
    /// to the context that made the call), and records it on that stream too.</summary>
    private void DeliverOnRoot(string export, uint callContextId, Action<uint> call)
    {
        _streams.TryGetValue(callContextId, out HttpStreamContext? stream);
        uint root = RootOf(callContextId);
        Invoke(null, export, root, () =>
        {
            call(root);
            return null;
        }, alsoRecordOn: stream, plugin: PluginById(root));
    }

    /// <summary>While a hook of <paramref name="stream"/> has paused it, answers the calls it made with
    /// <paramref name="callouts"/>, oldest first, until the stream is resumed or answered or no call is left.</summary>
    private void AnswerWhilePaused(HttpStreamContext stream, Func<bool> waiting, Func<HttpCallRecord, HttpCallAnswer>? callouts)
    {
        while (callouts is not null && waiting() && _pendingHttpCalls.FirstOrDefault(c => c.ContextId == stream.ContextId) is { } call)
        {
            Answer(call, callouts(call));
        }
    }
}
