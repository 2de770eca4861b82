using System;
using ProxyWasm;

namespace ProxyWasm.Samples;

/// <summary>
/// Sets the request header <c>x-hello: Hello world from &lt;:authority&gt;</c> (replacing any value the client sent)
/// and lets the request continue. Without <c>:authority</c> the value ends after "from ".
/// </summary>
[HttpFilter("hello_world")]
public partial class HelloWorld
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)
    {
        ReadOnlySpan<byte> authority = headers.GetValue(":authority"u8);

        var value = new Utf8ValueBuilder();
        value.Append("Hello world from "u8);
        value.Append(authority);
        headers.Replace("x-hello"u8, value.AsSpan());
        value.Dispose();

        return FilterHeadersStatus.Continue;
    }
}
