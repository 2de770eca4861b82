using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The SharedQueue sample's native module (receiver, sender and sender_tcp in one module) in the C host: the receiver
/// roots register one queue each and dequeue on proxy_on_queue_ready; the sender enqueues every request and response
/// header as JSON and the TCP sender the FNV-1a 128 hex of each upstream chunk to the receiver's queues. Envoy runs
/// receiver and sender in two VMs; the C host runs one, so the end-to-end test gives it the receiver's VM id, and the
/// sender-only tests register the receiver's queues as another VM's (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/SharedQueueTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class SharedQueueNativeTests(NativeBuild build)
{
    private const int Info = 2;
    private const int Critical = 5;
    private const string HelloHash = "e3e1efd54283d94f7081314b599d31b3"; // FNV-1a 128 of "hello"

    private static readonly List<(string Name, string Value)> Request = [(":method", "GET"), (":path", "/")];

    private static readonly List<(string RootId, string Configuration)> Receivers =
        [("receiver", "http_response_headers"), ("receiver", "tcp_data_hashes")];

    [SkippableFact]
    public void Each_receiver_root_registers_the_queue_its_configuration_names()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "receiver",
            PluginConfiguration = "http_request_headers",
            Plugins = Receivers,
            VmId = "receiver",
            Streams = 0,
        });

        Assert.Equal(
            [
                (1u, Info, "queue \"http_request_headers\" registered as queueID=1 by contextID=1"),
                (2u, Info, "queue \"http_response_headers\" registered as queueID=2 by contextID=2"),
                (3u, Info, "queue \"tcp_data_hashes\" registered as queueID=3 by contextID=3"),
            ],
            run.Logs());
        Assert.Equal(["1\t1\treceiver\thttp_request_headers", "2\t2\treceiver\thttp_response_headers", "3\t3\treceiver\ttcp_data_hashes"],
            run.OfKind("queue_registered").Select(r => string.Join('\t', r.Fields)));
        Assert.Equal(["1", "1", "1"], run.Calls().Where(c => c.Callback == "proxy_on_configure").Select(c => c.Result));
        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
    }

    [SkippableFact]
    public void A_receiver_dequeues_one_message_per_queue_ready_and_ignores_an_empty_queue()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "receiver",
            PluginConfiguration = "tcp_data_hashes",
            VmId = "receiver",
            Streams = 0,
            QueueMessages = [("receiver", "tcp_data_hashes", "one"), ("receiver", "tcp_data_hashes", "two")],
        });

        Assert.Equal(
            [
                (1u, Info, "queue \"tcp_data_hashes\" registered as queueID=1 by contextID=1"),
                (1u, Info, "(contextID=1) dequeued data from tcp_data_hashes(queueID=1): one"),
                (1u, Info, "(contextID=1) dequeued data from tcp_data_hashes(queueID=1): two"),
            ],
            run.Logs());
        Assert.Equal(["1,1", "1,1"], run.Calls().Where(c => c.Callback == "proxy_on_queue_ready").Select(c => c.Arguments));
        Assert.Empty(run.OfKind("queue_left"));
    }

    [SkippableFact]
    public void An_empty_receiver_configuration_is_refused()
    {
        HostRun run = Run(new HostInput { RootId = "receiver", VmId = "receiver", Streams = 0 });

        Assert.Equal([(1u, Critical, "failed to get plugin config: error status returned by host: not found")], run.Logs());
        Assert.Equal("0", run.Result(1, "proxy_on_configure"));
        Assert.Empty(run.OfKind("queue_registered"));
    }

    [SkippableFact]
    public void The_sender_enqueues_headers_and_upstream_hashes_to_the_receivers_queues_of_another_vm()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "sender",
            PluginConfiguration = "http",
            Plugins = [("sender_tcp", "tcp")],
            VmId = "sender",
            SharedQueues = [("receiver", "http_request_headers"), ("receiver", "http_response_headers"), ("receiver", "tcp_data_hashes")],
            RequestHeaders = Request,
            ResponseHeaders = [(":status", "200")],
            Connections = 1,
            ConnectionRoots = [2],
            ConnectionEvents = [ConnectionEvent.Downstream("ignored"), ConnectionEvent.Upstream(""), ConnectionEvent.Upstream("hello"), ConnectionEvent.DownstreamClose(2)],
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(
            [
                (1u, Info, "contextID=1 is configured for http"),
                (2u, Info, "contextID=2 is configured for tcp"),
                (3u, Info, "enqueued data: {\"key\": \":method\",\"value\": \"GET\"}"),
                (3u, Info, "enqueued data: {\"key\": \":path\",\"value\": \"/\"}"),
                (3u, Info, "(contextID=3) enqueued data: {\"key\": \":status\",\"value\": \"200\"}"),
                (4u, Info, $"(contextID=4) enqueued data: {HelloHash}"),
            ],
            run.Logs());
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_queue_ready"); // another VM's queues
        Assert.Equal(
            [
                "1\t{\"key\": \":method\",\"value\": \"GET\"}",
                "1\t{\"key\": \":path\",\"value\": \"/\"}",
                "2\t{\"key\": \":status\",\"value\": \"200\"}",
                $"3\t{HelloHash}",
            ],
            run.OfKind("queue_left").Select(r => string.Join('\t', r.Fields)));
        Assert.Equal(["4,0,0", "4,5,0"], run.Calls().Where(c => c.Callback == "proxy_on_upstream_data").Select(c => c.Arguments));
        Assert.Equal(["ignored\t0"], run.On("downstream_forwarded", 4));
        Assert.Equal(["hello\t0"], run.On("upstream_forwarded", 4));
        Assert.Equal(Request, run.Upstream(3));
    }

    [SkippableFact]
    public void Without_the_receiver_the_sender_logs_resolve_and_queueing_errors_and_lets_traffic_through()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "sender",
            PluginConfiguration = "http",
            Plugins = [("sender_tcp", "tcp")],
            VmId = "sender",
            RequestHeaders = [(":method", "GET")],
            ResponseHeaders = [(":status", "200")],
            Connections = 1,
            ConnectionRoots = [2],
            ConnectionEvents = [ConnectionEvent.Upstream("hello")],
        });

        Assert.Equal(
            [
                (1u, Info, "contextID=1 is configured for http"),
                (2u, Info, "contextID=2 is configured for tcp"),
                (3u, Critical, "error resolving queue id: error status returned by host: not found"),
                (3u, Critical, "error resolving queue id: error status returned by host: not found"),
                (3u, Critical, "error queueing: error status returned by host: not found"),
                (3u, Critical, "error queueing: error status returned by host: not found"),
                (4u, Critical, "error resolving queue id: error status returned by host: not found"),
                (4u, Critical, "error queueing: error status returned by host: not found"),
            ],
            run.Logs());
        Assert.Equal([(":method", "GET")], run.Upstream(3));
        Assert.Equal([(":status", "200")], run.Downstream(3));
        Assert.Equal(["hello\t0"], run.On("upstream_forwarded", 4));
        Assert.Empty(run.OfKind("enqueue"));
    }

    [SkippableFact]
    public void Sender_and_receiver_in_one_vm_deliver_every_message_end_to_end()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "receiver",
            PluginConfiguration = "http_request_headers",
            Plugins = [.. Receivers, ("sender", "http"), ("sender_tcp", "tcp")],
            VmId = "receiver",
            StreamRoots = [4],
            ConnectionRoots = [5],
            RequestHeaders = Request,
            ResponseHeaders = [(":status", "200")],
            Connections = 1,
            ConnectionEvents = [ConnectionEvent.Upstream("hello"), ConnectionEvent.DownstreamClose(2)],
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(
            [
                (6u, Info, "enqueued data: {\"key\": \":method\",\"value\": \"GET\"}"),
                (6u, Info, "enqueued data: {\"key\": \":path\",\"value\": \"/\"}"),
                (1u, Info, "(contextID=1) dequeued data from http_request_headers(queueID=1): {\"key\": \":method\",\"value\": \"GET\"}"),
                (1u, Info, "(contextID=1) dequeued data from http_request_headers(queueID=1): {\"key\": \":path\",\"value\": \"/\"}"),
                (6u, Info, "(contextID=6) enqueued data: {\"key\": \":status\",\"value\": \"200\"}"),
                (2u, Info, "(contextID=2) dequeued data from http_response_headers(queueID=2): {\"key\": \":status\",\"value\": \"200\"}"),
                (7u, Info, $"(contextID=7) enqueued data: {HelloHash}"),
                (3u, Info, $"(contextID=3) dequeued data from tcp_data_hashes(queueID=3): {HelloHash}"),
            ],
            run.Logs().SkipWhile(l => l.Context != 6));
        Assert.Equal([(1u, "1,1"), (1u, "1,1"), (2u, "2,2"), (3u, "3,3")],
            run.Calls().Where(c => c.Callback == "proxy_on_queue_ready").Select(c => (c.Context, c.Arguments)));
        Assert.Equal("6,4", run.Calls().Single(c => c.Context == 6 && c.Callback == "proxy_on_context_create").Arguments);
        Assert.Equal("7,5", run.Calls().Single(c => c.Context == 7 && c.Callback == "proxy_on_context_create").Arguments);
        Assert.Empty(run.OfKind("queue_left"));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("SharedQueue").Library, input);
}
