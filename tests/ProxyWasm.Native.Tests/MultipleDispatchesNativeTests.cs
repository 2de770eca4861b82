using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The MultipleDispatches sample's native module in the C host: the ten calls to httpbin it dispatches from
/// proxy_on_response_headers, the answers the host delivers on the root context while the response is paused, the
/// countdown, and the response resumed in the tenth answer going downstream with <c>total-dispatched: 10</c> (the
/// in-process counterpart: tests/ProxyWasm.Samples.Tests/MultipleDispatchesTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class MultipleDispatchesNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const int Info = 2;
    private const int Critical = 5;

    private static readonly List<(string Name, string Value)> Request =
        [(":authority", "example.com"), (":method", "GET"), (":path", "/anything"), ("user-agent", "curl/8")];

    private static readonly List<(string Name, string Value)> Response = [(":status", "200"), ("content-type", "application/json")];

    private static readonly string[] Countdown =
    [
        "pending dispatched requests: 9", "pending dispatched requests: 8", "pending dispatched requests: 7",
        "pending dispatched requests: 6", "pending dispatched requests: 5", "pending dispatched requests: 4",
        "pending dispatched requests: 3", "pending dispatched requests: 2", "pending dispatched requests: 1",
        "response resumed after processed 10 dispatched request",
    ];

    [SkippableFact]
    public void Response_headers_dispatch_ten_GET_slash_calls_to_httpbin_and_the_tenth_answer_resumes_the_response()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "multiple_dispatches",
            Clusters = ["httpbin"],
            RequestHeaders = Request,
            ResponseHeaders = Response,
        });

        // Every host call succeeded: ten dispatches, the switches to the stream, the logs, the header, the resume.
        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(10, run.HostCalls().Count(c => c.Function == "proxy_http_call"));
        Assert.Contains(("proxy_set_effective_context", 0), run.HostCalls());
        Assert.Contains(("proxy_add_header_map_value", 0), run.HostCalls());
        Assert.Contains(("proxy_continue_stream", 0), run.HostCalls());

        // The request passes untouched (no request hook); the response hook makes the calls and pauses.
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_request_headers");
        Assert.Equal(Request, run.Upstream(Stream));
        Assert.Equal("1", run.Result(Stream, "proxy_on_response_headers"));
        IReadOnlyList<HostHttpCall> calls = run.HttpCalls();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (Stream, (uint)(4 * i))), calls.Select(c => (c.Context, c.Token)));
        Assert.All(calls, call =>
        {
            Assert.Equal("httpbin", call.Cluster);
            Assert.Equal(50_000u, call.TimeoutMilliseconds);
            Assert.Equal([(":path", "/"), (":method", "GET"), (":authority", "")], call.Headers);
            Assert.Equal("", call.Body);
            Assert.Empty(call.Trailers);
        });

        // Each answer comes on the root context (the default :status 200), in dispatch order; the glue routes it to the
        // stream, which logs the countdown on its own context.
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (Root, $"1,{4 * i},1,0,0")),
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => (c.Context, c.Arguments)));
        Assert.Equal(Countdown.Select(m => (Stream, Info, m)), run.Logs());

        // The tenth answer resumed the response (the record comes while that answer runs), which then goes downstream
        // with the added header.
        var records = run.Records.ToList();
        int resumed = records.FindIndex(r => r.Kind == "response_resumed");
        var answers = records.Select((r, i) => (r, i)).Where(p => p.r.Kind == "call" && p.r.Fields[1] == "proxy_on_http_call_response").Select(p => p.i).ToList();
        Assert.Equal(["2"], records[resumed].Fields);
        Assert.InRange(resumed, answers[8] + 1, answers[9] - 1);
        Assert.Single(run.OfKind("response_resumed"));
        Assert.Empty(run.OfKind("request_resumed"));
        Assert.Empty(run.OfKind("response_stopped"));
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal([.. Response, ("total-dispatched", "10")], run.Downstream(Stream));
        Assert.Empty(run.PendingHttpCalls());
    }

    public static IEnumerable<object[]> Answers() =>
    [
        ["reset", "0,0,0"],
        ["timeout", "2,24,0"],
        ["ok", "2,2,1"],
    ];

    [SkippableTheory]
    [MemberData(nameof(Answers))]
    public void Failed_calls_and_answers_with_data_count_the_same(string answer, string sizes)
    {
        HostRun run = Run(new HostInput
        {
            RootId = "multiple_dispatches",
            RequestHeaders = Request,
            ResponseHeaders = Response,
            CalloutFailure = answer == "ok" ? null : answer,
            CalloutResponseHeaders = answer == "ok" ? [(":status", "200"), ("content-type", "text/plain")] : [],
            CalloutResponseBody = answer == "ok" ? "ok"u8.ToArray() : null,
            CalloutResponseTrailers = answer == "ok" ? [("x-trailer", "1")] : [],
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"1,{4 * i},{sizes}"),
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => c.Arguments));
        Assert.Equal(Countdown, run.Logs().Select(l => l.Message));
        Assert.Equal([.. Response, ("total-dispatched", "10")], run.Downstream(Stream));
    }

    [SkippableFact]
    public void Each_of_three_streams_counts_its_own_ten_answers()
    {
        HostRun run = Run(new HostInput { RootId = "multiple_dispatches", Streams = 3, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        IReadOnlyList<HostHttpCall> calls = run.HttpCalls();
        Assert.Equal(30, calls.Count);
        for (uint stream = Stream; stream < Stream + 3; stream++)
        {
            uint first = 40 * (stream - Stream) + 4;
            Assert.Equal(Enumerable.Range(0, 10).Select(i => first + (uint)(4 * i)), calls.Where(c => c.Context == stream).Select(c => c.Token));
            Assert.Equal(Countdown, run.Logs().Where(l => l.Context == stream).Select(l => l.Message));
            Assert.Equal(Request, run.Upstream(stream));
            Assert.Equal([.. Response, ("total-dispatched", "10")], run.Downstream(stream));
        }

        Assert.Equal(["2", "3", "4"], run.OfKind("response_resumed").Select(r => r.Fields[0]));
        Assert.Equal(30, run.Calls().Count(c => c.Callback == "proxy_on_http_call_response" && c.Context == Root));
        Assert.Empty(run.PendingHttpCalls());
    }

    [SkippableFact]
    public void When_no_call_can_be_dispatched_each_failure_is_logged_and_the_response_is_not_left_paused()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "multiple_dispatches",
            Clusters = ["some_other_cluster"],
            RequestHeaders = Request,
            ResponseHeaders = Response,
        });

        Assert.Equal(Enumerable.Repeat(("proxy_http_call", 2), 10), run.HostCalls().Where(c => c.Function == "proxy_http_call"));
        Assert.Empty(run.HttpCalls());
        Assert.Equal(Enumerable.Repeat((Stream, Critical, "dispatch httpcall failed: error status returned by host: bad argument"), 10), run.Logs());
        Assert.Equal("0", run.Result(Stream, "proxy_on_response_headers"));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_http_call_response");
        Assert.Empty(run.OfKind("response_resumed"));
        Assert.Equal(Response, run.Downstream(Stream));
    }

    [SkippableFact]
    public void A_module_without_proxy_on_tick_gets_no_ticks()
    {
        HostRun run = Run(new HostInput { RootId = "multiple_dispatches", Ticks = 3, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.DoesNotContain(run.OfKind("module_export"), r => r.Fields[0] == "proxy_on_tick");
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_tick");
        Assert.Equal(Countdown, run.Logs().Select(l => l.Message));
        Assert.Equal([.. Response, ("total-dispatched", "10")], run.Downstream(Stream));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("MultipleDispatches").Library, input);
}
