using System;
using ProxyWasm;

namespace ProxyWasm.Samples;

/// <summary>
/// Lets a request through only when its <c>allow</c> header is exactly <c>true</c>; otherwise answers
/// <c>403</c> with <c>content-type: text/plain</c> and a fixed body, and stops the request.
/// </summary>
[HttpFilter("header_authorization")]
public partial class HeaderAuthorization
{
    private static ReadOnlySpan<byte> ForbiddenBody => "Forbidden by ASM Wasm Plugin, csharp version\n"u8;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, HttpStream stream)
    {
        if (headers.TryGetValue("allow"u8, out ReadOnlySpan<byte> allow) && allow.SequenceEqual("true"u8))
        {
            return FilterHeadersStatus.Continue;
        }

        Log.Info("header-authorization: allow header not found or is not true, deny by default"u8);

        Span<byte> buffer = stackalloc byte[64];
        var responseHeaders = new PairsWriter(buffer, count: 1);
        responseHeaders.Add("content-type"u8, "text/plain"u8);
        stream.SendLocalResponse(403, ForbiddenBody, responseHeaders.WrittenSpan);
        return FilterHeadersStatus.StopIteration;
    }
}
