using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The HttpHeaders sample's native module in the C host: every request and response header logged with the stream's
/// context id in host order, <c>/hello</c> answered with the local 200, and <c>#&lt;id&gt; completed.</c> from
/// proxy_on_log (the in-process counterpart: tests/ProxyWasm.Samples.Tests/HttpHeadersTests.cs). Unlike Envoy this host
/// sends a local reply straight downstream without the response hooks, so the reply's headers are not logged here.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class HttpHeadersNativeTests(NativeBuild build)
{
    private const uint Stream = 2;
    private const int Info = 2;

    private static readonly List<(string Name, string Value)> Response = [(":status", "200"), ("content-type", "text/plain"), ("x-multi", "a"), ("x-multi", "b")];

    private static List<(string Name, string Value)> Request(string path) =>
        [(":authority", "localhost:10000"), (":path", path), (":method", "GET"), ("user-agent", "curl/8"), ("accept", "*/*")];

    [SkippableFact]
    public void Headers_are_logged_in_host_order_and_the_request_goes_upstream_unchanged()
    {
        HostRun run = Run(new HostInput { RootId = "http_headers", RequestHeaders = Request("/get"), ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal("0", run.Result(Stream, "proxy_on_response_headers"));
        Assert.Equal(
        [
            (Stream, Info, "#2 -> :authority: localhost:10000"),
            (Stream, Info, "#2 -> :path: /get"),
            (Stream, Info, "#2 -> :method: GET"),
            (Stream, Info, "#2 -> user-agent: curl/8"),
            (Stream, Info, "#2 -> accept: */*"),
            (Stream, Info, "#2 <- :status: 200"),
            (Stream, Info, "#2 <- content-type: text/plain"),
            (Stream, Info, "#2 <- x-multi: a"),
            (Stream, Info, "#2 <- x-multi: b"),
            (Stream, Info, "#2 completed."),
        ], run.Logs());
        Assert.Equal(Request("/get"), run.Upstream(Stream));
        Assert.Equal(Response, run.Downstream(Stream));
        Assert.Empty(run.LocalResponses(Stream));

        // The completion line is written in proxy_on_log, after the response.
        var records = run.Records.ToList();
        int log = records.FindIndex(r => r.Kind == "call" && r.Fields[1] == "proxy_on_log");
        int completed = records.FindIndex(r => r.Kind == "log" && r.Fields[2] == "#2 completed.");
        int downstream = records.FindLastIndex(r => r.Kind == "downstream_header");
        Assert.True(downstream < completed && completed < log, run.Dump());
    }

    [SkippableFact]
    public void Hello_is_answered_with_the_local_200_its_two_headers_and_the_greeting()
    {
        HostRun run = Run(new HostInput { RootId = "http_headers", RequestHeaders = Request("/hello"), ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal(["2", "200", "", "Hello, World!\n", "-1"], Assert.Single(run.LocalResponses(Stream)).Fields);
        Assert.Equal([("hello", "World"), ("powered-by", "proxy-wasm")], run.LocalResponseHeaders(Stream));
        Assert.Equal([(":status", "200"), ("hello", "World"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
        Assert.Equal(["2", "Hello, World!\n"], Assert.Single(run.OfKind("downstream_body")).Fields);
        Assert.Empty(run.Upstream(Stream));
        Assert.Equal(
        [
            (Stream, Info, "#2 -> :authority: localhost:10000"),
            (Stream, Info, "#2 -> :path: /hello"),
            (Stream, Info, "#2 -> :method: GET"),
            (Stream, Info, "#2 -> user-agent: curl/8"),
            (Stream, Info, "#2 -> accept: */*"),
            (Stream, Info, "#2 completed."),
        ], run.Logs());
    }

    [SkippableTheory]
    [InlineData("/")]
    [InlineData("/hello/")]
    [InlineData("/hello?x=1")]
    [InlineData("")]
    public void Any_other_path_goes_upstream(string path)
    {
        HostRun run = Run(new HostInput { RootId = "http_headers", RequestHeaders = Request(path), ResponseHeaders = Response });

        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal(Request(path), run.Upstream(Stream));
        Assert.Equal((Stream, Info, "#2 completed."), run.Logs()[^1]);
    }

    [SkippableFact]
    public void Each_stream_logs_its_own_context_id()
    {
        HostRun run = Run(new HostInput { RootId = "http_headers", Streams = 3, RequestHeaders = [(":path", "/hello")], ResponseHeaders = Response });

        Assert.Equal(
            new uint[] { 2, 3, 4 }.SelectMany(id => new[] { (id, Info, $"#{id} -> :path: /hello"), (id, Info, $"#{id} completed.") }),
            run.Logs());
        Assert.Equal(3, run.OfKind("local_response").Count());
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("HttpHeaders").Library, input);
}
