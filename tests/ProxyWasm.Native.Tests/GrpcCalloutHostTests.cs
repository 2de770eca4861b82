using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The C host's gRPC callouts themselves, probed by a module written in C (host/grpc_probe.c) that reaches what no
/// sample does: streams and sends, close and cancel, tokens of the wrong kind, the metadata maps, the message buffer and
/// proxy_get_status in each answer and outside one. The probe logs what each host function returned; these tests read
/// those lines.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class GrpcCalloutHostTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;

    [SkippableFact]
    public void Calls_and_streams_need_a_known_cluster_record_what_the_module_sends_and_number_tokens_by_kind()
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], RequestHeaders = [(":path", "/orig")] });

        Assert.Equal(
            [
                "dispatch unknown-cluster: status 4 token 0", // ParseFailure, as Envoy answers an unknown gRPC cluster
                "dispatch unary: status 0 token 5",
                "dispatch stream: status 0 token 6",
                "send one: status 0",
                "send two: status 0",
                "send after end: status 2",
                "send to a unary call: status 2",
                "send to an unknown stream: status 1",
                "dispatch second: status 0 token 9",
                "cancel second: status 0",
                "cancel second again: status 1",
                "close an http token: status 2",
            ],
            run.Logs().Where(l => l.Context == Stream).Select(l => l.Message).TakeWhile(m => !m.StartsWith("effective", StringComparison.Ordinal)));

        IReadOnlyList<HostGrpcCall> calls = run.GrpcCalls();
        Assert.Equal(
            [(Stream, 5u, false, "probe", "probe.Probe", "Unary", 250u), (Stream, 6u, true, "probe", "probe.Probe", "Stream", 0u), (Stream, 9u, false, "probe", "probe.Probe", "Unary", 250u)],
            calls.Select(c => (c.Context, c.Token, c.IsStream, c.Cluster, c.Service, c.Method, c.TimeoutMilliseconds)));
        Assert.Equal([("x-probe", "1")], calls[0].Metadata);
        Assert.Equal("ping", calls[0].Message);
        Assert.Equal([("x-probe", "stream")], calls[1].Metadata);
        Assert.Equal([(false, "one"), (true, "two")], calls[1].Sends);
        Assert.Equal([null, null, "cancel"], calls.Select(c => c.EndedBy));
        Assert.Empty(run.HttpCalls());
    }

    [SkippableFact]
    public void Without_a_cluster_list_any_cluster_is_accepted()
    {
        HostRun run = Run(new HostInput());

        Assert.Contains((Stream, 2, "dispatch unknown-cluster: status 0 token 5"), run.Logs());
        Assert.Equal([(5u, "unknown"), (9u, "probe"), (6u, "probe"), (13u, "probe")], run.GrpcCalls().Select(c => (c.Token, c.Cluster)));
    }

    [SkippableFact]
    public void By_default_a_call_gets_an_empty_message_and_a_stream_a_message_and_a_close_with_status_0()
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], RequestHeaders = [(":path", "/orig")], ResponseHeaders = [(":status", "200")] });

        // Oldest first, on the root context; the call the module cancelled (token 9) gets nothing.
        Assert.Equal(
            [(Root, "proxy_on_grpc_receive", "1,5,0"), (Root, "proxy_on_grpc_receive", "1,6,0"), (Root, "proxy_on_grpc_close", "1,6,0")],
            run.GrpcAnswers());
        var logs = run.Logs();
        Assert.Contains((Root, 2, "receive message: status 0 size 0 ''"), logs);
        Assert.Contains((Root, 2, "receive get_status: status 0 code 0 message ''"), logs);
        Assert.Contains((Root, 2, "receive initial x-meta: status 2 value ''"), logs);
        Assert.Contains((Root, 2, "close get_status: status 0 code 0 message ''"), logs);
        Assert.Contains((Root, 2, "close message: status 1 size 0 ''"), logs);

        // The stream's close resumed the request. Outside an answer there is no message, no metadata, and the
        // answered call and stream are gone.
        Assert.Contains((Stream, 2, "effective stream: status 0"), logs);
        Assert.Equal([(":path", "/orig")], run.Upstream(Stream));
        Assert.Contains((Stream, 2, "response message: status 1 size 0 ''"), logs);
        Assert.Contains((Stream, 2, "response trailing x-meta: status 2 value ''"), logs);
        Assert.Contains((Stream, 2, "response get_status: status 0 code 0 message ''"), logs);
        Assert.Contains((Stream, 2, "close the answered call: status 1"), logs);
        Assert.Contains((Stream, 2, "send on the closed stream: status 1"), logs);
        Assert.Empty(run.PendingGrpcCalls());
    }

    [SkippableFact]
    public void Metadata_comes_first_for_a_call_and_in_envoys_order_for_a_stream_each_map_only_in_its_callback()
    {
        HostRun run = Run(new HostInput
        {
            Clusters = ["probe"],
            RequestHeaders = [(":path", "/orig")],
            GrpcInitialMetadata = [("X-Meta", "init")],
            GrpcTrailingMetadata = [("x-meta", "trail")],
            GrpcResponseMessage = "pong"u8.ToArray(),
        });

        Assert.Equal(
            [
                "proxy_on_grpc_receive_initial_metadata 1,5,1", "proxy_on_grpc_receive_trailing_metadata 1,5,1", "proxy_on_grpc_receive 1,5,4",
                "proxy_on_grpc_receive_initial_metadata 1,6,1", "proxy_on_grpc_receive 1,6,4", "proxy_on_grpc_receive_trailing_metadata 1,6,1",
                "proxy_on_grpc_close 1,6,0",
            ],
            run.GrpcAnswers().Select(a => $"{a.Callback} {a.Arguments}"));
        var logs = run.Logs();
        Assert.Contains((Root, 2, "initial initial x-meta: status 0 value 'init'"), logs);
        Assert.Contains((Root, 2, "initial trailing x-meta: status 2 value ''"), logs);
        Assert.Contains((Root, 2, "initial message: status 1 size 0 ''"), logs);
        Assert.Contains((Root, 2, "trailing trailing x-meta: status 0 value 'trail'"), logs);
        Assert.Contains((Root, 2, "trailing initial x-meta: status 2 value ''"), logs);
        Assert.Contains((Root, 2, "receive message: status 0 size 4 'pong'"), logs);
        Assert.Contains((Root, 2, "receive initial x-meta: status 2 value ''"), logs);
    }

    [SkippableFact]
    public void A_close_ends_a_call_and_a_stream_and_proxy_get_status_gives_its_code_and_message()
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], RequestHeaders = [(":path", "/orig")], GrpcClose = (14, "unavailable") });

        Assert.Equal([(Root, "proxy_on_grpc_close", "1,5,14"), (Root, "proxy_on_grpc_close", "1,6,14")], run.GrpcAnswers());
        Assert.Equal(2, run.Logs().Count(l => l == (Root, 2, "close get_status: status 0 code 14 message 'unavailable'")));
        Assert.Contains((Stream, 2, "response get_status: status 0 code 0 message ''"), run.Logs());
        Assert.Equal([(":path", "/orig")], run.Upstream(Stream));
    }

    [SkippableFact]
    public void A_stream_the_module_cancels_in_an_answer_gets_no_more_answers()
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], RequestHeaders = [(":path", "/orig"), ("x-probe-cancel", "1")] });

        Assert.Equal([(Root, "proxy_on_grpc_receive", "1,5,0"), (Root, "proxy_on_grpc_receive", "1,6,0")], run.GrpcAnswers());
        Assert.Contains((Root, 2, "cancel in answer: status 0"), run.Logs());
        Assert.Equal([(9u, "cancel"), (6u, "cancel")], run.OfKind("grpc_ended").Select(r => (uint.Parse(r.Fields[1], CultureInfo.InvariantCulture), r.Fields[2])));

        // Nothing resumed the request; no call is left pending (the module ended the stream itself).
        Assert.Single(run.OfKind("request_stopped"));
        Assert.Empty(run.Upstream(Stream));
        Assert.Empty(run.PendingGrpcCalls());
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.GrpcProbe(), input);
}
