using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>TCP connections in the in-process host (TestFilters/NetworkTestFilters.cs): buffering, buffer edits, closes
/// from each side and by the module, the fail-closed and fail-open glue, and completion.</summary>
public sealed class NetworkHostTests
{
    private static ProxyWasmHost Host(string rootId) => new(typeof(NetworkHostTests).Assembly, new HostOptions { RootId = rootId });

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Info(ProxyWasmHost host) => host.Logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    [Fact]
    public void A_connection_is_created_under_the_root_and_told_it_is_new()
    {
        using ProxyWasmHost host = Host("tcp_lines");
        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(2u, connection.ContextId);
        Assert.Same(host.DefaultPlugin, connection.Plugin);
        Assert.Equal(FilterStatus.Continue, connection.NewConnectionStatus);
        Assert.Equal(new[] { "proxy_on_context_create", "proxy_on_new_connection" }, connection.Callbacks.Select(c => c.Export));
        Assert.Equal(new[] { "opened" }, Info(host));
        Assert.True(host.Connections.ContainsKey(2));
    }

    [Fact]
    public void StopIteration_keeps_buffering_and_the_next_call_sees_the_accumulated_bytes()
    {
        using ProxyWasmHost host = Host("tcp_lines");
        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(FilterStatus.StopIteration, connection.OnDownstreamData(B("hel")));
        Assert.Equal("hel", Encoding.UTF8.GetString(connection.DownstreamBuffer));
        Assert.Empty(connection.SentUpstream);
        Assert.Equal(FilterStatus.StopIteration, connection.OnDownstreamData(B("lo ")));
        Assert.Equal(FilterStatus.Continue, connection.OnDownstreamData(B("world\n")));

        Assert.Equal("hello world\n", Encoding.UTF8.GetString(connection.SentUpstream));
        Assert.Empty(connection.DownstreamBuffer);
        Assert.Equal(new[] { "opened", "downstream 3/3", "downstream 6/6", "downstream 12/12" }, Info(host));
        Assert.Equal(new uint?[] { 1, 1, 0 }, connection.Callbacks.Where(c => c.Export == "proxy_on_downstream_data").Select(c => c.Result));

        // After Continue the buffer starts again from the next chunk.
        connection.OnDownstreamData(B("x\n"));
        Assert.Equal("downstream 2/2", Info(host)[^1]);
    }

    [Theory]
    [InlineData("R1\n", "replaced\n")]
    [InlineData("A1\n", "A1\n+appended")]
    [InlineData("P1\n", "prepended+P1\n")]
    public void The_filter_replaces_appends_and_prepends_downstream_data(string line, string sent)
    {
        using ProxyWasmHost host = Host("tcp_lines");
        ConnectionRun run = host.RunConnection(new[] { B(line[..1]), B(line[1..]) });
        Assert.Equal(sent, run.SentUpstreamText);
        Assert.Equal(new[] { FilterStatus.StopIteration, FilterStatus.Continue }, run.DownstreamStatuses);
    }

    [Fact]
    public void Upstream_data_is_edited_and_forwarded_to_the_client()
    {
        using ProxyWasmHost host = Host("tcp_lines");
        ConnectionRun run = host.RunConnection(new[] { B("ping\n") }, new[] { B("pong"), B("again") });
        Assert.Equal("ping\n", run.SentUpstreamText);
        Assert.Equal("> pong> again", run.SentDownstreamText);
        Assert.Equal(PeerType.Remote, run.DownstreamClosedBy);
        Assert.Null(run.ClosedByModule);
        Assert.Equal(
            new[] { "proxy_on_context_create", "proxy_on_new_connection", "proxy_on_downstream_data", "proxy_on_upstream_data", "proxy_on_upstream_data", "proxy_on_downstream_connection_close", "proxy_on_done", "proxy_on_log", "proxy_on_delete" },
            run.Callbacks.Select(c => c.Export));
        Assert.Equal(new[] { "opened", "downstream 5/5", "downstream closed 2", "done", "log" }, run.Logs.Select(l => l.Message));
        Assert.Empty(host.Connections);
    }

    [Fact]
    public void Each_side_can_close_with_its_peer_type()
    {
        using ProxyWasmHost host = Host("tcp_lines");
        TcpConnectionContext connection = host.CreateConnection();
        connection.CloseUpstream(PeerType.Remote);
        connection.CloseDownstream(PeerType.Local);
        Assert.Equal(PeerType.Remote, connection.UpstreamClosedBy);
        Assert.Equal(PeerType.Local, connection.DownstreamClosedBy);
        Assert.False(connection.IsCompleted);
        Assert.True(connection.Complete());
        Assert.True(connection.IsDeleted);
        Assert.Equal(new[] { "opened", "upstream closed 2", "downstream closed 1", "done", "log" }, Info(host));
    }

    [Fact]
    public void Closing_the_downstream_from_the_module_ends_the_connection_after_the_callback()
    {
        using ProxyWasmHost host = Host("tcp_lines");
        ConnectionRun run = host.RunConnection(new[] { B("C\n"), B("never\n") }, new[] { B("never") });
        Assert.Equal(StreamType.Downstream, run.ClosedByModule);
        Assert.Equal(PeerType.Local, run.DownstreamClosedBy);
        Assert.Equal(new ConnectionControl(StreamType.Downstream, Close: true, ProxyStatus.Ok), Assert.Single(run.Controls));
        Assert.Empty(run.SentUpstream);
        Assert.Empty(run.SentDownstream);
        Assert.Equal(new[] { "opened", "downstream 2/2", "downstream closed 1", "done", "log" }, run.Logs.Select(l => l.Message));
    }

    [Fact]
    public void Closing_the_upstream_from_the_module_reports_a_local_upstream_close()
    {
        using ProxyWasmHost host = Host("tcp_lines");
        TcpConnectionContext connection = host.CreateConnection();
        connection.OnDownstreamData(B("U\n"));
        Assert.True(connection.IsDeleted);
        Assert.Equal(StreamType.Upstream, connection.ClosedByModule);
        Assert.Equal(PeerType.Local, connection.UpstreamClosedBy);
        Assert.Null(connection.DownstreamClosedBy);
        Assert.Equal(new[] { "opened", "downstream 2/2", "upstream closed 1", "done", "log" }, Info(host));
        Assert.Throws<InvalidOperationException>(() => connection.OnDownstreamData(B("more")));
    }

    [Fact]
    public void Continue_stream_downstream_forwards_what_is_buffered_and_upstream_is_unimplemented()
    {
        using ProxyWasmHost host = Host("tcp_resume");
        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(FilterStatus.StopIteration, connection.OnDownstreamData(B("a")));
        Assert.Equal(FilterStatus.StopIteration, connection.OnDownstreamData(B("b")));
        Assert.Empty(connection.SentUpstream);
        Assert.Equal(FilterStatus.StopIteration, connection.OnDownstreamData(B("go")));
        Assert.Equal("abgo", Encoding.UTF8.GetString(connection.SentUpstream));
        Assert.Empty(connection.DownstreamBuffer);
        Assert.Equal(
            new[] { new ConnectionControl(StreamType.Downstream, false, ProxyStatus.Ok), new ConnectionControl(StreamType.Upstream, false, ProxyStatus.Unimplemented) },
            connection.Controls);
    }

    [Fact]
    public void A_throwing_hook_fails_closed_and_the_connection_is_closed_locally()
    {
        using ProxyWasmHost host = Host("tcp_throwing");
        ConnectionRun run = host.RunConnection(new[] { B("fine"), B("boom"), B("after") });
        Assert.Equal(new[] { FilterStatus.Continue, FilterStatus.StopIteration }, run.DownstreamStatuses);
        Assert.Equal("fine", run.SentUpstreamText);
        Assert.Equal(StreamType.Downstream, run.ClosedByModule);
        Assert.Equal(PeerType.Local, run.DownstreamClosedBy);
        Assert.Contains(run.Logs, l => l.Level == LogLevel.Critical && l.Message.Contains("boom on the wire", StringComparison.Ordinal));
        // The host reports the local close, but the glue runs no more hooks of a connection whose hook threw.
        Assert.Contains(run.Callbacks, c => c.Export == "proxy_on_downstream_connection_close");
        Assert.DoesNotContain("closed locally", run.Logs.Select(l => l.Message));
    }

    [Fact]
    public void A_throwing_hook_fails_open_and_the_data_flows_on()
    {
        using ProxyWasmHost host = Host("tcp_throwing_open");
        ConnectionRun run = host.RunConnection(new[] { B("fine "), B("boom "), B("after") });
        Assert.Equal(new[] { FilterStatus.Continue, FilterStatus.Continue, FilterStatus.Continue }, run.DownstreamStatuses);
        Assert.Equal("fine boom after", run.SentUpstreamText);
        Assert.Null(run.ClosedByModule);
        Assert.Empty(run.Controls);
        Assert.Single(run.Logs, l => l.Level == LogLevel.Critical);
    }

    [Fact]
    public void Dispose_completes_live_connections()
    {
        var host = Host("tcp_lines");
        TcpConnectionContext connection = host.CreateConnection();
        host.Dispose();
        Assert.True(connection.IsDeleted);
        Assert.Equal(new[] { "proxy_on_done", "proxy_on_log", "proxy_on_delete" }, connection.Callbacks.Skip(2).Select(c => c.Export));
    }
}
