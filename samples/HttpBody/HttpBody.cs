using System;
using System.Text.Unicode;

namespace ProxyWasm.Samples;

/// <summary>
/// The Rust SDK's <c>http_body</c>: removes <c>content-length</c> from every response's headers (the body may change
/// size); pauses each response body chunk before the end of the stream (StopIterationAndBuffer, the Rust example's
/// <c>Pause</c>), so the host buffers the whole body; at the end of the stream reads it and, when it contains
/// <c>secret</c>, replaces all of it with <c>Original message body (&lt;n&gt; bytes) redacted.\n</c>, n being the
/// body's size in bytes. A body without <c>secret</c> passes unchanged. The request passes untouched.
/// </summary>
/// <remarks>
/// The Rust example decodes the body as UTF-8 first and panics (a critical log line, then a trap) when it is not
/// valid UTF-8. This port does not trap: it logs at warn <c>http_body: the response body is not valid UTF-8, left
/// unchanged</c> and lets the body through unchanged, even when it contains the bytes of <c>secret</c>.
/// </remarks>
[HttpFilter("http_body")]
public partial class HttpBody
{
    /// <summary>Removes <c>content-length</c>.</summary>
    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers)
    {
        headers.Remove("content-length"u8);
        return FilterHeadersStatus.Continue;
    }

    /// <summary>Buffers the body until its end, then redacts it if it contains <c>secret</c>.</summary>
    [OnResponseBody]
    public FilterDataStatus OnResponseBody(ResponseBody body, int bodySize, bool endOfStream)
    {
        if (!endOfStream)
        {
            return FilterDataStatus.StopIterationAndBuffer;
        }

        ReadOnlySpan<byte> bytes = body.GetBytes(0, bodySize);
        if (!Utf8.IsValid(bytes))
        {
            Log.Warn("http_body: the response body is not valid UTF-8, left unchanged"u8);
            return FilterDataStatus.Continue;
        }

        if (bytes.IndexOf("secret"u8) >= 0)
        {
            var message = new Utf8ValueBuilder(stackalloc byte[64]);
            message.Append("Original message body ("u8);
            message.Append(bodySize);
            message.Append(" bytes) redacted.\n"u8);
            body.Replace(message.AsSpan());
            message.Dispose();
        }

        return FilterDataStatus.Continue;
    }
}
