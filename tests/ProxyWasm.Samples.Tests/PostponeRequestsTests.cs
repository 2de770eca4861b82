using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's postpone_requests, in the in-process host: every request paused at its headers and resumed,
/// oldest first, at the plugin's next tick (never before), through <c>proxy_set_effective_context</c>.</summary>
public sealed class PostponeRequestsTests
{
    private static ProxyWasmHost Host() => new(typeof(PostponeRequests).Assembly, new HostOptions { RootId = "postpone_requests" });

    private static string[] Info(ProxyWasmHost host, int from = 0)
        => host.Logs.Skip(from).Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    [Fact]
    public void Plugin_start_sets_a_1000_ms_tick()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        Assert.Equal(1000u, host.TickPeriodMilliseconds);
        Assert.Empty(host.Logs);
    }

    [Fact]
    public void A_request_is_paused_and_the_next_tick_resumes_it()
    {
        // The Go unit test: empty request headers pause; after a tick the stream's action is Continue.
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(2u, stream.ContextId);

        Assert.Equal(FilterHeadersStatus.StopIteration, stream.OnRequestHeaders(new HeaderList(), endOfStream: true));
        Assert.Equal(new[] { "postpone request with contextID=2" }, Info(host));
        Assert.Equal(0, stream.RequestResumeCount);

        host.Tick();
        Assert.Equal(1, stream.RequestResumeCount);
        Assert.Equal(0, stream.ResponseResumeCount);
        Assert.Equal(new[] { "postpone request with contextID=2", "resume request with contextID=2" }, Info(host));
        Assert.Equal(new StreamResume(2, StreamType.HttpRequest), Assert.Single(host.Resumes));

        // The stream then runs on as usual; its response passes untouched.
        HeaderList response = new(new[] { (":status", "200") });
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnResponseHeaders(response, endOfStream: true));
        Assert.Equal(new[] { (":status", "200") }, response.Select(h => (h.NameText, h.ValueText)));
        stream.Complete();
        Assert.DoesNotContain(host.Logs, l => l.Level != LogLevel.Info);
    }

    [Fact]
    public void Nothing_is_resumed_before_the_tick()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Requests.Curl(), endOfStream: false);
        stream.OnRequestBody("body"u8.ToArray(), endOfStream: false);
        stream.OnRequestTrailers(new HeaderList(new[] { ("x-trailer", "1") }));

        Assert.Equal(0, stream.RequestResumeCount);
        Assert.Empty(host.Resumes);
        Assert.DoesNotContain(Info(host), m => m.StartsWith("resume", StringComparison.Ordinal));

        // Send holds a paused request until something resumes it; nothing does during the exchange.
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.Null(exchange.Upstream);
        Assert.Null(exchange.Response);
        Assert.Empty(host.Resumes);

        host.Tick();
        Assert.Equal(1, stream.RequestResumeCount);
        stream.Complete();
    }

    [Fact]
    public void One_tick_resumes_every_postponed_request_oldest_first_each_once()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext[] streams = Enumerable.Range(0, 5).Select(_ => host.CreateHttpStream()).ToArray();
        int[] arrival = [3, 0, 4, 1, 2];
        foreach (int i in arrival)
        {
            streams[i].OnRequestHeaders(Requests.Curl(), endOfStream: true);
        }

        uint[] ids = arrival.Select(i => streams[i].ContextId).ToArray();
        Assert.Equal(ids.Select(id => $"postpone request with contextID={id}"), Info(host));
        int logs = host.Logs.Count;

        host.Tick();
        Assert.Equal(ids.Select(id => $"resume request with contextID={id}"), Info(host, logs));
        Assert.Equal(ids.Select(id => new StreamResume(id, StreamType.HttpRequest)), host.Resumes);
        Assert.All(streams, s => Assert.Equal(1, s.RequestResumeCount));

        // The queue is empty: the next tick resumes nothing and logs nothing.
        logs = host.Logs.Count;
        host.Tick();
        Assert.Equal(logs, host.Logs.Count);
        Assert.Equal(5, host.Resumes.Count);
        Assert.All(streams, s => s.Complete());
    }

    [Fact]
    public void Requests_that_arrive_after_a_tick_wait_for_the_next_one()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext early = host.CreateHttpStream();
        early.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        host.Tick();

        HttpStreamContext late = host.CreateHttpStream();
        late.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        Assert.Equal(1, early.RequestResumeCount);
        Assert.Equal(0, late.RequestResumeCount);

        host.Tick();
        Assert.Equal(1, early.RequestResumeCount);
        Assert.Equal(1, late.RequestResumeCount);
        Assert.Equal(new[]
        {
            $"postpone request with contextID={early.ContextId}", $"resume request with contextID={early.ContextId}",
            $"postpone request with contextID={late.ContextId}", $"resume request with contextID={late.ContextId}",
        }, Info(host));
        early.Complete();
        late.Complete();
    }

    [Fact]
    public void A_stream_that_ended_while_it_waited_is_logged_and_skipped_and_the_rest_resume()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext gone = host.CreateHttpStream();
        HttpStreamContext kept = host.CreateHttpStream();
        gone.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        kept.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        gone.Complete();
        int logs = host.Logs.Count;

        host.Tick();
        Assert.Equal(new[] { $"resume request with contextID={gone.ContextId}", $"resume request with contextID={kept.ContextId}" }, Info(host, logs));
        Assert.Equal(0, gone.RequestResumeCount);
        Assert.Equal(1, kept.RequestResumeCount);
        Assert.Equal(new StreamResume(kept.ContextId, StreamType.HttpRequest), Assert.Single(host.Resumes));
        Assert.DoesNotContain(host.Logs, l => l.Level >= LogLevel.Warn);
        kept.Complete();
    }

    [Fact]
    public void Hundreds_of_postponed_requests_resume_in_order_across_ticks()
    {
        using ProxyWasmHost host = Host();
        var expected = new List<uint>();
        for (int tick = 0; tick < 3; tick++)
        {
            for (int i = 0; i < 300; i++)
            {
                HttpStreamContext stream = host.CreateHttpStream();
                stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);
                expected.Add(stream.ContextId);
            }

            host.Tick();
        }

        Assert.Equal(expected, host.Resumes.Select(r => r.ContextId));
        Assert.Equal(0, HostMemory.LiveBlocks);
    }
}
