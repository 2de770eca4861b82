using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Rust SDK's http_config, in the in-process host: the plugin configuration kept as a string at configure
/// (always accepted) and added to every response as <c>custom-header</c>, next to any value already there; without a
/// configuration an empty value is added.</summary>
public sealed class HttpConfigTests
{
    private const string EnvoyConfiguration = "The secret to life is meaningless unless you discover it yourself";

    private static ProxyWasmHost Host(byte[]? configuration = null) => new(typeof(HttpConfig).Assembly, new HostOptions
    {
        RootId = "http_config",
        PluginConfiguration = configuration ?? [],
    });

    private static HttpResponse Upstream(params (string, string)[] extra) =>
        new(new HeaderList(new[] { (":status", "200"), ("content-type", "text/plain") }.Concat(extra)), "Inspect the HTTP header: custom-header.\n"u8.ToArray());

    [Fact]
    public void The_configured_string_is_added_as_custom_header_to_the_response()
    {
        using ProxyWasmHost host = Host(Encoding.UTF8.GetBytes(EnvoyConfiguration));
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream());

        Assert.True(host.ConfigureResult);
        Assert.Equal(new[] { (":status", "200"), ("content-type", "text/plain"), ("custom-header", EnvoyConfiguration) },
            exchange.Response!.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal("Inspect the HTTP header: custom-header.\n", exchange.Response.BodyText);
        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        Assert.Empty(host.Logs);
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void Without_a_configuration_an_empty_value_is_added_and_configure_still_succeeds()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream());

        Assert.True(host.ConfigureResult);
        Assert.Equal(new[] { "" }, exchange.Response!.Headers.GetAll("custom-header"));
        Assert.Equal(3, exchange.Response.Headers.Count);
    }

    [Fact]
    public void The_header_is_added_not_replaced()
    {
        using ProxyWasmHost host = Host("mine"u8.ToArray());
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream(("custom-header", "upstream")));

        Assert.Equal(new[] { "upstream", "mine" }, exchange.Response!.Headers.GetAll("custom-header"));
        Assert.Equal("upstream", exchange.Response.Headers.Get("custom-header"));
    }

    [Fact]
    public void Every_response_gets_it_and_the_request_is_not_touched()
    {
        using ProxyWasmHost host = Host("v"u8.ToArray());
        for (int i = 0; i < 3; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream());
            Assert.Equal(new[] { "v" }, exchange.Response!.Headers.GetAll("custom-header"));
            Assert.Null(exchange.Upstream!.Headers.Get("custom-header"));
        }

        HttpStreamContext stream = host.CreateHttpStream();
        var response = new HeaderList(new[] { (":status", "503") });
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnResponseHeaders(response, endOfStream: true));
        Assert.Equal(new[] { (":status", "503"), ("custom-header", "v") }, response.Select(h => (h.NameText, h.ValueText)));
        stream.Complete();
    }

    [Fact]
    public void Configuration_bytes_are_kept_as_they_are_even_if_not_UTF8()
    {
        // The Rust example panics here; the port keeps the bytes (see the plugin's remarks).
        byte[] configuration = [0x76, 0xFF, 0x20, 0x61];
        using ProxyWasmHost host = Host(configuration);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream());

        Assert.True(host.ConfigureResult);
        Assert.Equal(configuration, exchange.Response!.Headers.GetBytes("custom-header"));
    }

    [Fact]
    public void Only_the_response_headers_and_configure_are_exported()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.Exports.Has("proxy_on_configure"));
        Assert.True(host.Exports.Has("proxy_on_response_headers"));
        Assert.False(host.Exports.Has("proxy_on_request_headers"));
        Assert.False(host.Exports.Has("proxy_on_vm_start"));
    }
}
