using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The C host's TCP connections, probed by a module written in C (host/network_probe.c) that logs what each callback
/// saw and what each host function returned: the order of the callbacks, the data buffers (2, 3) with Envoy's
/// buffering under StopIteration and its copyFrom rules for writes, resuming and closing the connection, and the close
/// callbacks with their peer types.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class NetworkHostTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Connection = 2;

    [SkippableFact]
    public void A_connection_runs_create_new_connection_data_close_done_log_delete_in_order()
    {
        HostRun run = Run("", ConnectionEvent.Downstream("hello"), ConnectionEvent.Upstream("world"), ConnectionEvent.DownstreamClose(2));

        Assert.Equal(
            [
                ("proxy_on_context_create", "2,1", "-"),
                ("proxy_on_new_connection", "2", "0"),
                ("proxy_on_downstream_data", "2,5,0", "0"),
                ("proxy_on_upstream_data", "2,5,0", "0"),
                ("proxy_on_downstream_connection_close", "2,2", "-"),
                ("proxy_on_done", "2", "1"),
                ("proxy_on_log", "2", "-"),
                ("proxy_on_delete", "2", "-"),
            ],
            run.Calls().Where(c => c.Context == Connection).Select(c => (c.Callback, c.Arguments, c.Result)));
        Assert.Equal(["hello\t0"], run.On("downstream_forwarded", Connection));
        Assert.Equal(["world\t0"], run.On("upstream_forwarded", Connection));

        // Buffer 2 exists only while the filter holds downstream bytes: not before the first chunk, not once forwarded.
        var logs = run.LogsOn(Connection);
        Assert.Contains("new connection downstream: status 1 size 0 ''", logs);
        Assert.Contains("downstream 2 size 5 end 0: buffer status 0 size 5", logs);
        Assert.Contains("downstream bytes: status 0 'hello'", logs);
        Assert.Contains("downstream sees upstream: status 1 size 0 ''", logs);
        Assert.Contains("upstream bytes: status 0 size 5 'world'", logs);
        Assert.Contains("at close downstream: status 1 size 0 ''", logs);
        Assert.Empty(run.OfKind("downstream_held"));
        Assert.Empty(run.OfKind("upstream_held"));

        // The plugin shuts down after the connection.
        Assert.Equal(["proxy_on_done", "proxy_on_delete"], run.Calls().SkipWhile(c => c.Context != Connection).Where(c => c.Context == Root).Select(c => c.Callback));
    }

    [SkippableFact]
    public void StopIteration_keeps_the_bytes_buffered_and_the_next_callback_sees_them_all()
    {
        HostRun run = Run("stop", ConnectionEvent.Downstream("ab"), ConnectionEvent.Downstream("cd"), ConnectionEvent.Downstream("ef", endOfStream: true));

        Assert.Equal([("2,2,0", "1"), ("2,4,0", "1"), ("2,6,1", "0")],
            run.Calls().Where(c => c.Callback == "proxy_on_downstream_data").Select(c => (c.Arguments, c.Result)));
        Assert.Equal(["downstream bytes: status 0 'ab'", "downstream bytes: status 0 'abcd'", "downstream bytes: status 0 'abcdef'"],
            run.LogsOn(Connection).Where(l => l.StartsWith("downstream bytes")));
        Assert.Equal(["abcdef\t1"], run.On("downstream_forwarded", Connection));
    }

    [SkippableFact]
    public void Bytes_still_held_when_the_connection_ends_are_recorded_and_stay_readable_in_the_close_callback()
    {
        HostRun run = Run("stop,stop-up", ConnectionEvent.Downstream("ab"), ConnectionEvent.Upstream("xy"), ConnectionEvent.Upstream("z"), ConnectionEvent.DownstreamClose(2));

        Assert.Equal(["2,2,0", "2,3,0"], run.Calls().Where(c => c.Callback == "proxy_on_upstream_data").Select(c => c.Arguments));
        Assert.Contains("downstream sees upstream: status 1 size 0 ''", run.LogsOn(Connection));
        Assert.Contains("at close downstream: status 0 size 2 'ab'", run.LogsOn(Connection));
        Assert.Equal(["ab"], run.On("downstream_held", Connection));
        Assert.Equal(["xyz"], run.On("upstream_held", Connection));
        Assert.Empty(run.OfKind("downstream_forwarded"));
        Assert.Empty(run.OfKind("upstream_forwarded"));
    }

    [SkippableFact]
    public void The_data_buffers_are_writable_with_envoys_copyFrom_rules()
    {
        HostRun run = Run("rewrite", ConnectionEvent.Downstream("abc"), ConnectionEvent.Upstream("zzz"));

        var logs = run.LogsOn(Connection);
        Assert.Contains("prepend: status 0", logs);
        Assert.Contains("append: status 0", logs);
        Assert.Contains("middle: status 2", logs); // a start inside the buffer but not 0: BadArgument
        Assert.Contains("rewritten: status 0 size 5 '[abc]'", logs);
        Assert.Contains("replace: status 0", logs);
        Assert.Contains("replaced: status 0 size 2 'UP'", logs);
        Assert.Equal(["[abc]\t0"], run.On("downstream_forwarded", Connection));
        Assert.Equal(["UP\t0"], run.On("upstream_forwarded", Connection));
    }

    [SkippableFact]
    public void Resuming_the_downstream_forwards_the_held_bytes_once_the_callback_returns_and_upstream_cannot_be_resumed()
    {
        HostRun run = Run("resume", ConnectionEvent.Downstream("ab"), ConnectionEvent.Downstream("cd"));

        Assert.Equal(["1", "1"], run.Calls().Where(c => c.Callback == "proxy_on_downstream_data").Select(c => c.Result));
        Assert.Equal(["2,2,0", "2,2,0"], run.Calls().Where(c => c.Callback == "proxy_on_downstream_data").Select(c => c.Arguments));
        var logs = run.LogsOn(Connection);
        Assert.Equal(2, logs.Count(l => l == "resume downstream: status 0"));
        Assert.Equal(2, logs.Count(l => l == "resume upstream: status 12"));  // Envoy: Unimplemented
        Assert.Equal(2, logs.Count(l => l == "resume request: status 2"));    // no HTTP request on a connection
        Assert.Equal(["", ""], run.On("downstream_resumed", Connection));
        Assert.Equal(["ab\t0", "cd\t0"], run.On("downstream_forwarded", Connection));

        var records = run.Records.ToList();
        int firstCall = records.FindIndex(r => r.Kind == "call" && r.Fields[1] == "proxy_on_downstream_data");
        int firstForward = records.FindIndex(r => r.Kind == "downstream_forwarded");
        int secondCall = records.FindLastIndex(r => r.Kind == "call" && r.Fields[1] == "proxy_on_downstream_data");
        Assert.True(firstCall < firstForward && firstForward < secondCall, run.Dump());
    }

    [SkippableTheory]
    [InlineData("close", 2)]
    [InlineData("close-up", 3)]
    public void Closing_either_direction_closes_the_connection_locally_and_drops_the_rest(string words, int streamType)
    {
        HostRun run = Run(words,
            ConnectionEvent.Downstream("ab"), ConnectionEvent.Upstream("up"), ConnectionEvent.Downstream("cd"), ConnectionEvent.DownstreamClose(2));

        Assert.Equal([$"{streamType}"], run.On("connection_close", Connection));
        Assert.Contains($"close {(streamType == 2 ? "downstream" : "upstream")}: status 0", run.LogsOn(Connection));
        string[] data = streamType == 2 ? ["proxy_on_downstream_data"] : ["proxy_on_downstream_data", "proxy_on_upstream_data"];
        Assert.Equal(["proxy_on_context_create", "proxy_on_new_connection", .. data, "proxy_on_downstream_connection_close", "proxy_on_done", "proxy_on_log", "proxy_on_delete"],
            run.CallbacksOn(Connection));
        Assert.Equal("2,1", run.Calls().Single(c => c.Callback == "proxy_on_downstream_connection_close").Arguments); // LOCAL
        Assert.Equal(streamType == 2 ? [] : ["ab\t0"], run.On("downstream_forwarded", Connection));
        Assert.Empty(run.OfKind("upstream_forwarded"));
    }

    [SkippableFact]
    public void Upstream_end_of_stream_reports_the_upstream_close_with_peer_unknown_and_closes_carry_their_peer_type()
    {
        HostRun run = Run("", ConnectionEvent.Upstream("bye", endOfStream: true), ConnectionEvent.UpstreamClose(2), ConnectionEvent.DownstreamClose(1));

        Assert.Equal(
            [
                ("proxy_on_upstream_data", "2,3,1"),
                ("proxy_on_upstream_connection_close", "2,0"),
                ("proxy_on_upstream_connection_close", "2,2"),
                ("proxy_on_downstream_connection_close", "2,1"),
            ],
            run.Calls().Where(c => c.Callback.Contains("upstream") || c.Callback.Contains("connection_close")).Select(c => (c.Callback, c.Arguments)));
        Assert.Equal(["bye\t1"], run.On("upstream_forwarded", Connection));
    }

    [SkippableFact]
    public void Events_after_the_downstream_close_are_not_delivered()
    {
        HostRun run = Run("", ConnectionEvent.DownstreamClose(2), ConnectionEvent.Downstream("late"));

        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_downstream_data");
        Assert.Empty(run.OfKind("downstream_forwarded"));
    }

    [SkippableFact]
    public void Connections_run_one_after_another_after_the_streams()
    {
        HostRun run = HostRun.Execute(build, build.NetworkProbe(), new HostInput
        {
            Streams = 1,
            Connections = 2,
            ConnectionEvents = [ConnectionEvent.Downstream("x"), ConnectionEvent.DownstreamClose(2)],
        });

        Assert.Equal(["2,1", "3,1", "4,1"], run.Calls().Where(c => c.Callback == "proxy_on_context_create" && c.Context != Root).Select(c => c.Arguments));
        Assert.Equal("proxy_on_request_headers", run.CallbacksOn(2)[1]);
        var calls = run.Calls().ToList();
        Assert.True(calls.FindLastIndex(c => c.Context == 3) < calls.FindIndex(c => c.Context == 4), run.Dump());
        Assert.Equal(["x\t0"], run.On("downstream_forwarded", 3));
        Assert.Equal(["x\t0"], run.On("downstream_forwarded", 4));

        // The stream types of a connection are refused on an HTTP stream.
        Assert.Contains("continue downstream on a stream: status 2", run.LogsOn(2));
    }

    [SkippableTheory]
    [InlineData("later", false)]
    [InlineData("later,done-now", true)]
    public void A_connection_whose_done_returns_false_is_kept_until_proxy_done(string words, bool doneNow)
    {
        HostRun run = Run(words, ConnectionEvent.DownstreamClose(2));

        Assert.Equal("0", run.Result(Connection, "proxy_on_done"));
        if (doneNow)
        {
            Assert.Contains("proxy_done: status 0", run.LogsOn(Connection));
            Assert.Equal(["proxy_on_done", "proxy_on_log", "proxy_on_delete"], run.CallbacksOn(Connection).TakeLast(3));
            Assert.Empty(run.OfKind("done_pending"));
        }
        else
        {
            Assert.Equal(["2"], Assert.Single(run.OfKind("done_pending")).Fields);
            Assert.Equal("proxy_on_done", run.CallbacksOn(Connection)[^1]);
        }
    }

    private HostRun Run(string words, params ConnectionEvent[] events) =>
        HostRun.Execute(build, build.NetworkProbe(), new HostInput
        {
            PluginConfiguration = words,
            Streams = 0,
            Connections = 1,
            ConnectionEvents = [.. events],
        });
}
