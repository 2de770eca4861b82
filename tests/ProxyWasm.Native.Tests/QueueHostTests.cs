using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The C host's shared queues, probed by host/network_probe.c: ids keyed by VM id and name, one proxy_on_queue_ready
/// on the registering root context per enqueue once the enqueuing callback returned, Empty when drained, queues and
/// messages of another VM, and the last root context to register a queue getting its callbacks (cpp-host).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class QueueHostTests(NativeBuild build)
{
    private const uint Root = 1;

    [SkippableFact]
    public void Each_enqueue_is_followed_by_one_queue_ready_on_the_registering_root_after_the_callback_returns()
    {
        HostRun run = Run(new HostInput
        {
            VmId = "vm1",
            PluginConfiguration = "queue",
            Streams = 0,
            Connections = 1,
            ConnectionEvents = [ConnectionEvent.Downstream("ab"), ConnectionEvent.Downstream("cd"), ConnectionEvent.DownstreamClose(2)],
        });

        Assert.Equal(["1\tvm1\tq"], run.On("queue_registered", Root));
        Assert.Contains("register q: status 0 id 1", run.LogsOn(Root));
        Assert.Contains("configure plugin_vm_id: status 0 'vm1'", run.LogsOn(Root));
        Assert.Equal(2, run.LogsOn(2).Count(l => l == "resolve q: status 0 id 1"));
        Assert.Equal(["1\tab", "1\tcd"], run.On("enqueue", 2));
        Assert.Equal(["1\tab", "1\tcd"], run.On("dequeue", Root));

        // Each downstream callback is followed by the queue-ready call it caused, on the root context, which drains the
        // queue until Empty (7).
        var calls = run.Calls().Select(c => (c.Context, c.Callback, c.Arguments)).ToList();
        int first = calls.IndexOf((2u, "proxy_on_downstream_data", "2,2,0"));
        int second = calls.IndexOf((2u, "proxy_on_downstream_data", "2,2,0"), first + 1);
        Assert.True(first >= 0 && second > first, run.Dump());
        Assert.Equal((Root, "proxy_on_queue_ready", "1,1"), calls[first + 1]);
        Assert.Equal((Root, "proxy_on_queue_ready", "1,1"), calls[second + 1]);
        Assert.Equal(2, calls.Count(c => c.Callback == "proxy_on_queue_ready"));
        Assert.Equal(["dequeue: status 0 'ab'", "dequeue: status 7 ''", "dequeue: status 0 'cd'", "dequeue: status 7 ''"],
            run.LogsOn(Root).Where(l => l.StartsWith("dequeue")));
        Assert.Empty(run.OfKind("queue_left"));
    }

    [SkippableFact]
    public void A_queue_of_another_vm_resolves_by_vm_id_and_name_gets_no_callbacks_and_keeps_its_messages()
    {
        HostRun run = Run(new HostInput
        {
            PluginConfiguration = "queue,resolve=receiver/http",
            SharedQueues = [("receiver", "http"), ("receiver", "tcp")],
            Streams = 0,
            Connections = 1,
            ConnectionEvents = [ConnectionEvent.Downstream("ab"), ConnectionEvent.Downstream("cd")],
        });

        Assert.Contains("register q: status 0 id 3", run.LogsOn(Root)); // after the two queues of the other VM
        Assert.Equal(2, run.LogsOn(2).Count(l => l == "resolve receiver/http: status 0 id 1"));
        Assert.Equal(["1\tab", "1\tcd"], run.On("enqueue", 2));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_queue_ready");
        Assert.Equal(["1\tab", "1\tcd"], run.OfKind("queue_left").Select(r => string.Join('\t', r.Fields)));
    }

    [SkippableTheory]
    [InlineData("resolve=receiver/nothing", "resolve receiver/nothing: status 1 id 0")]
    [InlineData("resolve=/q", "resolve /q: status 1 id 0")]
    public void Resolving_an_unknown_queue_is_NotFound_and_enqueueing_to_id_0_too(string words, string expected)
    {
        HostRun run = Run(new HostInput
        {
            VmId = "vm1",
            PluginConfiguration = words,
            SharedQueues = [("receiver", "http")],
            Streams = 0,
            Connections = 1,
            ConnectionEvents = [ConnectionEvent.Downstream("ab")],
        });

        Assert.Contains(expected, run.LogsOn(2));
        Assert.Contains("enqueue: status 1", run.LogsOn(2));
        Assert.Empty(run.OfKind("enqueue"));
    }

    [SkippableFact]
    public void Messages_of_another_vm_reach_the_queue_registered_under_its_vm_id_and_name()
    {
        HostRun run = Run(new HostInput
        {
            VmId = "vm1",
            PluginConfiguration = "queue",
            Streams = 0,
            QueueMessages = [("vm1", "q", "hello"), ("vm2", "q", "lost"), ("vm1", "q", "again")],
        });

        Assert.Equal(["1\thello", "1\tagain"], run.On("enqueue", 0));
        Assert.Equal(["vm2\tq\tlost"], run.OfKind("queue_message_dropped").Select(r => string.Join('\t', r.Fields)));
        Assert.Equal([(Root, "1,1"), (Root, "1,1")], run.Calls().Where(c => c.Callback == "proxy_on_queue_ready").Select(c => (c.Context, c.Arguments)));
        Assert.Equal(["dequeue: status 0 'hello'", "dequeue: status 7 ''", "dequeue: status 0 'again'", "dequeue: status 7 ''"],
            run.LogsOn(Root).Where(l => l.StartsWith("dequeue")));
    }

    [SkippableFact]
    public void The_last_root_context_to_register_a_queue_gets_its_callbacks_and_a_stream_enqueues_to_it()
    {
        HostRun run = Run(new HostInput
        {
            VmId = "vm1",
            PluginConfiguration = "queue",
            Plugins = [("second", "queue")],
            Streams = 1,
            RequestHeaders = [(":path", "/p")],
        });

        Assert.Equal(["1\tvm1\tq"], run.On("queue_registered", Root));
        Assert.Equal(["1\tvm1\tq"], run.On("queue_registered", 2));
        Assert.Equal(["1\t/p"], run.On("enqueue", 3));
        Assert.Equal([(2u, "2,1")], run.Calls().Where(c => c.Callback == "proxy_on_queue_ready").Select(c => (c.Context, c.Arguments)));
        Assert.Equal(["1\t/p"], run.On("dequeue", 2));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.NetworkProbe(), input);
}
