using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's dispatch_call_on_tick, in the in-process host: the 100 ms tick, one call to web_service per
/// tick, the per-plugin answer counter with its log line, the answer's headers and trailers logged, and the failure
/// paths (a failed call, a refused dispatch).</summary>
public sealed class DispatchCallOnTickTests
{
    private static readonly DateTimeOffset Noon = new(2025, 1, 29, 12, 0, 0, TimeSpan.Zero);

    private static ProxyWasmHost Host(DateTimeOffset? clock = null, params string[] clusters)
    {
        DateTimeOffset now = clock ?? Noon;
        return new(typeof(DispatchCallOnTick).Assembly, new HostOptions
        {
            RootId = "dispatch_call_on_tick",
            PluginConfiguration = "plugin1"u8.ToArray(),
            Clock = () => now,
            Clusters = clusters.Length == 0 ? null : clusters,
        });
    }

    private static HttpResponse Answer(params (string, string)[] headers) => new(new HeaderList(headers), Array.Empty<byte>());

    private static string[] Info(ProxyWasmHost host, int from = 0)
        => host.Logs.Skip(from).Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    [Fact]
    public void Plugin_start_sets_a_100_ms_tick_and_logs_it()
    {
        using ProxyWasmHost host = Host();

        Assert.True(host.StartPlugin());
        Assert.True(host.ConfigureResult);
        Assert.Equal(100u, host.TickPeriodMilliseconds);
        LogEntry entry = Assert.Single(host.Logs);
        Assert.Equal(new LogEntry(LogLevel.Info, "set tick period milliseconds: 100"), entry);
        Assert.Empty(host.HttpCalls);
    }

    [Fact]
    public void Each_tick_dispatches_one_GET_to_web_service_with_the_example_headers_and_a_5s_timeout()
    {
        using ProxyWasmHost host = Host();
        host.Tick();

        HttpCallRecord call = Assert.Single(host.PendingHttpCalls);
        Assert.Equal("web_service", call.Upstream);
        Assert.Equal(host.RootContextId, call.ContextId);
        Assert.Equal(5000u, call.TimeoutMilliseconds);
        (string Name, string Value)[] headers = call.Headers.Select(h => (h.NameText, h.ValueText)).ToArray();
        Assert.Equal(new[] { (":method", "GET"), (":authority", "some_authority"), ("accept", "*/*") }, headers[..3]);
        Assert.Equal(":path", headers[3].Name);
        Assert.Contains(headers[3].Value, new[] { "/ok", "/fail" });
        Assert.Equal(4, headers.Length);
        Assert.Empty(call.Body);
        Assert.Equal(0, call.Trailers.Count);
    }

    [Fact]
    public void Nine_ticks_each_answered_count_1_to_9_for_the_plugin_context()
    {
        // The Go unit test: after tick i the plugin context has made i calls; answering the call (no headers, body or
        // trailers) logs "called i for contextID=1". This host's callout ids only increase, so the newest call is the
        // one to answer (the Go emulator reuses id 0; see the spec's section X.7).
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        Assert.Equal(1u, host.RootContextId);

        for (int i = 1; i <= 9; i++)
        {
            int logs = host.Logs.Count;
            host.Tick();
            Assert.Equal(i, host.HttpCalls.Count(c => c.ContextId == 1));
            HttpCallRecord call = Assert.Single(host.PendingHttpCalls);
            Assert.Same(host.HttpCalls[^1], call);
            Assert.Equal(logs, host.Logs.Count);

            host.RespondToHttpCall(call.CalloutId, Answer());
            Assert.Equal(new[] { $"called {i} for contextID=1" }, Info(host, logs));
        }

        Assert.Empty(host.PendingHttpCalls);
        Assert.DoesNotContain(host.Logs, l => l.Level >= LogLevel.Warn);
    }

    [Fact]
    public void An_answer_logs_the_count_then_every_response_header_then_every_trailer_in_order()
    {
        using ProxyWasmHost host = Host();
        host.Tick();
        HttpCallRecord call = Assert.Single(host.PendingHttpCalls);
        int logs = host.Logs.Count;

        host.RespondToHttpCall(call.CalloutId, new HttpResponse(
            new HeaderList(new[] { (":status", "200"), ("content-type", "text/plain"), ("x-multi", "a"), ("x-multi", "b") }),
            "example body\n"u8.ToArray(),
            new HeaderList(new[] { ("grpc-status", "0"), ("x-checksum", "abc") })));

        Assert.Equal(new[]
        {
            "called 1 for contextID=1",
            "response header for the dispatched call: :status: 200",
            "response header for the dispatched call: content-type: text/plain",
            "response header for the dispatched call: x-multi: a",
            "response header for the dispatched call: x-multi: b",
            "response trailer for the dispatched call: grpc-status: 0",
            "response trailer for the dispatched call: x-checksum: abc",
        }, Info(host, logs));
        Assert.Equal(7, host.Logs.Count - logs);
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void Envoy_like_answers_ok_200_and_fail_503_are_both_logged_and_counted()
    {
        // envoy.yaml's web_service answers /ok with 200 "example body\n" and /fail with 503.
        using ProxyWasmHost host = Host();
        var statuses = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            host.Tick();
            HttpCallRecord call = Assert.Single(host.PendingHttpCalls);
            string status = call.Headers.Get(":path") == "/ok" ? "200" : "503";
            statuses.Add(status);
            host.RespondToHttpCall(call.CalloutId, new HttpResponse(new HeaderList(new[] { (":status", status) }), status == "200" ? "example body\n"u8.ToArray() : Array.Empty<byte>()));
        }

        Assert.Contains("200", statuses);
        Assert.Contains("503", statuses);
        Assert.Equal(statuses.Select(s => $"response header for the dispatched call: :status: {s}"),
            Info(host).Where(m => m.StartsWith("response header", StringComparison.Ordinal)));
        Assert.Equal("called 40 for contextID=1", Info(host).Last(m => m.StartsWith("called", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_path_is_ok_or_fail_at_random_with_both_about_as_often()
    {
        using ProxyWasmHost host = Host();
        for (int i = 0; i < 400; i++)
        {
            host.Tick();
        }

        string[] paths = host.HttpCalls.Select(c => c.Headers.Get(":path")!).ToArray();
        Assert.Equal(400, paths.Length);
        Assert.All(paths, p => Assert.Contains(p, new[] { "/ok", "/fail" }));
        int ok = paths.Count(p => p == "/ok");
        Assert.InRange(ok, 140, 260);

        // Not a fixed pattern either: both paths follow each of them.
        var pairs = paths.Zip(paths.Skip(1)).Select(p => p.First + p.Second).ToHashSet();
        Assert.Equal(4, pairs.Count);
    }

    [Fact]
    public void The_random_sequence_is_seeded_from_the_host_clock()
    {
        static string[] Paths(DateTimeOffset clock)
        {
            using ProxyWasmHost host = Host(clock);
            for (int i = 0; i < 64; i++)
            {
                host.Tick();
            }

            return host.HttpCalls.Select(c => c.Headers.Get(":path")!).ToArray();
        }

        Assert.Equal(Paths(Noon), Paths(Noon));
        Assert.NotEqual(Paths(Noon), Paths(Noon.AddMilliseconds(1)));
    }

    [Fact]
    public void Answers_arriving_late_and_out_of_order_are_counted_in_arrival_order()
    {
        using ProxyWasmHost host = Host();
        host.Tick();
        host.Tick();
        host.Tick();
        HttpCallRecord[] calls = host.PendingHttpCalls.ToArray();
        Assert.Equal(3, calls.Length);
        Assert.Equal(3, calls.Select(c => c.CalloutId).Distinct().Count());

        int logs = host.Logs.Count;
        host.RespondToHttpCall(calls[2].CalloutId, Answer((":status", "503")));
        host.RespondToHttpCall(calls[0].CalloutId, Answer((":status", "200")));
        host.RespondToHttpCall(calls[1].CalloutId, Answer((":status", "200")));

        Assert.Equal(new[]
        {
            "called 1 for contextID=1", "response header for the dispatched call: :status: 503",
            "called 2 for contextID=1", "response header for the dispatched call: :status: 200",
            "called 3 for contextID=1", "response header for the dispatched call: :status: 200",
        }, Info(host, logs));
    }

    [Fact]
    public void A_reset_call_is_counted_with_no_header_lines_and_a_timed_out_one_logs_Envoys_504()
    {
        using ProxyWasmHost host = Host();
        host.Tick();
        int logs = host.Logs.Count;
        host.FailHttpCall(Assert.Single(host.PendingHttpCalls).CalloutId, HttpCallFailure.Reset);
        Assert.Equal(new[] { "called 1 for contextID=1" }, Info(host, logs));

        host.Tick();
        logs = host.Logs.Count;
        host.FailHttpCall(Assert.Single(host.PendingHttpCalls).CalloutId, HttpCallFailure.Timeout);
        Assert.Equal(new[]
        {
            "called 2 for contextID=1",
            "response header for the dispatched call: :status: 504",
            "response header for the dispatched call: content-type: text/plain",
        }, Info(host, logs));
        Assert.DoesNotContain(host.Logs, l => l.Level >= LogLevel.Warn);
    }

    [Fact]
    public void A_refused_dispatch_logs_critical_with_the_Go_error_text_and_the_next_tick_tries_again()
    {
        using ProxyWasmHost host = Host(clusters: "some_other_cluster");
        host.Tick();
        host.Tick();

        Assert.Empty(host.HttpCalls);
        Assert.Equal(
            new[] { "dispatch httpcall failed: error status returned by host: bad argument", "dispatch httpcall failed: error status returned by host: bad argument" },
            host.Logs.Where(l => l.Level == LogLevel.Critical).Select(l => l.Message));
    }

    [Fact]
    public void Streams_pass_through_untouched()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        Assert.Equal("200", exchange.Response!.Headers.Get(":status"));
        Assert.Empty(exchange.HttpCalls);
        Assert.DoesNotContain(exchange.Callbacks, c => c.Export is "proxy_on_request_headers" or "proxy_on_response_headers");
    }

    [Fact]
    public void The_logged_contextID_is_the_plugins_root_context_id()
    {
        // Envoy installs the module twice (plugin1, plugin2) in one VM: two root contexts, ids 1 and 2, each with its
        // own counter. Here the second plugin's root context is numbered 2.
        using ProxyWasmHost host = new(typeof(DispatchCallOnTick).Assembly, new HostOptions
        {
            RootId = "dispatch_call_on_tick",
            PluginConfiguration = "plugin2"u8.ToArray(),
            FirstContextId = 2,
        });
        host.Tick();
        host.RespondToHttpCall(Assert.Single(host.PendingHttpCalls).CalloutId, Answer());
        host.Tick();
        host.RespondToHttpCall(Assert.Single(host.PendingHttpCalls).CalloutId, Answer());

        Assert.Equal(2u, host.RootContextId);
        Assert.Equal(new[] { "set tick period milliseconds: 100", "called 1 for contextID=2", "called 2 for contextID=2" }, Info(host));
    }
}
