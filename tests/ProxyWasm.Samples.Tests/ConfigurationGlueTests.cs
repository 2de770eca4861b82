using System.Linq;
using System.Text;
using ProxyWasm.Samples.Tests.TestFilters;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The glue of typed VM and plugin configuration and of bound header and property parameters, on
/// <see cref="ConfiguredFilter"/>.</summary>
public sealed class ConfigurationGlueTests
{
    private static ProxyWasmHost Host(string vm, string plugin) => new(
        typeof(ConfigurationGlueTests).Assembly,
        new HostOptions { RootId = "configured", VmConfiguration = Encoding.UTF8.GetBytes(vm), PluginConfiguration = Encoding.UTF8.GetBytes(plugin) });

    private static LogEntry[] Errors(ProxyWasmHost host) => host.Logs.Where(l => l.Level >= LogLevel.Error).ToArray();

    [Fact]
    public void Vm_and_plugin_configuration_reach_the_stream_hook_with_bound_values()
    {
        using ProxyWasmHost host = Host("""{"greeting": "hello"}""", """{"text": "!"}""");
        Assert.True(host.StartPlugin());
        Assert.Equal(true, host.VmStartResult);
        Assert.Equal(true, host.ConfigureResult);

        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        HeaderList upstream = exchange.Upstream!.Headers;
        Assert.Equal("hello!", upstream.Get("x-greeting"));
        Assert.Equal("present", upstream.Get("x-authority"));
        Assert.Equal(Requests.Curl().Get(":path"), upstream.Get("x-path"));
        Assert.Empty(Errors(host));
    }

    [Fact]
    public void Absent_header_and_property_are_told_apart_from_empty()
    {
        using ProxyWasmHost host = Host("""{"greeting": "g"}""", string.Empty);
        var headers = new HeaderList(new[] { (":method", "GET"), (":path", "/p") });

        HttpExchange exchange = host.Send(Requests.Get(headers));

        Assert.Equal("g.", exchange.Upstream!.Headers.Get("x-greeting"));
        Assert.Equal("absent", exchange.Upstream.Headers.Get("x-authority"));
        Assert.Equal("/p", exchange.Upstream.Headers.Get("x-path"));
        Assert.Equal("none", exchange.Upstream.Headers.Get("x-port"));
    }

    [Fact]
    public void A_typed_property_is_decoded()
    {
        using ProxyWasmHost host = Host("""{"greeting": "g"}""", string.Empty);
        host.SetProperty("source\0port", PropertyValue.Int64(51234));

        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal("51234", exchange.Upstream!.Headers.Get("x-port"));
    }

    [Fact]
    public void Plain_text_plugin_configuration_goes_through_FromPlainText()
    {
        using ProxyWasmHost host = Host("""{"greeting": "hi"}""", "?!");

        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal(true, host.ConfigureResult);
        Assert.Equal("hi?!", exchange.Upstream!.Headers.Get("x-greeting"));
    }

    [Theory]
    [InlineData("", "$", "missing required properties")]
    [InlineData("""{"greeting": 5}""", "$.greeting", "could not be converted")]
    [InlineData("""{"greeting": "x", "extra": 1}""", "$.extra", "could not be mapped")]
    [InlineData("""{"greeting": """, "$.greeting", "(line 1, byte")]
    [InlineData("hello", "$", "invalid start of a value")]
    public void Bad_vm_configuration_fails_vm_start_with_one_line_naming_the_path(string vm, string path, string reason)
    {
        using ProxyWasmHost host = Host(vm, string.Empty);

        Assert.False(host.StartPlugin());
        Assert.Equal(false, host.VmStartResult);
        LogEntry error = Assert.Single(Errors(host));
        Assert.StartsWith("proxy-wasm: configured: VM configuration rejected at " + path, error.Message, System.StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_vm_start_hook_that_returns_false_rejects_without_a_json_error()
    {
        using ProxyWasmHost host = Host("""{"greeting": "reject"}""", string.Empty);
        Assert.False(host.StartPlugin());
        Assert.Equal(false, host.VmStartResult);
        Assert.Empty(Errors(host));
    }

    [Fact]
    public void A_configure_hook_that_returns_false_rejects_without_a_json_error()
    {
        using ProxyWasmHost host = Host("""{"greeting": "g"}""", """{"text": "far too long"}""");
        host.StartPlugin();
        Assert.Equal(false, host.ConfigureResult);
        Assert.Empty(Errors(host));
    }

    [Fact]
    public void Ticks_see_the_accepted_configuration()
    {
        using ProxyWasmHost host = Host("""{"greeting": "g"}""", """{"text": "!"}""");
        Assert.True(host.StartPlugin());
        host.DefaultPlugin.Tick();
        host.DefaultPlugin.Tick();

        Assert.Equal(2, host.Callbacks.Count(c => c.Export == "proxy_on_tick"));
        Assert.Empty(Errors(host));
    }

    [Fact]
    public void A_throwing_plain_text_reader_rejects_the_configuration_with_one_line()
    {
        using ProxyWasmHost host = Host("""{"greeting": "g"}""", "throw");
        host.StartPlugin();

        Assert.Equal(false, host.ConfigureResult);
        LogEntry error = Assert.Single(Errors(host));
        Assert.Equal("proxy-wasm: configured: plugin configuration rejected at $: plain text: FormatException: 'throw' is not a suffix", error.Message);
    }

    [Fact]
    public void A_rejected_plugin_leaves_the_other_plugins_of_the_vm_serving()
    {
        using ProxyWasmHost host = Host("""{"greeting": "g"}""", """{"text": "ok"}""");
        Assert.True(host.StartPlugin());
        PluginContext bad = host.AddPlugin(new PluginOptions { RootId = "configured", VmConfiguration = Encoding.UTF8.GetBytes("""{"greeting": "g"}"""), PluginConfiguration = Encoding.UTF8.GetBytes("""{"text": 1}""") });
        bad.Start();
        Assert.Equal(false, bad.ConfigureResult);

        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal("gok", exchange.Upstream!.Headers.Get("x-greeting"));

        // Envoy creates no stream on a rejected plugin; a host that does gets the failure policy, not a null configuration.
        HttpExchange orphan = bad.Send(Requests.Get(Requests.Curl()));
        Assert.Equal(500u, orphan.LocalResponse?.StatusCode);
        Assert.Contains(orphan.Logs, l => l.Level == LogLevel.Critical && l.Message.Contains("the plugin has no accepted configuration", System.StringComparison.Ordinal));
    }
}

/// <summary>A typed configuration on a network filter without a plugin.</summary>
public sealed class NetworkConfigurationGlueTests
{
    private static ProxyWasmHost Host(string configuration) => new(
        typeof(NetworkConfigurationGlueTests).Assembly,
        new HostOptions { RootId = "tcp_configured", PluginConfiguration = Encoding.UTF8.GetBytes(configuration) });

    [Theory]
    [InlineData("""{"text": "> "}""", "> ping")]
    [InlineData("# ", "# ping")]
    [InlineData("", ".ping")]
    public void The_connection_hook_gets_the_configuration(string configuration, string sent)
    {
        using ProxyWasmHost host = Host(configuration);
        Assert.True(host.StartPlugin());

        ConnectionRun run = host.RunConnection(new[] { Encoding.UTF8.GetBytes("ping") });

        Assert.Equal(sent, run.SentUpstreamText);
    }

    [Fact]
    public void Bad_configuration_is_rejected_with_one_line()
    {
        using ProxyWasmHost host = Host("""{"text": [1]}""");
        host.StartPlugin();

        Assert.Equal(false, host.ConfigureResult);
        LogEntry error = Assert.Single(host.Logs, l => l.Level >= LogLevel.Error);
        Assert.StartsWith("proxy-wasm: tcp_configured: plugin configuration rejected at $.text", error.Message, System.StringComparison.Ordinal);
    }
}
