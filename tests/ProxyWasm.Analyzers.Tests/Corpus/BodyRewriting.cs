// Corpus: response body rewriting (the Go SDK "http_body" example): buffer the body until the end of the stream,
// then replace every "http://" link with "https://".
using System;
using System.Buffers;
using ProxyWasm;

namespace Corpus.BodyRewriting;

[HttpFilter("body_rewrite")]
public partial class BodyRewriting
{
    private static ReadOnlySpan<byte> From => "http://"u8;
    private static ReadOnlySpan<byte> To => "https://"u8;

    private bool _rewrite;

    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers)
    {
        ReadOnlySpan<byte> contentType = headers.GetValue("content-type"u8);
        _rewrite = contentType.StartsWith("text/html"u8) || contentType.StartsWith("application/json"u8);
        if (_rewrite)
        {
            // The length changes: let the proxy recompute it.
            headers.Remove("content-length"u8);
        }

        return FilterHeadersStatus.Continue;
    }

    [OnResponseBody]
    public FilterDataStatus OnResponseBody(ResponseBody body, int bodySize, bool endOfStream)
    {
        if (!_rewrite)
        {
            return FilterDataStatus.Continue;
        }

        if (!endOfStream)
        {
            return FilterDataStatus.StopIterationAndBuffer;
        }

        ReadOnlySpan<byte> original = body.GetBytes();
        int count = Count(original);
        if (count == 0)
        {
            return FilterDataStatus.Continue;
        }

        int length = original.Length + count * (To.Length - From.Length);
        byte[]? rented = null;
        Span<byte> output = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        int written = Rewrite(original, output);
        body.Replace(output.Slice(0, written));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return FilterDataStatus.Continue;
    }

    private static int Count(ReadOnlySpan<byte> text)
    {
        int count = 0;
        for (int at = text.IndexOf(From); at >= 0; at = text.IndexOf(From))
        {
            count++;
            text = text.Slice(at + From.Length);
        }

        return count;
    }

    private static int Rewrite(ReadOnlySpan<byte> text, Span<byte> output)
    {
        int written = 0;
        for (int at = text.IndexOf(From); at >= 0; at = text.IndexOf(From))
        {
            text.Slice(0, at).CopyTo(output.Slice(written));
            written += at;
            To.CopyTo(output.Slice(written));
            written += To.Length;
            text = text.Slice(at + From.Length);
        }

        text.CopyTo(output.Slice(written));
        return written + text.Length;
    }
}
