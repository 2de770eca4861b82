using System;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The C host's HTTP callouts themselves, probed by a module written in C (host/callout_probe.c) that reaches what no
/// sample does: a refused call, proxy_get_status, the call-response maps outside an answer, an unknown effective
/// context, and the tick period gate. The probe logs what each host function returned; these tests read those lines.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class CalloutHostTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;

    [SkippableFact]
    public void Http_call_needs_method_path_and_authority_and_a_known_cluster_and_numbers_tokens_by_4()
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], RequestHeaders = [(":path", "/orig")] });

        Assert.Equal(
            [
                "dispatch no-path: status 2 token 0",
                "dispatch unknown-cluster: status 2 token 0",
                "dispatch first: status 0 token 4",
                "dispatch second: status 0 token 8",
            ],
            run.Logs().Where(l => l.Message.StartsWith("dispatch", StringComparison.Ordinal)).Select(l => l.Message));

        HostHttpCall first = run.HttpCalls()[0];
        Assert.Equal((Stream, 4u, "probe", 250u), (first.Context, first.Token, first.Cluster, first.TimeoutMilliseconds));
        Assert.Equal([(":method", "POST"), (":path", "/probe"), (":authority", "probe.example"), ("x-probe", "1")], first.Headers);
        Assert.Equal("ping", first.Body);
        Assert.Equal([("x-probe-trailer", "t")], first.Trailers);
        Assert.Equal([8u], run.HttpCalls().Skip(1).Select(c => c.Token));
    }

    [SkippableFact]
    public void Without_a_cluster_list_any_cluster_is_accepted()
    {
        HostRun run = Run(new HostInput());

        Assert.Contains((Stream, 2, "dispatch unknown-cluster: status 0 token 4"), run.Logs());
        Assert.Equal(["unknown", "probe", "probe"], run.HttpCalls().Select(c => c.Cluster));

        // The second answer resumed the stream, so the third call (token 12) is never answered; the host says so.
        Assert.Equal(["1,4,1,0,0", "1,8,1,0,0"],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => c.Arguments));
        Assert.Equal([12u], run.PendingHttpCalls());
    }

    [SkippableFact]
    public void Answers_come_on_the_root_context_oldest_first_until_the_stream_is_resumed()
    {
        HostRun run = Run(new HostInput
        {
            Clusters = ["probe"],
            RequestHeaders = [(":path", "/orig")],
            ResponseHeaders = [(":status", "200")],
            CalloutResponseHeaders = [(":status", "201"), ("x-answer", "a")],
            CalloutResponseBody = "hello"u8.ToArray(),
            CalloutResponseTrailers = [("x-answer-trailer", "done")],
        });

        Assert.Equal([(Root, "1,4,2,5,1"), (Root, "1,8,2,5,1")],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => (c.Context, c.Arguments)));

        // On the root context the answer is readable, the stream's maps are not; an unknown context is refused.
        var logs = run.Logs();
        Assert.Contains((Root, 2, "root get_status: status 0 code 0 message ''"), logs);
        Assert.Contains((Root, 2, "root call :status: status 0 value '201'"), logs);
        Assert.Contains((Root, 2, "root call trailer: status 0 value 'done'"), logs);
        Assert.Contains((Root, 2, "root call body: status 0 size 5 'hello'"), logs);
        Assert.Contains((Root, 2, "root request :path: status 2 value ''"), logs);
        Assert.Contains((Root, 2, "effective 4242: status 2"), logs);

        // With the stream as the effective context, host calls act on it, and the answer stays readable.
        Assert.Contains((Stream, 2, "effective stream: status 0"), logs);
        Assert.Contains((Stream, 2, "stream request :path: status 0 value '/orig'"), logs);
        Assert.Contains((Stream, 2, "stream call body: status 0 size 5 'hello'"), logs);

        // The second answer resumed the request: it goes upstream. Outside an answer there is no call response.
        Assert.Equal([(":path", "/orig")], run.Upstream(Stream));
        Assert.Contains((Stream, 2, "response call :status: status 2 value ''"), logs);
        Assert.Contains((Stream, 2, "response call body: status 1 size 0 ''"), logs);
        Assert.Contains((Stream, 2, "response get_status: status 0 code 0 message ''"), logs);
        Assert.Equal([(":status", "200")], run.Downstream(Stream));
        Assert.Empty(run.PendingHttpCalls());
    }

    [SkippableFact]
    public void A_reset_call_has_no_response_and_proxy_get_status_says_BrokenConnection_reset()
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], RequestHeaders = [(":path", "/orig")], CalloutFailure = "reset" });

        Assert.Equal(["1,4,0,0,0", "1,8,0,0,0"],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => c.Arguments));
        var logs = run.Logs();
        Assert.Contains((Root, 2, "root get_status: status 0 code 11 message 'reset'"), logs);
        Assert.Contains((Root, 2, "root call :status: status 2 value ''"), logs);
        Assert.Contains((Root, 2, "root call body: status 1 size 0 ''"), logs);
        Assert.Contains((Stream, 2, "stream get_status: status 0 code 11 message 'reset'"), logs);
    }

    [SkippableFact]
    public void A_timed_out_call_is_answered_with_envoys_504()
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], CalloutFailure = "timeout" });

        var logs = run.Logs();
        Assert.Contains((Root, 2, "root get_status: status 0 code 0 message ''"), logs);
        Assert.Contains((Root, 2, "root call :status: status 0 value '504'"), logs);
        Assert.Contains((Root, 2, "root call body: status 0 size 24 'upstream request timeout'"), logs);
    }

    [SkippableTheory]
    [InlineData("", new uint[0], 0)]
    [InlineData("100", new uint[] { 100 }, 2)]
    [InlineData("100,0", new uint[] { 100, 0 }, 0)]
    [InlineData("0,250", new uint[] { 0, 250 }, 2)]
    public void Ticks_come_only_while_a_non_zero_tick_period_is_set(string periods, uint[] recorded, int ticks)
    {
        HostRun run = Run(new HostInput { Clusters = ["probe"], PluginConfiguration = periods, Ticks = 2, RequestHeaders = [(":path", "/orig")] });

        Assert.Equal(recorded.Select(p => $"1\t{p}"), run.OfKind("tick_period").Select(r => string.Join('\t', r.Fields)));
        Assert.Equal(recorded.Select(p => (Root, 2, $"tick period {p}: status 0")), run.Logs().Where(l => l.Message.StartsWith("tick period", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, ticks).Select(i => (Root, 2, $"tick {i} on 1")), run.Logs().Where(l => l.Message.StartsWith("tick ", StringComparison.Ordinal) && !l.Message.StartsWith("tick period", StringComparison.Ordinal)));

        // The stream was resumed by its second answer, so the ticks come after it, before the plugin shuts down.
        var calls = run.Calls().ToList();
        int streamDeleted = calls.FindIndex(c => (c.Context, c.Callback) == (Stream, "proxy_on_delete"));
        Assert.Equal(Enumerable.Repeat("proxy_on_tick", ticks).Append("proxy_on_delete"), calls.Skip(streamDeleted + 1).Select(c => c.Callback));
        Assert.Equal([(":path", "/orig")], run.Upstream(Stream));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.CalloutProbe(), input);
}
