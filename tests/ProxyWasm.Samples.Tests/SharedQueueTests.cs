using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's shared_queue (receiver and sender in one module) in the in-process host: three receiver root
/// contexts, the HTTP sender and the TCP sender in one VM whose id is <c>receiver</c>, so the sender resolves the
/// queues in VM id <c>receiver</c> as the Go sender does.</summary>
public sealed class SharedQueueTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Root contexts 1-3: the receivers; 4: the HTTP sender; 5: the TCP sender.</summary>
    private static ProxyWasmHost Host(out PluginContext httpSender, out PluginContext tcpSender)
    {
        var host = new ProxyWasmHost(typeof(HttpSender).Assembly, new HostOptions { RootId = "receiver", VmId = "receiver", PluginConfiguration = B("http_request_headers") });
        Assert.True(host.StartPlugin());
        Assert.True(host.AddPlugin(new PluginOptions { RootId = "receiver", PluginConfiguration = B("http_response_headers") }).ConfigureResult);
        Assert.True(host.AddPlugin(new PluginOptions { RootId = "receiver", PluginConfiguration = B("tcp_data_hashes") }).ConfigureResult);
        httpSender = host.AddPlugin(new PluginOptions { RootId = "sender", PluginConfiguration = B("http") });
        tcpSender = host.AddPlugin(new PluginOptions { RootId = "sender_tcp", PluginConfiguration = B("tcp") });
        return host;
    }

    private static string[] Info(IEnumerable<LogEntry> logs) => logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    private static string Fnv1a128Hex(byte[] data)
    {
        // An independent oracle: the same FNV-1a 128 in BigInteger arithmetic.
        var mask = (System.Numerics.BigInteger.One << 128) - 1;
        var hash = System.Numerics.BigInteger.Parse("06c62272e07bb014262b821756295c58d", System.Globalization.NumberStyles.HexNumber);
        var prime = (System.Numerics.BigInteger.One << 88) + 0x13b;
        foreach (byte b in data)
        {
            hash = ((hash ^ b) * prime) & mask;
        }

        return hash.ToString("x33", System.Globalization.CultureInfo.InvariantCulture)[^32..];
    }

    [Fact]
    public void The_plugins_register_and_configure()
    {
        using ProxyWasmHost host = Host(out _, out _);
        Assert.Equal(
            new[]
            {
                "queue \"http_request_headers\" registered as queueID=1 by contextID=1",
                "queue \"http_response_headers\" registered as queueID=2 by contextID=2",
                "queue \"tcp_data_hashes\" registered as queueID=3 by contextID=3",
                "contextID=4 is configured for http",
                "contextID=5 is configured for tcp",
            },
            Info(host.Logs));
        Assert.Equal(new[] { 1u, 2u, 3u }, host.SharedQueues.Values.Select(q => q.OwnerContextId));
        Assert.All(host.SharedQueues.Values, q => Assert.Equal("receiver", q.VmId));
    }

    [Fact]
    public void Request_and_response_headers_are_enqueued_as_json_and_dequeued_by_their_receivers()
    {
        using ProxyWasmHost host = Host(out PluginContext sender, out _);
        var request = new HttpRequest(new HeaderList(new[] { (":method", "GET"), (":path", "/") }));
        HttpExchange exchange = sender.Send(request, new HttpResponse(new HeaderList(new[] { (":status", "200"), ("server", "envoy") }), Array.Empty<byte>()));
        uint stream = exchange.Callbacks[0].ContextId;
        Assert.Equal(
            new[]
            {
                "enqueued data: {\"key\": \":method\",\"value\": \"GET\"}",
                "enqueued data: {\"key\": \":path\",\"value\": \"/\"}",
                "(contextID=1) dequeued data from http_request_headers(queueID=1): {\"key\": \":method\",\"value\": \"GET\"}",
                "(contextID=1) dequeued data from http_request_headers(queueID=1): {\"key\": \":path\",\"value\": \"/\"}",
                $"(contextID={stream}) enqueued data: {{\"key\": \":status\",\"value\": \"200\"}}",
                $"(contextID={stream}) enqueued data: {{\"key\": \"server\",\"value\": \"envoy\"}}",
                "(contextID=2) dequeued data from http_response_headers(queueID=2): {\"key\": \":status\",\"value\": \"200\"}",
                "(contextID=2) dequeued data from http_response_headers(queueID=2): {\"key\": \"server\",\"value\": \"envoy\"}",
            },
            Info(exchange.Logs));
        Assert.All(host.SharedQueues.Values, q => Assert.Empty(q.Messages));
        Assert.NotNull(exchange.Upstream);
        Assert.Equal("200", exchange.Response!.Headers.Get(":status"));
    }

    [Fact]
    public void Header_values_are_not_escaped()
    {
        using ProxyWasmHost host = Host(out PluginContext sender, out _);
        HttpExchange exchange = sender.Send(new HttpRequest(new HeaderList(new[] { ("x-quote", "a\"b\\c") })));
        Assert.Contains("enqueued data: {\"key\": \"x-quote\",\"value\": \"a\"b\\c\"}", Info(exchange.Logs));
    }

    [Fact]
    public void Upstream_chunks_are_hashed_with_fnv1a_128_and_downstream_data_is_not()
    {
        using ProxyWasmHost host = Host(out _, out PluginContext tcp);
        ConnectionRun run = tcp.RunConnection(new[] { B("GET / HTTP/1.1\r\n\r\n") }, new[] { B("a"), B("hello upstream") });
        Assert.Equal("d228cb696f1a8caf78912b704e4a8964", Fnv1a128Hex(B("a")));
        Assert.Equal("fdf42b90fa6ac0180ecfe425335743dc", Fnv1a128Hex(B("hello upstream")));
        Assert.Equal(
            new[]
            {
                $"(contextID={run.ContextId}) enqueued data: d228cb696f1a8caf78912b704e4a8964",
                "(contextID=3) dequeued data from tcp_data_hashes(queueID=3): d228cb696f1a8caf78912b704e4a8964",
                $"(contextID={run.ContextId}) enqueued data: fdf42b90fa6ac0180ecfe425335743dc",
                "(contextID=3) dequeued data from tcp_data_hashes(queueID=3): fdf42b90fa6ac0180ecfe425335743dc",
            },
            Info(run.Logs));
        Assert.Equal("ahello upstream", run.SentDownstreamText);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0xff, 0xfe, 0x00, 0x10 })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })]
    public void The_hash_matches_an_independent_implementation(byte[] chunk)
    {
        using ProxyWasmHost host = Host(out _, out PluginContext tcp);
        TcpConnectionContext connection = tcp.CreateConnection();
        connection.OnUpstreamData(chunk);
        Assert.Contains($"(contextID={connection.ContextId}) enqueued data: {Fnv1a128Hex(chunk)}", host.Logs.Select(l => l.Message));
    }

    [Fact]
    public void A_sender_outside_vm_receiver_cannot_resolve_its_queues()
    {
        // The VM id is not "receiver": the queues are registered as ("other", name), so the sender's resolves fail.
        using var host = new ProxyWasmHost(typeof(HttpSender).Assembly, new HostOptions { RootId = "receiver", VmId = "other", PluginConfiguration = B("http_request_headers") });
        host.StartPlugin();
        PluginContext sender = host.AddPlugin(new PluginOptions { RootId = "sender", PluginConfiguration = B("http") });
        HttpExchange exchange = sender.Send(new HttpRequest(new HeaderList(new[] { (":method", "GET") })));
        Assert.Equal(
            new[]
            {
                "[Critical] error resolving queue id: error status returned by host: not found",
                "[Critical] error resolving queue id: error status returned by host: not found",
                "[Critical] error queueing: error status returned by host: not found",
                "[Critical] error queueing: error status returned by host: not found",
            },
            exchange.Logs.Select(l => l.ToString()));
        Assert.Equal(0, host.GetQueueSize("other", "http_request_headers"));
    }

    [Fact]
    public void A_message_from_another_vm_is_dequeued_and_an_empty_queue_is_silent()
    {
        using ProxyWasmHost host = Host(out _, out _);
        int before = host.Logs.Count;
        Assert.Equal(ProxyStatus.Ok, host.Enqueue("receiver", "tcp_data_hashes", B("external")));
        Assert.Equal(new[] { "(contextID=3) dequeued data from tcp_data_hashes(queueID=3): external" }, Info(host.Logs.Skip(before)));
        Assert.Equal(0, host.GetQueueSize("receiver", "tcp_data_hashes"));
        Assert.Equal(ProxyStatus.NotFound, host.Enqueue("sender", "tcp_data_hashes", B("wrong vm")));
    }

    [Fact]
    public void Senders_with_another_configuration_do_nothing()
    {
        using ProxyWasmHost host = Host(out _, out _);
        PluginContext httpAsTcp = host.AddPlugin(new PluginOptions { RootId = "sender", PluginConfiguration = B("tcp") });
        PluginContext tcpAsHttp = host.AddPlugin(new PluginOptions { RootId = "sender_tcp", PluginConfiguration = B("http") });
        int before = host.Logs.Count;
        httpAsTcp.Send(new HttpRequest(new HeaderList(new[] { (":method", "GET") })));
        tcpAsHttp.RunConnection(new[] { B("x") }, new[] { B("y") });
        Assert.Empty(host.Logs.Skip(before));
    }

    [Fact]
    public void An_empty_configuration_is_rejected()
    {
        using var host = new ProxyWasmHost(typeof(HttpSender).Assembly, new HostOptions { RootId = "receiver", VmId = "receiver" });
        Assert.False(host.StartPlugin());
        PluginContext sender = host.AddPlugin(new PluginOptions { RootId = "sender" });
        Assert.False(sender.ConfigureResult);
        Assert.Equal(
            new[]
            {
                "[Critical] failed to get plugin config: error status returned by host: not found",
                "[Critical] failed to get plugin config: error status returned by host: not found",
            },
            host.Logs.Select(l => l.ToString()));
    }
}
