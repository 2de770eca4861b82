using System.Collections.Generic;
using System.Linq;
using System.Text;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The Network sample's native module (a network filter) in the C host: the connection counter its plugin defines,
/// then per connection <c>new connection!</c>, each direction's data logged, the upstream address and the location
/// cluster metadata read from properties, <c>downstream connection close!</c> and, on <c>proxy_on_log</c>,
/// <c>connection complete!</c> with the counter incremented; every chunk forwarded (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/NetworkTests.cs); the counter lives in the C host's metrics (host_state.c).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class NetworkNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Connection = 2;
    private const int Info = 2;
    private const int Warn = 3;

    private static readonly (string Path, byte[] Value) Address = ("upstream\0address", Encoding.UTF8.GetBytes("127.0.0.1:8080"));

    private static readonly (string Path, byte[] Value) Location = ("cluster_metadata\0filter_metadata\0location",
        HostInput.Pairs(("region", "ap-northeast-1"), ("cloud_provider", "aws"), ("az", "ap-northeast-1a")));

    [SkippableFact]
    public void Plugin_start_defines_the_connection_counter()
    {
        HostRun run = Run(new HostInput { RootId = "network", Streams = 0 });

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal([("proxy_define_metric", 0)], run.HostCalls());
        Assert.Empty(run.Logs());
        Assert.Empty(run.OfKind("plugin_rejected"));
    }

    [SkippableFact]
    public void A_connection_logs_both_directions_the_upstream_address_and_location_metadata_and_completes()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "network",
            Streams = 0,
            Connections = 1,
            Properties = [Address, Location],
            ConnectionEvents =
            [
                ConnectionEvent.Downstream("this is downstream data"),
                ConnectionEvent.Upstream("this is upstream data"),
                ConnectionEvent.DownstreamClose(2),
            ],
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(
            [
                (Connection, Info, "new connection!"),
                (Connection, Info, ">>>>>> downstream data received >>>>>>\nthis is downstream data"),
                (Connection, Info, "remote address: 127.0.0.1:8080"),
                (Connection, Info, "upstream cluster metadata location[region]=ap-northeast-1"),
                (Connection, Info, "upstream cluster metadata location[cloud_provider]=aws"),
                (Connection, Info, "upstream cluster metadata location[az]=ap-northeast-1a"),
                (Connection, Info, "<<<<<< upstream data received <<<<<<\nthis is upstream data"),
                (Connection, Info, "downstream connection close!"),
                (Connection, Info, "connection complete!"),
            ],
            run.Logs());
        Assert.Equal(
            [
                ("proxy_on_context_create", "2,1", "-"),
                ("proxy_on_new_connection", "2", "0"),
                ("proxy_on_downstream_data", "2,23,0", "0"),
                ("proxy_on_upstream_data", "2,21,0", "0"),
                ("proxy_on_downstream_connection_close", "2,2", "-"),
                ("proxy_on_log", "2", "-"),
                ("proxy_on_delete", "2", "-"),
            ],
            run.Calls().Where(c => c.Context == Connection).Select(c => (c.Callback, c.Arguments, c.Result)));
        Assert.Equal(["this is downstream data\t0"], run.On("downstream_forwarded", Connection));
        Assert.Equal(["this is upstream data\t0"], run.On("upstream_forwarded", Connection));
        Assert.Equal(1, run.HostCalls().Count(h => h.Function == "proxy_increment_metric"));
        Assert.Equal("proxy_increment_metric",
            run.HostCalls().Where(h => h.Function != "proxy_get_log_level" && h.Function != "proxy_log").Select(h => h.Function).Last());
    }

    [SkippableFact]
    public void Without_the_properties_the_upstream_hook_warns_and_still_logs_an_empty_address_and_the_data()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "network",
            Streams = 0,
            Connections = 1,
            ConnectionEvents = [ConnectionEvent.Upstream("pong")],
        });

        Assert.Equal(
            [
                (Connection, Info, "new connection!"),
                (Connection, Warn, "failed to get upstream remote address: error status returned by host: not found"),
                (Connection, Info, "remote address: "),
                (Connection, Warn, "failed to get upstream location metadata: error status returned by host: not found"),
                (Connection, Info, "<<<<<< upstream data received <<<<<<\npong"),
                (Connection, Info, "connection complete!"),
            ],
            run.Logs());
        Assert.Equal([("proxy_get_property", 1), ("proxy_get_property", 1)], run.HostCalls().Where(h => h.Function == "proxy_get_property"));
        Assert.Equal(["pong\t0"], run.On("upstream_forwarded", Connection));
    }

    [SkippableFact]
    public void Empty_chunks_log_nothing_and_every_chunk_is_forwarded_at_once()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "network",
            Streams = 0,
            Connections = 2,
            Properties = [Address, Location],
            ConnectionEvents =
            [
                ConnectionEvent.Downstream(""),
                ConnectionEvent.Downstream("a"),
                ConnectionEvent.Downstream("b", endOfStream: true),
                ConnectionEvent.Upstream("", endOfStream: true),
                ConnectionEvent.DownstreamClose(1),
            ],
        });

        foreach (uint connection in new uint[] { 2, 3 })
        {
            Assert.Equal(["a\t0", "b\t1"], run.On("downstream_forwarded", connection));
            Assert.Equal(["\t1"], run.On("upstream_forwarded", connection));
            Assert.Equal(
                [
                    "new connection!",
                    ">>>>>> downstream data received >>>>>>\na",
                    ">>>>>> downstream data received >>>>>>\nb",
                    "downstream connection close!",
                    "connection complete!",
                ],
                run.LogsOn(connection));
            Assert.Equal([$"{connection},0,0", $"{connection},1,0", $"{connection},1,1"],
                run.Calls().Where(c => c.Context == connection && c.Callback == "proxy_on_downstream_data").Select(c => c.Arguments));
        }

        Assert.Equal(2, run.HostCalls().Count(h => h.Function == "proxy_increment_metric"));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("Network").Library, input);
}
