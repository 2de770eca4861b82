using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Rust SDK's http_auth_random, in the in-process host: the callout, the allow, deny and failure paths,
/// and answers that arrive late, out of order or after the stream ended.</summary>
public sealed class HttpAuthRandomTests
{
    private static ProxyWasmHost Host(params string[] clusters) => new(typeof(HttpAuthRandom).Assembly, new HostOptions
    {
        RootId = "http_auth_random",
        Clusters = clusters.Length == 0 ? null : clusters,
    });

    private static HttpCallAnswer Byte(byte value) => HttpCallAnswer.With(200, new[] { value });

    [Fact]
    public void Each_request_dispatches_GET_bytes_1_to_httpbin_with_a_1s_timeout_and_waits()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();

        Assert.Equal(FilterHeadersStatus.StopIteration, stream.OnRequestHeaders(Requests.Curl(), endOfStream: true));
        HttpCallRecord call = Assert.Single(host.PendingHttpCalls);
        Assert.Equal("httpbin", call.Upstream);
        Assert.Equal(stream.ContextId, call.ContextId);
        Assert.Equal(1000u, call.TimeoutMilliseconds);
        Assert.Equal(new[] { (":method", "GET"), (":path", "/bytes/1"), (":authority", "httpbin.org") }, call.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Empty(call.Body);
        Assert.Equal(0, call.Trailers.Count);
        Assert.Equal(0, stream.RequestResumeCount);
        stream.Complete();
    }

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)2)]
    [InlineData((byte)254)]
    public void An_even_first_byte_grants_access_and_resumes_the_request(byte value)
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), callouts: _ => Byte(value));

        Assert.NotNull(exchange.Upstream);
        Assert.Null(exchange.LocalResponse);
        Assert.Equal("proxy-wasm", exchange.Response!.Headers.Get("powered-by"));
        Assert.Contains(exchange.Logs, l => l.Level == LogLevel.Info && l.Message == "Access granted.");
        Assert.Single(exchange.HttpCalls);
        Assert.Contains(exchange.Callbacks, c => c.Export == "proxy_on_http_call_response");
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Theory]
    [InlineData((byte)1)]
    [InlineData((byte)255)]
    public void An_odd_first_byte_answers_403_with_powered_by(byte value)
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), callouts: _ => Byte(value));
        AssertForbidden(exchange);
    }

    [Fact]
    public void Only_the_first_byte_counts()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), callouts: _ => HttpCallAnswer.With(200, new byte[] { 3, 2, 2 }));
        AssertForbidden(exchange);
    }

    [Fact]
    public void An_empty_body_is_forbidden()
    {
        using ProxyWasmHost host = Host();
        AssertForbidden(host.Send(Requests.Get(Requests.Curl()), callouts: _ => HttpCallAnswer.With(200, [])));
    }

    [Fact]
    public void A_reset_call_is_forbidden()
    {
        using ProxyWasmHost host = Host();
        AssertForbidden(host.Send(Requests.Get(Requests.Curl()), callouts: _ => HttpCallAnswer.Failed(HttpCallFailure.Reset)));
    }

    [Fact]
    public void A_timed_out_call_is_forbidden()
    {
        // Envoy answers a timed-out call with 504 "upstream request timeout": 'u' is odd.
        using ProxyWasmHost host = Host();
        AssertForbidden(host.Send(Requests.Get(Requests.Curl()), callouts: _ => HttpCallAnswer.Failed(HttpCallFailure.Timeout)));
    }

    [Fact]
    public void An_unknown_cluster_is_refused_and_the_request_answered_403_not_left_paused()
    {
        using ProxyWasmHost host = Host("some_other_cluster");
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.Empty(host.HttpCalls);
        AssertForbidden(exchange);
    }

    [Fact]
    public void Unanswered_the_request_stays_paused()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.Null(exchange.Upstream);
        Assert.Null(exchange.Response);
        Assert.Single(host.PendingHttpCalls);
    }

    [Fact]
    public void Answers_reach_the_stream_that_made_each_call_in_any_order()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext first = host.CreateHttpStream();
        HttpStreamContext second = host.CreateHttpStream();
        first.OnRequestHeaders(Requests.Curl("first.example"), endOfStream: true);
        second.OnRequestHeaders(Requests.Curl("second.example"), endOfStream: true);
        HttpCallRecord firstCall = host.PendingHttpCalls.Single(c => c.ContextId == first.ContextId);
        HttpCallRecord secondCall = host.PendingHttpCalls.Single(c => c.ContextId == second.ContextId);

        host.RespondToHttpCall(secondCall.CalloutId, new HttpResponse(new HeaderList(new[] { (":status", "200") }), new byte[] { 1 }));
        Assert.Equal(403u, second.LocalResponse?.StatusCode);
        Assert.Null(first.LocalResponse);
        Assert.Equal(0, first.RequestResumeCount);

        host.RespondToHttpCall(firstCall.CalloutId, new HttpResponse(new HeaderList(new[] { (":status", "200") }), new byte[] { 4 }));
        Assert.Equal(1, first.RequestResumeCount);
        Assert.Null(first.LocalResponse);
        Assert.Equal(0, second.RequestResumeCount);
        first.Complete();
        second.Complete();
    }

    [Fact]
    public void An_answer_after_the_stream_ended_is_dropped_with_a_debug_line()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        HttpCallRecord call = Assert.Single(host.PendingHttpCalls);
        stream.Complete();

        host.RespondToHttpCall(call.CalloutId, new HttpResponse(new HeaderList(new[] { (":status", "200") }), new byte[] { 2 }));
        Assert.Contains(host.Logs, l => l.Level == LogLevel.Debug && l.Message.Contains("proxy_on_http_call_response dropped", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs, l => l.Message == "Access granted.");
        Assert.DoesNotContain(host.Logs, l => l.Level == LogLevel.Critical);

        // The VM still serves.
        HttpExchange next = host.Send(Requests.Get(Requests.Curl()), callouts: _ => Byte(8));
        Assert.NotNull(next.Upstream);
    }

    [Fact]
    public void Hundreds_of_callouts_leave_no_route_or_host_memory_behind()
    {
        using ProxyWasmHost host = Host();
        for (int i = 0; i < 300; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), callouts: _ => Byte((byte)i));
            Assert.Equal(i % 2 == 0, exchange.Upstream is not null);
        }

        Assert.Empty(host.PendingHttpCalls);
        Assert.Equal(0, ProxyWasm.Generated.Callouts.Pending(ProxyWasm.Generated.CalloutKind.Http));
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    private static void AssertForbidden(HttpExchange exchange)
    {
        Assert.Null(exchange.Upstream);
        LocalResponse local = Assert.IsType<LocalResponse>(exchange.LocalResponse);
        Assert.Equal(403u, local.StatusCode);
        Assert.Equal("Access forbidden.\n", local.BodyText);
        Assert.Equal("proxy-wasm", local.Headers.Get("Powered-By"));
        Assert.Equal(-1, local.GrpcStatus);
        Assert.Equal("403", exchange.Response!.Headers.Get(":status"));
        Assert.Equal("proxy-wasm", exchange.Response.Headers.Get("powered-by"));
        Assert.Equal("Access forbidden.\n", Encoding.UTF8.GetString(exchange.Response.Body));
        Assert.Contains(exchange.Logs, l => l.Level == LogLevel.Info && l.Message == "Access forbidden.");
        Assert.DoesNotContain(exchange.Logs, l => l.Message == "Access granted.");
    }
}
