using System.Text;
using ProxyWasm;
using ProxyWasm.Testing;

namespace MyFilter.Tests;

/// <summary>
/// The filter in the in-process host: <c>new ProxyWasmHost(assembly, options)</c> creates the VM and the root context
/// (context create, VM start, configure) the way Envoy does, then each request or connection runs through the module's
/// exports.
/// </summary>
public sealed class FilterClassTests
{
#if (plugin)
    private static ProxyWasmHost Host(string configuration = "") => new(
        typeof(FilterClass).Assembly,
        new HostOptions { RootId = "filter_root_id", PluginConfiguration = Encoding.UTF8.GetBytes(configuration) });
#else
    private static ProxyWasmHost Host() => new(typeof(FilterClass).Assembly, new HostOptions { RootId = "filter_root_id" });
#endif

#if (network)
    private static string[] InfoLogs(ProxyWasmHost host) =>
        host.Logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    [Fact]
    public void Logs_the_connection_and_passes_the_data_unchanged()
    {
        using ProxyWasmHost host = Host();
        ConnectionRun run = host.RunConnection([Encoding.UTF8.GetBytes("ping")], [Encoding.UTF8.GetBytes("pong")]);

        Assert.Equal(FilterStatus.Continue, run.NewConnectionStatus);
        Assert.Equal("ping", run.SentUpstreamText);
        Assert.Equal("pong", run.SentDownstreamText);
        Assert.Null(run.ClosedByModule);
        Assert.Equal(
            new[] { "filter_root_id: new connection", "filter_root_id: 4 bytes from downstream", "filter_root_id: downstream closed" },
            InfoLogs(host));
    }

    [Fact]
    public void Every_chunk_is_logged()
    {
        using ProxyWasmHost host = Host();
        TcpConnectionContext connection = host.CreateConnection();

        Assert.Equal(FilterStatus.Continue, connection.OnDownstreamData(Encoding.UTF8.GetBytes("hello")));
        Assert.Equal(FilterStatus.Continue, connection.OnDownstreamData(Encoding.UTF8.GetBytes(" world")));

        Assert.Equal("hello world", Encoding.UTF8.GetString(connection.SentUpstream));
        Assert.Equal("filter_root_id: 6 bytes from downstream", InfoLogs(host)[^1]);
    }
#if (plugin)

    [Fact]
    public void A_chunk_over_the_configured_limit_closes_the_connection()
    {
        using ProxyWasmHost host = Host("""{"maxChunkBytes": 4}""");
        Assert.True(host.StartPlugin(), string.Join("\n", host.Logs));
        TcpConnectionContext connection = host.CreateConnection();

        Assert.Equal(FilterStatus.Continue, connection.OnDownstreamData(Encoding.UTF8.GetBytes("1234")));
        Assert.Equal(FilterStatus.StopIteration, connection.OnDownstreamData(Encoding.UTF8.GetBytes("12345")));

        Assert.Equal(StreamType.Downstream, connection.ClosedByModule);
        Assert.Equal("1234", Encoding.UTF8.GetString(connection.SentUpstream));
    }

    [Theory]
    [InlineData("""{"maxChunkBytes": 0}""")]
    [InlineData("""{"maxChunkBytes": "many"}""")]
    [InlineData("""{"maxChunk": 10}""")]
    public void A_bad_configuration_is_rejected(string configuration)
    {
        using ProxyWasmHost host = Host(configuration);
        Assert.False(host.StartPlugin());
        Assert.False(host.ConfigureResult);
    }
#endif
#else
    private static HttpRequest Get(params (string Name, string Value)[] extra) => new(new HeaderList(
        new[] { (":authority", "example.com"), (":path", "/"), (":method", "GET"), (":scheme", "http") }.Concat(extra)));

    [Fact]
    public void Adds_the_header_before_the_request_goes_upstream()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Get());

        Assert.Null(exchange.LocalResponse);
        Assert.Equal("Hello from FilterClass", exchange.Upstream!.Headers.Get("x-filter-header-name"));
        Assert.Equal("example.com", exchange.Upstream.Headers.Get(":authority"));
        Assert.Equal("200", exchange.Response!.Headers.Get(":status"));
    }

    [Fact]
    public void Replaces_a_value_the_client_sent()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Get(("x-filter-header-name", "spoofed"), ("x-filter-header-name", "twice")));

        Assert.Equal(new[] { "Hello from FilterClass" }, exchange.Upstream!.Headers.GetAll("x-filter-header-name"));
    }
#if (plugin)

    [Fact]
    public void Uses_the_plugin_configuration()
    {
        using ProxyWasmHost host = Host("""{"header": "X-Greeting", "value": "hi"}""");
        HttpExchange exchange = host.Send(Get());

        Assert.True(host.ConfigureResult, string.Join("\n", host.Logs));
        Assert.Equal("hi", exchange.Upstream!.Headers.Get("x-greeting"));
        Assert.Null(exchange.Upstream.Headers.Get("x-filter-header-name"));
    }

    [Theory]
    [InlineData("""{"header": ""}""")]
    [InlineData("""{"header": 1}""")]
    [InlineData("""{"colour": "blue"}""")]
    [InlineData("not json")]
    public void A_bad_configuration_is_rejected(string configuration)
    {
        using ProxyWasmHost host = Host(configuration);
        Assert.False(host.StartPlugin());
        Assert.False(host.ConfigureResult);
        Assert.Contains(host.Logs, l => l.Level >= LogLevel.Error && l.Message.Contains("filter_root_id", StringComparison.Ordinal));
    }
#endif
#endif
}
