using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The DispatchCallOnTick sample's native module in the C host: the 100 ms tick it sets, the call to web_service it
/// dispatches from each proxy_on_tick on the root context, the answer the host delivers on the root context after the
/// tick, and the plugin's count and header logs (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/DispatchCallOnTickTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class DispatchCallOnTickNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const int Info = 2;
    private const int Critical = 5;
    private const ulong Noon = 1_738_152_000_000_000_000; // 2025-01-29T12:00:00Z
    private const string Started = "set tick period milliseconds: 100";
    private const string Header = "response header for the dispatched call: ";

    [SkippableFact]
    public void Plugin_start_sets_a_100_ms_tick_and_logs_it()
    {
        HostRun run = Run(new HostInput { RootId = "dispatch_call_on_tick", Streams = 0 });

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal(["1", "100"], Assert.Single(run.OfKind("tick_period")).Fields);
        Assert.Equal([(Root, Info, Started)], run.Logs());
        Assert.Contains(("proxy_get_current_time_nanoseconds", 0), run.HostCalls());
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_tick");
        Assert.Empty(run.HttpCalls());
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void Each_tick_dispatches_one_GET_to_web_service_answered_on_the_root_context(int ticks)
    {
        HostRun run = Run(new HostInput { RootId = "dispatch_call_on_tick", Streams = 0, Ticks = ticks, ClockNanoseconds = Noon });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        string[] paths = ExpectedPaths(Noon, ticks);
        IReadOnlyList<HostHttpCall> calls = run.HttpCalls();
        Assert.Equal(Enumerable.Range(1, ticks).Select(i => (Root, (uint)(4 * i))), calls.Select(c => (c.Context, c.Token)));
        for (int i = 0; i < ticks; i++)
        {
            Assert.Equal("web_service", calls[i].Cluster);
            Assert.Equal(5000u, calls[i].TimeoutMilliseconds);
            Assert.Equal([(":method", "GET"), (":authority", "some_authority"), ("accept", "*/*"), (":path", paths[i])], calls[i].Headers);
            Assert.Equal("", calls[i].Body);
            Assert.Empty(calls[i].Trailers);
        }

        // Tick, its answer (the default :status 200, no body, no trailers), tick, its answer... all on the root context.
        var expected = Enumerable.Range(1, ticks).SelectMany(i => new[]
        {
            (Root, "proxy_on_tick", "1"), (Root, "proxy_on_http_call_response", $"1,{4 * i},1,0,0"),
        });
        Assert.Equal(expected, run.Calls().Where(c => c.Callback is "proxy_on_tick" or "proxy_on_http_call_response").Select(c => (c.Context, c.Callback, c.Arguments)));
        Assert.Equal(
            new[] { Started }.Concat(Enumerable.Range(1, ticks).SelectMany(i => new[] { $"called {i} for contextID=1", Header + ":status: 200" })),
            run.Logs().Select(l => l.Message));
        Assert.All(run.Logs(), l => Assert.Equal((Root, Info), (l.Context, l.Level)));
        Assert.Empty(run.PendingHttpCalls());
    }

    [SkippableFact]
    public void The_path_is_ok_or_fail_from_a_sequence_seeded_by_the_host_clock()
    {
        const int Ticks = 64;
        string[] Paths(ulong clock) =>
            Run(new HostInput { RootId = "dispatch_call_on_tick", Streams = 0, Ticks = Ticks, ClockNanoseconds = clock })
                .HttpCalls().Select(c => c.Headers.Single(h => h.Name == ":path").Value).ToArray();

        string[] noon = Paths(Noon);
        string[] later = Paths(Noon + 1_000_000);
        Assert.Equal(ExpectedPaths(Noon, Ticks), noon);
        Assert.Equal(ExpectedPaths(Noon + 1_000_000, Ticks), later);
        Assert.NotEqual(noon, later);
        Assert.Contains("/ok", noon);
        Assert.Contains("/fail", noon);
    }

    [SkippableFact]
    public void An_answer_logs_the_count_then_every_response_header_then_every_trailer_in_order()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "dispatch_call_on_tick",
            Streams = 0,
            Ticks = 1,
            CalloutResponseHeaders = [(":status", "200"), ("content-type", "text/plain"), ("x-multi", "a"), ("x-multi", "b")],
            CalloutResponseBody = "example body\n"u8.ToArray(),
            CalloutResponseTrailers = [("grpc-status", "0"), ("x-checksum", "abc")],
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("1,4,4,13,2", run.Calls().Single(c => c.Callback == "proxy_on_http_call_response").Arguments);
        Assert.Equal(
        [
            (Root, Info, Started),
            (Root, Info, "called 1 for contextID=1"),
            (Root, Info, Header + ":status: 200"),
            (Root, Info, Header + "content-type: text/plain"),
            (Root, Info, Header + "x-multi: a"),
            (Root, Info, Header + "x-multi: b"),
            (Root, Info, "response trailer for the dispatched call: grpc-status: 0"),
            (Root, Info, "response trailer for the dispatched call: x-checksum: abc"),
        ], run.Logs());
    }

    [SkippableTheory]
    [InlineData("reset", "1,4,0,0,0", new string[0])]
    [InlineData("timeout", "1,4,2,24,0", new[] { Header + ":status: 504", Header + "content-type: text/plain" })]
    public void A_failed_call_is_counted_too(string failure, string answer, string[] headerLogs)
    {
        HostRun run = Run(new HostInput { RootId = "dispatch_call_on_tick", Streams = 0, Ticks = 2, CalloutFailure = failure });

        // A reset call has no response: its header and trailer maps are BadArgument (as in Envoy), which the answer
        // hook takes as none. Every other host call succeeded.
        Assert.All(run.HostCalls(), call => Assert.True(
            call.Status == (failure == "reset" && call.Function == "proxy_get_header_map_pairs" ? 2 : 0), $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(4, run.HostCalls().Count(c => c.Function == "proxy_get_header_map_pairs")); // headers, trailers, twice
        Assert.Equal([answer, answer.Replace("1,4,", "1,8,")],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => c.Arguments));
        Assert.Equal(
            new[] { Started, "called 1 for contextID=1" }.Concat(headerLogs).Append("called 2 for contextID=1").Concat(headerLogs),
            run.Logs().Select(l => l.Message));
        Assert.All(run.Logs(), l => Assert.Equal(Info, l.Level));
    }

    [SkippableFact]
    public void A_refused_dispatch_logs_critical_with_the_Go_error_text_and_the_next_tick_tries_again()
    {
        HostRun run = Run(new HostInput { RootId = "dispatch_call_on_tick", Streams = 0, Ticks = 2, Clusters = ["some_other_cluster"] });

        Assert.Empty(run.HttpCalls());
        Assert.Equal([("proxy_http_call", 2), ("proxy_http_call", 2)], run.HostCalls().Where(c => c.Function == "proxy_http_call"));
        Assert.Equal(2, run.Calls().Count(c => c.Callback == "proxy_on_tick"));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_http_call_response");
        Assert.Equal(Enumerable.Repeat((Root, Critical, "dispatch httpcall failed: error status returned by host: bad argument"), 2),
            run.Logs().Where(l => l.Level == Critical));
    }

    [SkippableFact]
    public void Streams_pass_through_untouched_and_the_ticks_come_after_the_last_stream()
    {
        List<(string Name, string Value)> request = [(":authority", "example.com"), (":method", "GET"), (":path", "/"), ("user-agent", "curl/8")];
        HostRun run = Run(new HostInput
        {
            RootId = "dispatch_call_on_tick",
            Streams = 2,
            Ticks = 2,
            RequestHeaders = request,
            ResponseHeaders = [(":status", "200")],
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        foreach (uint stream in new uint[] { 2, 3 })
        {
            Assert.Equal(request, run.Upstream(stream));
            Assert.Equal([(":status", "200")], run.Downstream(stream));
        }

        var calls = run.Calls().ToList();
        Assert.DoesNotContain(calls, c => c.Callback is "proxy_on_request_headers" or "proxy_on_response_headers");
        int lastStream = calls.FindLastIndex(c => c.Context == 3);
        Assert.Equal("proxy_on_delete", calls[lastStream].Callback);
        Assert.Equal(["proxy_on_tick", "proxy_on_http_call_response", "proxy_on_tick", "proxy_on_http_call_response", "proxy_on_delete"],
            calls.Skip(lastStream + 1).Select(c => c.Callback));
        Assert.Equal([Root, Root], run.HttpCalls().Select(c => c.Context));
    }

    /// <summary>The sample's paths for <paramref name="ticks"/> ticks with the host clock at <paramref name="clock"/>:
    /// its xorshift64 generator seeded from the clock and the root context id 1 (DispatchCallOnTickPlugin.Seed,
    /// NextByte), an even byte /ok, an odd one /fail.</summary>
    private static string[] ExpectedPaths(ulong clock, int ticks)
    {
        ulong z = clock ^ (1u * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        ulong x = z == 0 ? 0x9E3779B97F4A7C15UL : z;
        var paths = new string[ticks];
        for (int i = 0; i < ticks; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            paths[i] = (byte)(x >> 56) % 2 == 0 ? "/ok" : "/fail";
        }

        return paths;
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("DispatchCallOnTick").Library, input);
}
