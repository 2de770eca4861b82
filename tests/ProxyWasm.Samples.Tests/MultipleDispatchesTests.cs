using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's multiple_dispatches, in the in-process host: ten calls on the response path, the response
/// paused until the tenth answer (in any order, failed calls included), then <c>total-dispatched: 10</c> and the
/// resume.</summary>
public sealed class MultipleDispatchesTests
{
    private static ProxyWasmHost Host(params string[] clusters) => new(typeof(MultipleDispatches).Assembly, new HostOptions
    {
        RootId = "multiple_dispatches",
        Clusters = clusters.Length == 0 ? null : clusters,
    });

    private static HeaderList KeyValue() => new(new[] { ("key", "value") });

    private static HttpResponse Empty() => new(new HeaderList(), Array.Empty<byte>());

    private static string[] Info(ProxyWasmHost host, int from = 0)
        => host.Logs.Skip(from).Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    private static readonly string[] Countdown =
    [
        "pending dispatched requests: 9", "pending dispatched requests: 8", "pending dispatched requests: 7",
        "pending dispatched requests: 6", "pending dispatched requests: 5", "pending dispatched requests: 4",
        "pending dispatched requests: 3", "pending dispatched requests: 2", "pending dispatched requests: 1",
        "response resumed after processed 10 dispatched request",
    ];

    [Fact]
    public void Response_headers_dispatch_ten_GET_slash_calls_to_httpbin_with_a_50s_timeout_and_pause()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();

        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(Requests.Curl(), endOfStream: true));
        Assert.Empty(host.HttpCalls);

        Assert.Equal(FilterHeadersStatus.StopIteration, stream.OnResponseHeaders(KeyValue(), endOfStream: true));
        Assert.Equal(10, host.PendingHttpCalls.Count);
        Assert.All(host.PendingHttpCalls, call =>
        {
            Assert.Equal("httpbin", call.Upstream);
            Assert.Equal(stream.ContextId, call.ContextId);
            Assert.Equal(50_000u, call.TimeoutMilliseconds);
            Assert.Equal(new[] { (":path", "/"), (":method", "GET"), (":authority", "") }, call.Headers.Select(h => (h.NameText, h.ValueText)));
            Assert.Empty(call.Body);
            Assert.Equal(0, call.Trailers.Count);
        });
        Assert.Equal(10, host.PendingHttpCalls.Select(c => c.CalloutId).Distinct().Count());
        Assert.Equal(0, stream.ResponseResumeCount);
        Assert.Equal(0, stream.RequestResumeCount);
        Assert.Empty(host.Logs);
        stream.Complete();
    }

    [Fact]
    public void The_response_resumes_only_after_the_tenth_answer_and_gets_total_dispatched_10()
    {
        // The Go unit test: answering all ten (no data) turns the current action from Pause to Continue and logs the
        // countdown 9..1 and the resumed line.
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        HeaderList response = KeyValue();
        stream.OnResponseHeaders(response, endOfStream: true);
        HttpCallRecord[] calls = host.PendingHttpCalls.ToArray();

        for (int i = 0; i < 9; i++)
        {
            host.RespondToHttpCall(calls[i].CalloutId, Empty());
            Assert.Equal(0, stream.ResponseResumeCount);
            Assert.Null(response.Get("total-dispatched"));
            Assert.Equal(Countdown[..(i + 1)], Info(host));
        }

        host.RespondToHttpCall(calls[9].CalloutId, Empty());
        Assert.Equal(1, stream.ResponseResumeCount);
        Assert.Equal(0, stream.RequestResumeCount);
        Assert.Equal(Countdown, Info(host));
        Assert.Equal(new[] { ("key", "value"), ("total-dispatched", "10") }, response.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal(new StreamResume(stream.ContextId, StreamType.HttpResponse), Assert.Single(host.Resumes));
        Assert.Empty(host.PendingHttpCalls);
        Assert.Equal(0, HostMemory.LiveBlocks);
        stream.Complete();
    }

    [Fact]
    public void The_header_is_added_next_to_an_upstream_total_dispatched_not_replacing_it()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        HeaderList response = new(new[] { (":status", "200"), ("total-dispatched", "3") });
        stream.OnResponseHeaders(response, endOfStream: true);
        foreach (HttpCallRecord call in host.PendingHttpCalls.ToArray())
        {
            host.RespondToHttpCall(call.CalloutId, Empty());
        }

        Assert.Equal(new[] { "3", "10" }, response.GetAll("total-dispatched"));
        stream.Complete();
    }

    [Fact]
    public void Answers_in_any_order_count_down_the_same_and_the_last_one_resumes()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        HeaderList response = KeyValue();
        stream.OnResponseHeaders(response, endOfStream: true);
        HttpCallRecord[] calls = host.PendingHttpCalls.ToArray();
        int[] order = [7, 2, 9, 0, 5, 1, 8, 3, 6, 4];

        for (int i = 0; i < order.Length; i++)
        {
            Assert.Equal(0, stream.ResponseResumeCount);
            host.RespondToHttpCall(calls[order[i]].CalloutId, HttpCallAnswer.With(200, "{}"u8.ToArray()).Response!);
        }

        Assert.Equal(Countdown, Info(host));
        Assert.Equal(1, stream.ResponseResumeCount);
        Assert.Equal("10", response.Get("total-dispatched"));
        stream.Complete();
    }

    [Fact]
    public void Failed_and_timed_out_calls_still_count()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        HeaderList response = KeyValue();
        stream.OnResponseHeaders(response, endOfStream: true);
        HttpCallRecord[] calls = host.PendingHttpCalls.ToArray();

        for (int i = 0; i < calls.Length; i++)
        {
            switch (i % 3)
            {
                case 0:
                    host.FailHttpCall(calls[i].CalloutId, HttpCallFailure.Reset);
                    break;
                case 1:
                    host.FailHttpCall(calls[i].CalloutId, HttpCallFailure.Timeout);
                    break;
                default:
                    host.RespondToHttpCall(calls[i].CalloutId, Empty());
                    break;
            }
        }

        Assert.Equal(Countdown, Info(host));
        Assert.Equal(1, stream.ResponseResumeCount);
        Assert.Equal("10", response.Get("total-dispatched"));
        stream.Complete();
    }

    [Fact]
    public void A_whole_exchange_reaches_the_client_with_total_dispatched_after_ten_callouts()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()),
            new HttpResponse(new HeaderList(new[] { (":status", "200"), ("content-type", "application/json") }), "{\"ok\":true}"u8.ToArray()),
            callouts: _ => HttpCallAnswer.With(200, "ok"u8.ToArray()));

        Assert.NotNull(exchange.Upstream);
        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        HttpResponse response = Assert.IsType<HttpResponse>(exchange.Response);
        Assert.Equal(new[] { (":status", "200"), ("content-type", "application/json"), ("total-dispatched", "10") }, response.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal("{\"ok\":true}", response.BodyText);
        Assert.Equal(10, exchange.HttpCalls.Count);
        Assert.Equal(10, exchange.Callbacks.Count(c => c.Export == "proxy_on_http_call_response"));
        Assert.Equal(Countdown, exchange.Logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message));
        Assert.Null(exchange.LocalResponse);
    }

    [Fact]
    public void With_one_call_unanswered_the_response_stays_paused()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        HeaderList response = KeyValue();
        stream.OnResponseHeaders(response, endOfStream: true);
        foreach (HttpCallRecord call in host.PendingHttpCalls.Skip(1).ToArray())
        {
            host.RespondToHttpCall(call.CalloutId, Empty());
        }

        Assert.Equal(0, stream.ResponseResumeCount);
        Assert.Single(host.PendingHttpCalls);
        Assert.Null(response.Get("total-dispatched"));
        Assert.Equal(Countdown[..9], Info(host));
        Assert.Empty(host.Resumes);
        stream.Complete();
    }

    [Fact]
    public void Two_streams_count_their_own_answers()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext first = host.CreateHttpStream();
        HttpStreamContext second = host.CreateHttpStream();
        HeaderList firstResponse = KeyValue();
        HeaderList secondResponse = KeyValue();
        first.OnResponseHeaders(firstResponse, endOfStream: true);
        second.OnResponseHeaders(secondResponse, endOfStream: true);
        Assert.Equal(20, host.PendingHttpCalls.Count);

        // All of the second stream's answers first, interleaved with a few of the first's.
        HttpCallRecord[] firstCalls = host.PendingHttpCalls.Where(c => c.ContextId == first.ContextId).ToArray();
        HttpCallRecord[] secondCalls = host.PendingHttpCalls.Where(c => c.ContextId == second.ContextId).ToArray();
        for (int i = 0; i < 10; i++)
        {
            host.RespondToHttpCall(secondCalls[i].CalloutId, Empty());
            if (i < 3)
            {
                host.RespondToHttpCall(firstCalls[i].CalloutId, Empty());
            }
        }

        Assert.Equal(1, second.ResponseResumeCount);
        Assert.Equal("10", secondResponse.Get("total-dispatched"));
        Assert.Equal(0, first.ResponseResumeCount);
        Assert.Null(firstResponse.Get("total-dispatched"));
        Assert.Equal(new[]
        {
            Countdown[0], Countdown[0], Countdown[1], Countdown[1], Countdown[2], Countdown[2],
            Countdown[3], Countdown[4], Countdown[5], Countdown[6], Countdown[7], Countdown[8], Countdown[9],
        }, Info(host));

        foreach (HttpCallRecord call in firstCalls.Skip(3))
        {
            host.RespondToHttpCall(call.CalloutId, Empty());
        }

        Assert.Equal(1, first.ResponseResumeCount);
        Assert.Equal(1, second.ResponseResumeCount);
        Assert.Equal(new[] { second.ContextId, first.ContextId }, host.Resumes.Select(r => r.ContextId));
        Assert.Equal(2, Info(host).Count(m => m == "response resumed after processed 10 dispatched request"));
        first.Complete();
        second.Complete();
    }

    [Fact]
    public void A_new_stream_on_a_reused_filter_instance_starts_from_zero()
    {
        using ProxyWasmHost host = Host();
        for (int round = 0; round < 3; round++)
        {
            int logs = host.Logs.Count;
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), callouts: _ => HttpCallAnswer.With(200, []));
            Assert.Equal("10", exchange.Response!.Headers.Get("total-dispatched"));
            Assert.Equal(Countdown, Info(host, logs));
        }

        Assert.Equal(0, ProxyWasm.Generated.Callouts.Pending(ProxyWasm.Generated.CalloutKind.Http));
    }

    [Fact]
    public void Answers_after_the_stream_ended_are_dropped()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnResponseHeaders(KeyValue(), endOfStream: true);
        HttpCallRecord[] calls = host.PendingHttpCalls.ToArray();
        host.RespondToHttpCall(calls[0].CalloutId, Empty());
        stream.Complete();

        foreach (HttpCallRecord call in calls.Skip(1))
        {
            host.RespondToHttpCall(call.CalloutId, Empty());
        }

        Assert.Equal(new[] { "pending dispatched requests: 9" }, Info(host));
        Assert.Equal(9, host.Logs.Count(l => l.Level == LogLevel.Debug && l.Message.Contains("proxy_on_http_call_response dropped", StringComparison.Ordinal)));
        Assert.Empty(host.Resumes);
        Assert.DoesNotContain(host.Logs, l => l.Level == LogLevel.Critical);
    }

    [Fact]
    public void When_no_call_can_be_dispatched_each_failure_is_logged_and_the_response_is_not_left_paused()
    {
        // The Go example panics here; this sample logs and lets the response through without the header.
        using ProxyWasmHost host = Host("some_other_cluster");
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Empty(host.HttpCalls);
        Assert.Equal(Enumerable.Repeat("dispatch httpcall failed: error status returned by host: bad argument", 10),
            exchange.Logs.Where(l => l.Level == LogLevel.Critical).Select(l => l.Message));
        HttpResponse response = Assert.IsType<HttpResponse>(exchange.Response);
        Assert.Null(response.Headers.Get("total-dispatched"));
        Assert.Equal((uint)FilterHeadersStatus.Continue, exchange.Callbacks.Single(c => c.Export == "proxy_on_response_headers").Result);
        Assert.Empty(Info(host));
    }
}
