using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Rust SDK's <c>http_auth_random</c>: every request dispatches <c>GET /bytes/1</c> (authority <c>httpbin.org</c>)
/// to the cluster <c>httpbin</c> with a 1 s timeout and waits. An answer whose first body byte is even lets the request
/// through; an odd byte, an empty body or a failed call answers <c>403 Access forbidden.</c> Every response carries
/// <c>Powered-By: proxy-wasm</c>. (Where the Rust example panics because the call could not be dispatched, this one
/// answers 403 as for a failed call, so the request is never left paused.)
/// </summary>
[HttpFilter("http_auth_random")]
public partial class HttpAuthRandom
{
    private static ReadOnlySpan<byte> Forbidden => "Access forbidden.\n"u8;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(HttpStream stream)
    {
        if (HttpCall.Dispatch("httpbin"u8, "GET"u8, "/bytes/1"u8, "httpbin.org"u8, timeoutMilliseconds: 1000, out _) != ProxyStatus.Ok)
        {
            Deny(stream);
        }

        return FilterHeadersStatus.StopIteration;
    }

    [OnHttpCallResponse]
    public void OnHttpCallResponse(HttpCallResponse response, HttpStream stream)
    {
        ReadOnlySpan<byte> body = response.Body.GetBytes(0, response.BodySize);
        if (body.Length > 0 && body[0] % 2 == 0)
        {
            Log.Info("Access granted."u8);
            stream.ResumeRequest();
            return;
        }

        Deny(stream);
    }

    [OnResponseHeaders]
    public void OnResponseHeaders(ResponseHeaders headers) => headers.Replace("Powered-By"u8, "proxy-wasm"u8);

    private static void Deny(HttpStream stream)
    {
        Log.Info("Access forbidden."u8);
        Span<byte> buffer = stackalloc byte[64];
        var headers = new PairsWriter(buffer, count: 1);
        headers.Add("Powered-By"u8, "proxy-wasm"u8);
        stream.SendLocalResponse(403, Forbidden, headers.WrittenSpan);
    }
}
