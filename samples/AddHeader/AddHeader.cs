using System;
using ProxyWasm;

namespace ProxyWasm.Samples;

/// <summary>Adds the response header <c>hello</c>, whose value is the plugin configuration, or <c>world!</c> when the
/// configuration is empty.</summary>
[HttpFilter("add_header", Plugin = typeof(AddHeaderPlugin))]
public partial class AddHeader
{
    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers, AddHeaderPlugin plugin)
    {
        headers.Add("hello"u8, plugin.HeaderValue);
        return FilterHeadersStatus.Continue;
    }
}

/// <summary>The plugin (root context) of <see cref="AddHeader"/>: holds the configured header value.</summary>
public sealed class AddHeaderPlugin
{
    private static readonly byte[] DefaultValue = "world!"u8.ToArray();
    private byte[] _headerValue = DefaultValue;

    /// <summary>The value of the <c>hello</c> header, as configured.</summary>
    public ReadOnlySpan<byte> HeaderValue => _headerValue;

    /// <summary>Reads the plugin configuration (raw bytes; an Istio <c>StringValue</c> arrives as its text).</summary>
    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        _headerValue = configuration.IsEmpty ? DefaultValue : configuration.ToArray();
        return true;
    }
}
