using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The HttpAuthRandom sample's native module in the C host: the callout it dispatches from proxy_on_request_headers,
/// the answer the host delivers on the root context while the stream is paused, and what the filter does with it
/// (the in-process counterpart: tests/ProxyWasm.Samples.Tests/HttpAuthRandomTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class HttpAuthRandomNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const string Forbidden = "Access forbidden.\n";

    private static readonly List<(string Name, string Value)> Request =
        [(":authority", "example.com"), (":method", "GET"), (":path", "/anything"), ("user-agent", "curl/8")];

    [SkippableTheory]
    [InlineData((byte)0)]
    [InlineData((byte)2)]
    [InlineData((byte)254)]
    public void An_even_first_byte_grants_access_and_sends_the_request_upstream(byte value)
    {
        HostRun run = Run(new HostInput
        {
            RootId = "http_auth_random",
            Clusters = ["httpbin"],
            RequestHeaders = Request,
            ResponseHeaders = [(":status", "200"), ("content-type", "application/json")],
            CalloutResponseHeaders = [(":status", "200"), ("content-type", "application/octet-stream")],
            CalloutResponseBody = [value],
        });

        // Every host call succeeded: the dispatch, the switch to the stream, the body read, the log, the resume.
        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Contains(("proxy_set_effective_context", 0), run.HostCalls());
        Assert.Contains(("proxy_continue_stream", 0), run.HostCalls());

        // The hook paused the request; the answer came on the root context with 2 headers, 1 body byte, no trailers.
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal([(Root, "proxy_on_http_call_response", "1,4,2,1,0")],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => (c.Context, c.Callback, c.Arguments)));
        Assert.Contains((Stream, 2, "Access granted."), run.Logs());
        Assert.DoesNotContain(run.Logs(), l => l.Message == "Access forbidden.");

        // The resumed request goes upstream unchanged, and the response carries Powered-By.
        Assert.Single(run.OfKind("request_resumed"));
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal(Request, run.Upstream(Stream));
        Assert.Equal([(":status", "200"), ("content-type", "application/json"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
        Assert.Empty(run.PendingHttpCalls());
    }

    [SkippableFact]
    public void Each_stream_dispatches_GET_bytes_1_to_httpbin_with_a_1s_timeout()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "http_auth_random",
            Streams = 3,
            RequestHeaders = Request,
            ResponseHeaders = [(":status", "200")],
            CalloutResponseBody = [8],
        });

        IReadOnlyList<HostHttpCall> calls = run.HttpCalls();
        Assert.Equal([(Stream, 4u), (Stream + 1, 8u), (Stream + 2, 12u)], calls.Select(c => (c.Context, c.Token)));
        Assert.All(calls, call =>
        {
            Assert.Equal("httpbin", call.Cluster);
            Assert.Equal(1000u, call.TimeoutMilliseconds);
            Assert.Equal([(":method", "GET"), (":path", "/bytes/1"), (":authority", "httpbin.org")], call.Headers);
            Assert.Equal("", call.Body);
            Assert.Empty(call.Trailers);
        });

        // Each answer reaches the stream that made the call, and each request goes upstream.
        Assert.Equal(["1,4,1,1,0", "1,8,1,1,0", "1,12,1,1,0"],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => c.Arguments));
        for (uint stream = Stream; stream < Stream + 3; stream++)
        {
            Assert.Contains((stream, 2, "Access granted."), run.Logs());
            Assert.Equal(Request, run.Upstream(stream));
        }
    }

    public static IEnumerable<object[]> DeniedBodies() =>
    [
        [new byte[] { 1 }],
        [new byte[] { 255 }],
        [new byte[] { 3, 2, 2 }], // only the first byte counts
        [new byte[0]],
    ];

    [SkippableTheory]
    [MemberData(nameof(DeniedBodies))]
    public void An_odd_first_byte_or_an_empty_body_answers_403(byte[] body)
    {
        HostRun run = Run(new HostInput
        {
            RootId = "http_auth_random",
            RequestHeaders = Request,
            ResponseHeaders = [(":status", "200")],
            CalloutResponseBody = body,
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal([$"1,4,1,{body.Length},0"],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => c.Arguments));
        AssertForbidden(run);
    }

    [SkippableTheory]
    [InlineData("reset", "1,4,0,0,0")]
    [InlineData("timeout", "1,4,2,24,0")] // Envoy's 504 "upstream request timeout": 'u' is odd
    public void A_failed_call_answers_403(string failure, string answer)
    {
        HostRun run = Run(new HostInput
        {
            RootId = "http_auth_random",
            RequestHeaders = Request,
            ResponseHeaders = [(":status", "200")],
            CalloutFailure = failure,
        });

        Assert.Equal([answer], run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => c.Arguments));
        AssertForbidden(run);
    }

    [SkippableFact]
    public void An_unknown_cluster_is_refused_and_the_request_answered_403_not_left_paused()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "http_auth_random",
            Clusters = ["some_other_cluster"],
            RequestHeaders = Request,
            ResponseHeaders = [(":status", "200")],
        });

        Assert.Contains(("proxy_http_call", 2), run.HostCalls()); // BadArgument
        Assert.Empty(run.HttpCalls());
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_http_call_response");
        AssertForbidden(run);
    }

    private static void AssertForbidden(HostRun run)
    {
        HostRecord local = Assert.Single(run.LocalResponses(Stream));
        Assert.Equal(["2", "403", "", Forbidden, "-1"], local.Fields);
        Assert.Equal([("powered-by", "proxy-wasm")], run.LocalResponseHeaders(Stream));
        Assert.Equal([(":status", "403"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
        Assert.Equal(Forbidden, Assert.Single(run.OfKind("downstream_body")).Fields[1]);
        Assert.Contains((Stream, 2, "Access forbidden."), run.Logs());
        Assert.DoesNotContain(run.Logs(), l => l.Message == "Access granted.");

        // The request never reaches upstream, nothing resumed it, and no call is left behind.
        Assert.Empty(run.Upstream(Stream));
        Assert.Empty(run.OfKind("request_resumed"));
        Assert.Empty(run.OfKind("request_stopped"));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_response_headers");
        Assert.Empty(run.PendingHttpCalls());
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("HttpAuthRandom").Library, input);
}
