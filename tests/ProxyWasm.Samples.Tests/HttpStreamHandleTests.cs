using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>A bound <see cref="HttpStream"/> acts on its stream: it resumes a paused request or response
/// (<c>proxy_continue_stream</c>) and answers the stream (<c>proxy_send_local_response</c>).</summary>
public sealed class HttpStreamHandleTests
{
    private static ProxyWasmHost Host() => new(typeof(HttpStreamHandleTests).Assembly, new HostOptions { RootId = "resume_via_stream" });

    [Fact]
    public void A_held_request_is_resumed_through_the_bound_stream_once_its_body_is_complete()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();

        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(Requests.Curl(), endOfStream: false));
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody("part one, "u8.ToArray(), endOfStream: false));
        Assert.Equal(0, stream.RequestResumeCount);
        Assert.Equal(FilterDataStatus.StopIterationNoBuffer, stream.OnRequestBody("part two"u8.ToArray(), endOfStream: true));
        Assert.Equal(1, stream.RequestResumeCount);
        Assert.Equal(0, stream.ResponseResumeCount);
        stream.Complete();
    }

    [Fact]
    public void Request_and_response_reach_their_peers_only_because_the_stream_resumed_them()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(
            new HttpRequest(Requests.Curl(), Encoding.UTF8.GetBytes("payload")),
            new HttpResponse(new HeaderList(new[] { (":status", "200") }), Encoding.UTF8.GetBytes("answer")));

        Assert.Equal("payload", Encoding.UTF8.GetString(exchange.Upstream!.Body));
        Assert.Equal("answer", Encoding.UTF8.GetString(exchange.Response!.Body));
        Assert.Null(exchange.LocalResponse);
    }

    [Fact]
    public void The_bound_stream_answers_its_stream_from_a_response_hook()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(
            new HttpRequest(Requests.Curl(), Encoding.UTF8.GetBytes("payload")),
            new HttpResponse(new HeaderList(new[] { (":status", "200"), ("x-deny", "1") }), Encoding.UTF8.GetBytes("secret")));

        Assert.Equal(451u, exchange.LocalResponse?.StatusCode);
        Assert.Equal("451", exchange.Response!.Headers.Get(":status"));
        Assert.Equal("denied by the response\n", Encoding.UTF8.GetString(exchange.Response.Body));
    }
}

/// <summary>Deferred completion: [OnStreamDone] returns false, the host keeps the stream, and the stream's
/// <see cref="HttpStream.Done"/> (proxy_done) from a later callback lets log and delete run.</summary>
public sealed class DeferredCompletionTests
{
    [Fact]
    public void A_stream_kept_by_its_done_hook_finishes_when_its_callout_answer_calls_Done()
    {
        using var host = new ProxyWasmHost(typeof(DeferredCompletionTests).Assembly, new HostOptions { RootId = "deferred_done" });
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);

        Assert.False(stream.Complete());
        Assert.True(stream.DonePending);
        Assert.False(stream.IsDeleted);
        HttpCallRecord call = Assert.Single(host.PendingHttpCalls);
        Assert.Equal("/get", Encoding.UTF8.GetString(call.Body));
        Assert.DoesNotContain(host.Logs, l => l.Message == "proxy_on_log ran");

        host.RespondToHttpCall(call.CalloutId, HttpResponse.Ok());
        Assert.False(stream.DonePending);
        Assert.True(stream.IsDeleted);
        string[] order = stream.Callbacks.Select(c => c.Export).ToArray();
        Assert.Equal(new[] { "proxy_on_done", "proxy_on_http_call_response", "proxy_on_log", "proxy_on_delete" }, order[^4..]);
        Assert.Equal(new[] { "access log written", "proxy_on_log ran" }, host.Logs.Select(l => l.Message).ToArray()[^2..]);
    }

    [Fact]
    public void Done_outside_a_pending_stream_is_NotFound()
    {
        using var host = new ProxyWasmHost(typeof(DeferredCompletionTests).Assembly, new HostOptions { RootId = "resume_via_stream" });
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        Assert.True(stream.Complete());
        Assert.True(stream.IsDeleted);
    }
}

/// <summary>A call dispatched from inside an answer hook is the stream's too: its answer reaches the same stream.</summary>
public sealed class ChainedCalloutTests
{
    [Fact]
    public void A_call_made_in_an_answer_hook_is_answered_to_the_same_stream()
    {
        using var host = new ProxyWasmHost(typeof(ChainedCalloutTests).Assembly, new HostOptions { RootId = "chained_calls" });
        HttpExchange exchange = host.Send(new HttpRequest(Requests.Curl()), callouts: call => HttpCallAnswer.With(200, []));

        Assert.Equal(new[] { "first", "second" }, exchange.HttpCalls.Select(c => c.Upstream).ToArray());
        Assert.All(exchange.HttpCalls, c => Assert.Equal(exchange.HttpCalls[0].ContextId, c.ContextId));
        Assert.Equal("2", exchange.Upstream!.Headers.Get("x-answers"));
        Assert.Equal(2, exchange.Callbacks.Count(c => c.Export == "proxy_on_http_call_response"));
        Assert.Empty(host.PendingHttpCalls);
    }
}
