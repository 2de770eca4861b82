using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>What the in-process host records and how it numbers contexts and ends: the ordered list of resumes, the
/// first context id, and the calls left unanswered when it is disposed.</summary>
public sealed class InProcessHostTests
{
    private static ProxyWasmHost ResumeViaStream() => new(typeof(HttpStreamHandleTests).Assembly, new HostOptions { RootId = "resume_via_stream" });

    [Fact]
    public void The_host_lists_every_resume_in_order_with_its_stream_and_half()
    {
        using ProxyWasmHost host = ResumeViaStream();
        HttpStreamContext first = host.CreateHttpStream();
        HttpStreamContext second = host.CreateHttpStream();
        first.OnRequestBody("a"u8.ToArray(), endOfStream: true);
        second.OnResponseBody("b"u8.ToArray(), endOfStream: true);
        second.OnRequestBody("c"u8.ToArray(), endOfStream: true);

        Assert.Equal(new[]
        {
            new StreamResume(first.ContextId, StreamType.HttpRequest),
            new StreamResume(second.ContextId, StreamType.HttpResponse),
            new StreamResume(second.ContextId, StreamType.HttpRequest),
        }, host.Resumes);
        Assert.Equal((1, 0), (first.RequestResumeCount, first.ResponseResumeCount));
        Assert.Equal((1, 1), (second.RequestResumeCount, second.ResponseResumeCount));
        first.Complete();
        second.Complete();
    }

    [Fact]
    public void The_host_numbers_the_root_context_from_FirstContextId_and_streams_after_it()
    {
        using (ProxyWasmHost host = new(typeof(HttpStreamHandleTests).Assembly, new HostOptions { RootId = "resume_via_stream", FirstContextId = 7 }))
        {
            HttpStreamContext stream = host.CreateHttpStream();
            Assert.Equal(7u, host.RootContextId);
            Assert.Equal(8u, stream.ContextId);
            Assert.Equal(new CallbackRecord("proxy_on_context_create", 7, null), host.Callbacks[0]);
            stream.Complete();
        }

        using (ProxyWasmHost host = ResumeViaStream())
        {
            Assert.True(host.StartPlugin());
            Assert.Equal(1u, host.RootContextId);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyWasmHost(typeof(HttpStreamHandleTests).Assembly, new HostOptions { FirstContextId = 0 }));
    }

    [Fact]
    public void Disposing_with_calls_unanswered_drops_their_routes_and_never_answers_them()
    {
        int logs;
        using (ProxyWasmHost host = new(typeof(MultipleDispatches).Assembly, new HostOptions { RootId = "multiple_dispatches" }))
        {
            HttpStreamContext stream = host.CreateHttpStream();
            stream.OnResponseHeaders(new HeaderList(new[] { (":status", "200") }), endOfStream: true);
            Assert.Equal(10, host.PendingHttpCalls.Count);
            Assert.Equal(10, ProxyWasm.Generated.Callouts.Pending(ProxyWasm.Generated.CalloutKind.Http));
            logs = host.Logs.Count;
            host.Dispose();

            Assert.Empty(host.PendingHttpCalls);
            Assert.Equal(10, host.HttpCalls.Count);
            Assert.Equal(logs, host.Logs.Count);
            Assert.DoesNotContain(host.Callbacks, c => c.Export == "proxy_on_http_call_response");
        }

        Assert.Equal(0, ProxyWasm.Generated.Callouts.Pending(ProxyWasm.Generated.CalloutKind.Http));
    }
}
