using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The PostponeRequests sample's native module in the C host: the 1000 ms tick it sets, every request paused at its
/// headers, and the tick the host delivers while the request is paused, in which the plugin makes the stream the
/// effective context and resumes it, so the request goes upstream; without a tick it stays stopped (the in-process
/// counterpart: tests/ProxyWasm.Samples.Tests/PostponeRequestsTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class PostponeRequestsNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const int Info = 2;

    private static readonly List<(string Name, string Value)> Request =
        [(":authority", "example.com"), (":method", "GET"), (":path", "/anything"), ("user-agent", "curl/8")];

    private static readonly List<(string Name, string Value)> Response = [(":status", "200"), ("content-type", "text/plain")];

    [SkippableFact]
    public void Plugin_start_sets_a_1000_ms_tick()
    {
        HostRun run = Run(new HostInput { RootId = "postpone_requests", Streams = 0 });

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal(["1", "1000"], Assert.Single(run.OfKind("tick_period")).Fields);
        Assert.Equal([("proxy_set_tick_period_milliseconds", 0)], run.HostCalls());
        Assert.Empty(run.Logs());
    }

    [SkippableFact]
    public void A_request_is_paused_and_the_next_tick_resumes_it_upstream()
    {
        HostRun run = Run(new HostInput { RootId = "postpone_requests", Ticks = 1, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Contains(("proxy_set_effective_context", 0), run.HostCalls());
        Assert.Contains(("proxy_continue_stream", 0), run.HostCalls());
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal([(Stream, Info, "postpone request with contextID=2"), (Root, Info, "resume request with contextID=2")], run.Logs());

        // The request headers pause, the tick (on the root context) resumes the request while it runs, then the request
        // goes upstream unchanged and the response downstream untouched.
        var records = run.Records.ToList();
        int paused = records.FindIndex(r => r.Kind == "call" && r.Fields[1] == "proxy_on_request_headers");
        int resumed = records.FindIndex(r => r.Kind == "request_resumed");
        int tick = records.FindIndex(r => r.Kind == "call" && r.Fields[1] == "proxy_on_tick");
        int upstream = records.FindIndex(r => r.Kind == "upstream_header");
        Assert.True(paused < resumed && resumed < tick && tick < upstream, run.Dump());
        Assert.Equal(["2"], records[resumed].Fields);
        Assert.Equal((Root, "1"), run.Calls().Where(c => c.Callback == "proxy_on_tick").Select(c => (c.Context, c.Arguments)).Single());
        Assert.Equal(Request, run.Upstream(Stream));
        Assert.Equal(Response, run.Downstream(Stream));
        Assert.Empty(run.OfKind("request_stopped"));
        Assert.Empty(run.OfKind("response_resumed"));
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal("proxy_on_delete", run.Calls().Last(c => c.Context == Stream).Callback);
    }

    [SkippableFact]
    public void Without_a_tick_the_request_stays_stopped()
    {
        HostRun run = Run(new HostInput { RootId = "postpone_requests", RequestHeaders = Request, ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal(["2", "1"], Assert.Single(run.OfKind("request_stopped")).Fields);
        Assert.Equal([(Stream, Info, "postpone request with contextID=2")], run.Logs());
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_tick");
        Assert.DoesNotContain(run.HostCalls(), c => c.Function is "proxy_set_effective_context" or "proxy_continue_stream");
        Assert.Empty(run.OfKind("request_resumed"));
        Assert.Empty(run.Upstream(Stream));
        Assert.Empty(run.Downstream(Stream));
    }

    [SkippableFact]
    public void Each_paused_request_is_resumed_by_the_next_tick_in_arrival_order()
    {
        HostRun run = Run(new HostInput { RootId = "postpone_requests", Streams = 3, Ticks = 3, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        uint[] streams = [2, 3, 4];
        Assert.Equal(streams.SelectMany(id => new[] { (id, Info, $"postpone request with contextID={id}"), (Root, Info, $"resume request with contextID={id}") }),
            run.Logs());
        Assert.Equal(["2", "3", "4"], run.OfKind("request_resumed").Select(r => r.Fields[0]));
        Assert.Equal(3, run.Calls().Count(c => c.Callback == "proxy_on_tick"));
        foreach (uint stream in streams)
        {
            Assert.Equal(Request, run.Upstream(stream));
            Assert.Equal(Response, run.Downstream(stream));
        }

        Assert.Empty(run.OfKind("request_stopped"));
    }

    [SkippableFact]
    public void Requests_beyond_the_ticks_stay_stopped()
    {
        HostRun run = Run(new HostInput { RootId = "postpone_requests", Streams = 3, Ticks = 2, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(["2", "3"], run.OfKind("request_resumed").Select(r => r.Fields[0]));
        Assert.Equal(["4", "1"], Assert.Single(run.OfKind("request_stopped")).Fields);
        Assert.Equal(Request, run.Upstream(2));
        Assert.Equal(Request, run.Upstream(3));
        Assert.Empty(run.Upstream(4));
        Assert.Equal((4u, Info, "postpone request with contextID=4"), run.Logs()[^1]);
        Assert.Equal(2, run.Calls().Count(c => c.Callback == "proxy_on_tick"));
    }

    [SkippableFact]
    public void Ticks_left_after_the_last_stream_find_the_queue_empty_and_log_nothing()
    {
        HostRun run = Run(new HostInput { RootId = "postpone_requests", Ticks = 4, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        var calls = run.Calls().ToList();
        int streamDeleted = calls.FindIndex(c => c.Context == Stream && c.Callback == "proxy_on_delete");
        Assert.Equal(1, calls.Take(streamDeleted).Count(c => c.Callback == "proxy_on_tick"));
        Assert.Equal(["proxy_on_tick", "proxy_on_tick", "proxy_on_tick", "proxy_on_delete"], calls.Skip(streamDeleted + 1).Select(c => c.Callback));
        Assert.Equal(2, run.Logs().Count);
        Assert.Equal(["2"], Assert.Single(run.OfKind("request_resumed")).Fields);
        Assert.Equal(Request, run.Upstream(Stream));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("PostponeRequests").Library, input);
}
