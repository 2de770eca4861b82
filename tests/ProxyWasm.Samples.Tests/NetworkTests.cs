using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's network example in the in-process host (its unit tests plus the properties e2e checks).</summary>
public sealed class NetworkTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static ProxyWasmHost Host(bool withProperties = false)
    {
        var properties = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (withProperties)
        {
            properties["upstream\0address"] = B("127.0.0.1:8099");
            var location = new HeaderList(new[] { ("region", "ap-northeast-1"), ("cloud_provider", "aws"), ("az", "ap-northeast-1a") });
            properties["cluster_metadata\0filter_metadata\0location"] = location.Serialize();
        }

        return new ProxyWasmHost(typeof(Network).Assembly, new HostOptions { RootId = "network", Properties = properties });
    }

    private static string[] Info(ProxyWasmHost host) => host.Logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    [Fact]
    public void A_new_connection_is_logged_and_continues()
    {
        using ProxyWasmHost host = Host();
        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(FilterStatus.Continue, connection.NewConnectionStatus);
        Assert.Equal(new[] { "new connection!" }, Info(host));
    }

    [Fact]
    public void Downstream_close_is_logged()
    {
        using ProxyWasmHost host = Host();
        TcpConnectionContext connection = host.CreateConnection();
        connection.CloseDownstream();
        Assert.Equal("downstream connection close!", Info(host)[^1]);
    }

    [Fact]
    public void Downstream_data_is_logged_after_the_banner()
    {
        using ProxyWasmHost host = Host();
        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(FilterStatus.Continue, connection.OnDownstreamData(B("this is downstream data")));
        Assert.Equal(">>>>>> downstream data received >>>>>>\nthis is downstream data", Info(host)[^1]);
        Assert.Equal("this is downstream data", Encoding.UTF8.GetString(connection.SentUpstream));
    }

    [Fact]
    public void Upstream_data_without_properties_warns_and_still_logs_the_data()
    {
        using ProxyWasmHost host = Host();
        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(FilterStatus.Continue, connection.OnUpstreamData(B("this is upstream data")));
        Assert.Equal(
            new[]
            {
                "[Info] new connection!",
                "[Warn] failed to get upstream remote address: error status returned by host: not found",
                "[Info] remote address: ",
                "[Warn] failed to get upstream location metadata: error status returned by host: not found",
                "[Info] <<<<<< upstream data received <<<<<<\nthis is upstream data",
            },
            host.Logs.Select(l => l.ToString()));
        Assert.Equal("this is upstream data", Encoding.UTF8.GetString(connection.SentDownstream));
    }

    [Fact]
    public void Upstream_data_logs_the_remote_address_and_the_location_metadata()
    {
        using ProxyWasmHost host = Host(withProperties: true);
        ConnectionRun run = host.RunConnection(Array.Empty<byte[]>(), new[] { B("pong") });
        Assert.Equal(
            new[]
            {
                "new connection!",
                "remote address: 127.0.0.1:8099",
                "upstream cluster metadata location[region]=ap-northeast-1",
                "upstream cluster metadata location[cloud_provider]=aws",
                "upstream cluster metadata location[az]=ap-northeast-1a",
                "<<<<<< upstream data received <<<<<<\npong",
                "downstream connection close!",
                "connection complete!",
            },
            run.Logs.Select(l => l.Message));
        Assert.DoesNotContain(run.Logs, l => l.Level != LogLevel.Info);
    }

    [Fact]
    public void Malformed_location_metadata_is_a_warning()
    {
        using ProxyWasmHost host = Host();
        host.Options.Properties["cluster_metadata\0filter_metadata\0location"] = new byte[] { 9, 0, 0, 0 };
        host.CreateConnection().OnUpstreamData(B("x"));
        Assert.Contains("[Warn] failed to get upstream location metadata: unknown status code: 3", host.Logs.Select(l => l.ToString()));
    }

    [Fact]
    public void Empty_chunks_do_nothing()
    {
        using ProxyWasmHost host = Host();
        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(FilterStatus.Continue, connection.OnDownstreamData(Array.Empty<byte>()));
        Assert.Equal(FilterStatus.Continue, connection.OnUpstreamData(Array.Empty<byte>()));
        Assert.Equal(new[] { "new connection!" }, host.Logs.Select(l => l.Message));
    }

    [Fact]
    public void A_completed_connection_is_counted()
    {
        // The Go unit test: StartVM, a connection, CompleteConnection -> "connection complete!" and the counter is 1.
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        Assert.Equal(0ul, host.GetMetric("proxy_wasm_go.connection_counter"));
        TcpConnectionContext connection = host.CreateConnection();
        Assert.True(connection.Complete());
        Assert.Equal("connection complete!", Info(host)[^1]);
        Assert.Equal(1ul, host.GetMetric("proxy_wasm_go.connection_counter"));

        host.RunConnection(new[] { B("a") });
        host.RunConnection(new[] { B("b") });
        Assert.Equal(3ul, host.GetMetric("proxy_wasm_go.connection_counter"));
    }

    [Fact]
    public void Two_plugins_define_the_counter_once_and_share_it()
    {
        using ProxyWasmHost host = Host();
        PluginContext second = host.AddPlugin(new PluginOptions { RootId = "network" });
        host.RunConnection(new[] { B("a") });
        second.RunConnection(new[] { B("b") });
        Assert.Equal(2ul, host.GetMetric("proxy_wasm_go.connection_counter"));
    }
}
