using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>Several plugins (root contexts) in one host, shared-queue delivery (<c>proxy_on_queue_ready</c>) and
/// foreign-function calls into the module (TestFilters/NetworkTestFilters.cs).</summary>
public sealed class PluginsAndQueuesTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Info(ProxyWasmHost host) => host.Logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    private static HttpRequest Enqueueing(string message) => new(new HeaderList(new[] { (":path", "/"), ("x-enqueue", message) }));

    [Fact]
    public void An_http_filter_and_a_network_filter_run_as_two_plugins_in_one_host()
    {
        using var host = new ProxyWasmHost(typeof(PluginsAndQueuesTests).Assembly, new HostOptions { RootId = "tcp_lines" });
        PluginContext http = host.AddPlugin(new PluginOptions { RootId = "queue_consumer", PluginConfiguration = B("jobs") });
        Assert.Equal(1u, http.ContextId);
        Assert.True(http.ConfigureResult);
        Assert.Equal(0u, host.RootContextId);

        TcpConnectionContext connection = host.CreateConnection();
        Assert.Equal(2u, host.RootContextId);
        Assert.Equal(3u, connection.ContextId);
        HttpExchange exchange = http.Send(Enqueueing("one"));
        Assert.NotNull(exchange.Upstream);
        Assert.Equal(new[] { host.DefaultPlugin, http }.OrderBy(p => p.ContextId), host.Plugins.OrderBy(p => p.ContextId));

        // Each stream runs the filter of its own root id: the connection is the line filter's, the request the producer's.
        Assert.Equal(FilterStatus.Continue, connection.OnDownstreamData(B("R\n")));
        Assert.Equal("replaced\n", Encoding.UTF8.GetString(connection.SentUpstream));
        Assert.Equal(new[] { "registered jobs as 1 by 1", "opened", "enqueued", "1 ready 1: one", "downstream 2/2" }, Info(host));
        Assert.Equal(4u, exchange.Callbacks[0].ContextId);
    }

    [Fact]
    public void Plugin_root_id_and_configuration_answer_per_root_context()
    {
        using var host = new ProxyWasmHost(typeof(PluginsAndQueuesTests).Assembly, new HostOptions { RootId = "queue_consumer", PluginConfiguration = B("first") });
        Assert.True(host.StartPlugin());
        PluginContext second = host.AddPlugin(new PluginOptions { RootId = "queue_consumer", PluginConfiguration = B("second") });
        Assert.Equal(new[] { "registered first as 1 by 1", "registered second as 2 by 2" }, Info(host));
        Assert.Equal(new Dictionary<string, uint> { ["second"] = 2 }, second.RegisteredQueues);

        // A root id no filter serves: the module rejects the configuration, the default plugin is untouched.
        PluginContext unknown = host.AddPlugin(new PluginOptions { RootId = "nobody" });
        Assert.False(unknown.ConfigureResult);
        Assert.True(host.ConfigureResult);
    }

    [Fact]
    public void Queue_ready_is_posted_to_the_registering_root_after_the_enqueuing_callback()
    {
        using var host = new ProxyWasmHost(typeof(PluginsAndQueuesTests).Assembly, new HostOptions { RootId = "queue_consumer", PluginConfiguration = B("jobs") });
        host.Send(Enqueueing("a"));
        host.Send(Enqueueing("b"));
        Assert.Equal(new[] { "registered jobs as 1 by 1", "enqueued", "1 ready 1: a", "enqueued", "1 ready 1: b" }, Info(host));
        Assert.Equal(0, host.GetQueueSize("", "jobs"));

        // proxy_on_queue_ready runs on the root context, after the stream's callback returned, not inside it.
        int headers = host.Callbacks.ToList().FindIndex(c => c.Export == "proxy_on_request_headers");
        Assert.Equal(new[] { "proxy_on_request_headers", "proxy_on_queue_ready" }, host.Callbacks.Skip(headers).Take(2).Select(c => c.Export));
        Assert.Equal(1u, host.Callbacks.First(c => c.Export == "proxy_on_queue_ready").ContextId);
    }

    [Fact]
    public void A_second_registration_of_the_same_name_gets_the_id_and_the_first_root_keeps_the_queue()
    {
        using var host = new ProxyWasmHost(typeof(PluginsAndQueuesTests).Assembly, new HostOptions { RootId = "queue_consumer", PluginConfiguration = B("jobs") });
        host.StartPlugin();
        PluginContext second = host.AddPlugin(new PluginOptions { RootId = "queue_consumer", PluginConfiguration = B("jobs") });
        Assert.Equal("registered jobs as 1 by 2", Info(host)[^1]);
        Assert.Empty(second.RegisteredQueues);
        Assert.Equal(1u, host.SharedQueues[1].OwnerContextId);

        Assert.Equal(ProxyStatus.Ok, host.Enqueue("", "jobs", B("from another vm")));
        Assert.Equal("1 ready 1: from another vm", Info(host)[^1]);
    }

    [Fact]
    public void Messages_wait_in_the_queue_until_dequeued_and_an_empty_queue_reads_empty()
    {
        using var host = new ProxyWasmHost(typeof(PluginsAndQueuesTests).Assembly, new HostOptions { RootId = "queue_consumer", PluginConfiguration = B("other") });
        host.StartPlugin();
        uint foreign = host.RegisterQueue("elsewhere", "jobs");
        Assert.Equal(ProxyStatus.Ok, host.Enqueue("elsewhere", "jobs", B("x")));
        Assert.Equal(ProxyStatus.Ok, host.Enqueue("elsewhere", "jobs", B("y")));
        Assert.Equal(new[] { "x", "y" }, host.GetQueueContents("elsewhere", "jobs").Select(Encoding.UTF8.GetString));
        Assert.Equal(0u, host.SharedQueues[foreign].OwnerContextId);
        Assert.Equal(ProxyStatus.NotFound, host.Enqueue("elsewhere", "missing", B("z")));
        Assert.Null(host.GetQueueSize("elsewhere", "missing"));

        // The producer resolves ("", "jobs"), which nobody registered in this VM.
        HttpExchange exchange = host.Send(Enqueueing("lost"));
        Assert.Contains("enqueue failed", exchange.Logs.Select(l => l.Message));
    }

    [Fact]
    public void A_foreign_function_call_reads_its_arguments_from_call_data()
    {
        using var host = new ProxyWasmHost(typeof(PluginsAndQueuesTests).Assembly, new HostOptions { RootId = "queue_consumer", PluginConfiguration = B("jobs") });
        host.CallForeignFunction(7, B("some arguments"));
        Assert.Equal("function 7: some arguments", Info(host)[^1]);
        CallbackRecord call = host.Callbacks[^1];
        Assert.Equal(("proxy_on_foreign_function", 1u), (call.Export, call.ContextId));

        PluginContext second = host.AddPlugin(new PluginOptions { RootId = "queue_consumer", PluginConfiguration = B("more") });
        second.CallForeignFunction(0, Array.Empty<byte>());
        Assert.Equal("function 0: ", Info(host)[^1]);
        Assert.Equal(second.ContextId, host.Callbacks[^1].ContextId);
    }
}
