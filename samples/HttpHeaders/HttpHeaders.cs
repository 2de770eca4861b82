using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Rust SDK's <c>http_headers</c>: logs every request header at info as <c>#&lt;context id&gt; -&gt; name:
/// value</c>, in the host's order; answers a request whose <c>:path</c> is exactly <c>/hello</c> itself, with a local
/// <c>200</c>, headers <c>Hello: World</c> and <c>Powered-By: proxy-wasm</c> and the body <c>Hello, World!\n</c>
/// (any other path, or none, continues upstream); logs every response header as <c>#&lt;context id&gt; &lt;- name:
/// value</c> (in Envoy the local reply passes that hook too, so its headers are logged as well); and logs
/// <c>#&lt;context id&gt; completed.</c> when the stream is logged (<c>proxy_on_log</c>).
/// </summary>
[HttpFilter("http_headers")]
public partial class HttpHeaders
{
    private static ReadOnlySpan<byte> Greeting => "Hello, World!\n"u8;

    /// <summary>Logs the request headers and answers <c>/hello</c>.</summary>
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, HttpStream stream)
    {
        foreach (HeaderPair header in headers.GetAll())
        {
            LogHeader(stream.ContextId, " -> "u8, header);
        }

        if (headers.TryGetValue(":path"u8, out ReadOnlySpan<byte> path) && path.SequenceEqual("/hello"u8))
        {
            Span<byte> buffer = stackalloc byte[64];
            var extra = new PairsWriter(buffer, count: 2);
            extra.Add("Hello"u8, "World"u8);
            extra.Add("Powered-By"u8, "proxy-wasm"u8);
            stream.SendLocalResponse(200, Greeting, extra.WrittenSpan);
            return FilterHeadersStatus.StopIteration;
        }

        return FilterHeadersStatus.Continue;
    }

    /// <summary>Logs the response headers.</summary>
    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers, HttpStream stream)
    {
        foreach (HeaderPair header in headers.GetAll())
        {
            LogHeader(stream.ContextId, " <- "u8, header);
        }

        return FilterHeadersStatus.Continue;
    }

    /// <summary>Logs <c>#&lt;context id&gt; completed.</c>.</summary>
    [OnLog]
    public void OnLog(HttpStream stream)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[32]);
        line.Append("#"u8);
        line.Append(stream.ContextId);
        line.Append(" completed."u8);
        Log.Info(line.AsSpan());
        line.Dispose();
    }

    private static void LogHeader(uint contextId, ReadOnlySpan<byte> arrow, HeaderPair header)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("#"u8);
        line.Append(contextId);
        line.Append(arrow);
        line.Append(header.Name);
        line.Append(": "u8);
        line.Append(header.Value);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}
