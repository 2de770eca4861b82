using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>multiple_dispatches</c>. On the response path (the request passes untouched), each stream dispatches
/// ten calls <c>GET /</c> (empty <c>:authority</c>) to the cluster <c>httpbin</c> with a 50 s timeout and pauses its
/// response. Each answer, a failed call too, lowers the stream's pending count: it logs
/// <c>pending dispatched requests: &lt;n&gt;</c> while calls are left; the last one adds the response header
/// <c>total-dispatched: 10</c>, resumes the response and logs
/// <c>response resumed after processed 10 dispatched request</c>. Answers may arrive in any order.
/// </summary>
/// <remarks>
/// Where the Go example panics because a call could not be dispatched, this one logs critical
/// <c>dispatch httpcall failed: &lt;error&gt;</c> and waits only for the calls that were dispatched (the header and
/// the last log line then give that number); when none was, the response continues at once, so it is never left
/// paused.
/// </remarks>
[HttpFilter("multiple_dispatches")]
public partial class MultipleDispatches
{
    private const int Calls = 10;
    private const uint TimeoutMilliseconds = 50_000;

    private int _dispatched;
    private int _pending;

    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders()
    {
        Span<byte> buffer = stackalloc byte[64];
        var headers = new PairsWriter(buffer, count: 3);
        headers.Add(":path"u8, "/"u8);
        headers.Add(":method"u8, "GET"u8);
        headers.Add(":authority"u8, ""u8);

        for (int i = 0; i < Calls; i++)
        {
            ProxyStatus status = HttpCall.DispatchPairs("httpbin"u8, headers.WrittenSpan, default, default, TimeoutMilliseconds, out _);
            if (status != ProxyStatus.Ok)
            {
                GoErrors.LogCritical("dispatch httpcall failed: "u8, status);
                continue;
            }

            _dispatched++;
            _pending++;
        }

        return _pending == 0 ? FilterHeadersStatus.Continue : FilterHeadersStatus.StopIteration;
    }

    [OnHttpCallResponse]
    public void OnHttpCallResponse(ResponseHeaders headers, HttpStream stream)
    {
        _pending--;
        if (_pending > 0)
        {
            var pending = new Utf8ValueBuilder(stackalloc byte[64]);
            pending.Append("pending dispatched requests: "u8);
            pending.Append(_pending);
            Log.Info(pending.AsSpan());
            pending.Dispose();
            return;
        }

        Span<byte> total = stackalloc byte[20];
        var value = new Utf8ValueBuilder(total);
        value.Append(_dispatched);
        headers.Add("total-dispatched"u8, value.AsSpan());
        value.Dispose();

        stream.ResumeResponse();

        var resumed = new Utf8ValueBuilder(stackalloc byte[96]);
        resumed.Append("response resumed after processed "u8);
        resumed.Append(_dispatched);
        resumed.Append(" dispatched request"u8);
        Log.Info(resumed.AsSpan());
        resumed.Dispose();
    }

}
