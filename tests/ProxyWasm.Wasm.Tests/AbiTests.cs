using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>ABI-level behaviour of C modules through the same host API as an assembly: bodies, a network filter, the
/// timer, configuration buffers and properties.</summary>
public sealed class AbiTests
{
    [SkippableFact]
    public void A_buffered_request_body_is_rewritten_at_its_end_and_the_response_body_is_wrapped()
    {
        using ProxyWasmHost host = TestModules.Host("body");
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(Requests.Curl(), endOfStream: false));

        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody("hello "u8.ToArray(), endOfStream: false));
        Assert.Equal(FilterDataStatus.Continue, stream.OnRequestBody("world"u8.ToArray(), endOfStream: true));
        Assert.Equal("HELLO WORLD", Encoding.UTF8.GetString(stream.RequestBody));

        HttpExchange exchange = host.Send(new HttpRequest(Requests.Curl(), "abc"u8.ToArray()), new HttpResponse(new HeaderList(new[] { (":status", "200") }), "payload"u8.ToArray()));
        Assert.Equal("ABC", Encoding.UTF8.GetString(exchange.Upstream!.Body));
        Assert.Equal("[payload]", exchange.Response!.BodyText);
    }

    [SkippableFact]
    public void An_http_callout_pauses_the_request_until_its_answer_resumes_it()
    {
        using ProxyWasmHost host = TestModules.Host("callout");
        HttpExchange exchange = host.Send(Requests.Get(), callouts: _ => HttpCallAnswer.With(200, "granted"u8.ToArray()));

        HttpCallRecord call = Assert.Single(exchange.HttpCalls);
        Assert.Equal("auth_cluster", call.Upstream);
        Assert.Equal([":method: GET", ":path: /auth", ":authority: auth"], Requests.Lines(call.Headers));
        Assert.Equal(1000u, call.TimeoutMilliseconds);
        Assert.Equal((uint)FilterHeadersStatus.StopIteration, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Equal("granted", exchange.Upstream!.Headers.Get("x-auth"));
        Assert.Contains(host.Callbacks, c => c.Export == "proxy_on_http_call_response");
        Assert.Empty(exchange.Logs);
    }

    [SkippableFact]
    public void A_tcp_filter_rewrites_both_directions_and_sees_the_close()
    {
        using ProxyWasmHost host = TestModules.Host("tcp");
        ConnectionRun run = host.RunConnection(["hello "u8.ToArray(), "tcp"u8.ToArray()], ["pong"u8.ToArray()]);

        Assert.Equal(FilterStatus.Continue, run.NewConnectionStatus);
        Assert.Equal("HELLO TCP", run.SentUpstreamText);
        Assert.Equal("> pong", run.SentDownstreamText);
        Assert.Equal(
            [
                $"tcp: new connection {run.ContextId}", "tcp: downstream 6 bytes", "tcp: upstream 4 bytes", "tcp: downstream 3 bytes",
                $"tcp: downstream closed {run.ContextId} by peer type {(int)PeerType.Remote}",
            ],
            run.Logs.Select(l => l.Message));
        Assert.Equal(["proxy_on_context_create", "proxy_on_new_connection", "proxy_on_downstream_data", "proxy_on_upstream_data", "proxy_on_downstream_data", "proxy_on_downstream_connection_close"],
            run.Callbacks.Select(c => c.Export).Where(e => e != "proxy_on_done" && e != "proxy_on_log" && e != "proxy_on_delete"));
    }

    [SkippableFact]
    public void After_a_trap_later_connections_are_closed_fail_closed()
    {
        using ProxyWasmHost host = TestModules.Host("tcp");
        host.RunConnection(["trap"u8.ToArray()]);
        Assert.Equal("proxy_on_downstream_data", host.VmFailure?.Function);

        ConnectionRun later = host.RunConnection(["hello"u8.ToArray()]);

        Assert.Equal(StreamType.Downstream, later.ClosedByModule);
        Assert.Equal(FilterStatus.StopIteration, later.NewConnectionStatus);
        Assert.Empty(later.SentUpstream);
    }

    [SkippableFact]
    public void After_a_trap_later_connections_pass_unfiltered_fail_open()
    {
        using ProxyWasmHost host = TestModules.Host("tcp", new HostOptions { FailOpen = true });
        host.RunConnection(["trap"u8.ToArray()]);
        Assert.NotNull(host.VmFailure);

        ConnectionRun later = host.RunConnection(["hello"u8.ToArray()], ["pong"u8.ToArray()]);

        Assert.Null(later.ClosedByModule);
        Assert.Equal("hello", later.SentUpstreamText);
        Assert.Equal("pong", later.SentDownstreamText);
    }

    [SkippableFact]
    public void The_vm_configuration_sets_the_tick_period_and_each_tick_runs_the_module()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using ProxyWasmHost host = TestModules.Host("tick", new HostOptions { VmConfiguration = "250"u8.ToArray(), Clock = () => now });

        Assert.True(host.StartPlugin());
        Assert.True(host.VmStartResult);
        Assert.True(host.ConfigureResult);
        Assert.Equal(250u, host.TickPeriodMilliseconds);
        host.Tick();
        host.Tick();

        Assert.Equal([$"tick 1 at {now.ToUnixTimeSeconds()} s", $"tick 2 at {now.ToUnixTimeSeconds()} s"], host.Logs.Select(l => l.Message));
        Assert.Equal(2, host.Callbacks.Count(c => c.Export == "proxy_on_tick" && c.ContextId == host.RootContextId));
    }

    [SkippableFact]
    public void Without_vm_configuration_the_vm_start_fails()
    {
        using ProxyWasmHost host = TestModules.Host("tick");

        Assert.False(host.StartPlugin());
        Assert.False(host.VmStartResult);
        Assert.Equal([new LogEntry(LogLevel.Error, "tick: no VM configuration")], host.Logs);
    }

    [SkippableFact]
    public void Properties_come_from_the_stream_the_plugin_and_the_test()
    {
        var options = new HostOptions
        {
            RootId = "props_root",
            Properties = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["custom\0value"] = "from the test"u8.ToArray() },
        };
        using ProxyWasmHost host = TestModules.Host("properties", options);
        HttpExchange exchange = host.Send(Requests.Get());

        Assert.Equal("/get", exchange.Upstream!.Headers.Get("x-path"));
        Assert.Equal("props_root", exchange.Upstream.Headers.Get("x-root-id"));
        Assert.Equal("from the test", exchange.Upstream.Headers.Get("x-custom"));
        Assert.Equal([new LogEntry(LogLevel.Info, $"properties: missing={(int)ProxyStatus.NotFound}")], exchange.Logs);
    }
}
