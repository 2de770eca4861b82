using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Rust SDK's <c>http_config</c>: every response gets the header <c>custom-header</c> whose value is the plugin
/// configuration string (see <see cref="HttpConfigPlugin"/>), added next to any <c>custom-header</c> already there
/// (<c>proxy_add_header_map_value</c>, not replaced); without a configuration an empty value is added.
/// </summary>
/// <remarks>The Rust example copies the root's value into each HTTP context when the context is created; this port
/// reads the plugin's value when the response headers arrive. The two differ only for a stream that is still running
/// when the plugin is configured again.</remarks>
[HttpFilter("http_config", Plugin = typeof(HttpConfigPlugin))]
public partial class HttpConfig
{
    /// <summary>Adds <c>custom-header: &lt;configuration&gt;</c>.</summary>
    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers, HttpConfigPlugin plugin)
    {
        headers.Add("custom-header"u8, plugin.HeaderContent);
        return FilterHeadersStatus.Continue;
    }
}

/// <summary>
/// The plugin (root context) of <see cref="HttpConfig"/>: keeps the plugin configuration, a plain string, as the
/// header value. Configure always succeeds.
/// </summary>
/// <remarks>The Rust example panics on a configuration that is not UTF-8; this port keeps the bytes as they are (a
/// header value may hold any bytes, and Envoy decides what to do with them).</remarks>
public sealed class HttpConfigPlugin
{
    private byte[] _headerContent = [];

    /// <summary>The value of <c>custom-header</c>: the configuration, or empty when there is none.</summary>
    public ReadOnlySpan<byte> HeaderContent => _headerContent;

    /// <summary>Keeps the configuration when there is one (copied once here, not per request). An absent (empty)
    /// configuration leaves the value as it was, as in the Rust example: empty at first.</summary>
    /// <returns>Always <see langword="true"/>.</returns>
    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        if (!configuration.IsEmpty)
        {
            _headerContent = configuration.ToArray();
        }

        return true;
    }
}
