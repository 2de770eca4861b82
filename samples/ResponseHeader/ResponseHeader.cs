using ProxyWasm;

namespace ProxyWasm.Samples;

/// <summary>Sets the response header <c>hello: world</c>. A struct filter: its per-stream state lives in a slot table.</summary>
[HttpFilter("response_header")]
public partial struct ResponseHeader
{
    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers)
    {
        if (headers.Replace("hello"u8, "world"u8) != ProxyStatus.Ok)
        {
            Log.Critical("response-header: failed to set response header"u8);
        }

        return FilterHeadersStatus.Continue;
    }
}
