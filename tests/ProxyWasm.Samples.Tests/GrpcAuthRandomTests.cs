using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Rust SDK's grpc_auth_random, in the in-process host: non-gRPC clients, the reflection API, the unary
/// gRPC callout and its answers (a message, a close with an even or odd status), answers after the stream ended.</summary>
public sealed class GrpcAuthRandomTests
{
    private static ProxyWasmHost Host() => new(typeof(GrpcAuthRandom).Assembly, new HostOptions { RootId = "grpc_auth_random" });

    private static HeaderList Grpc(string path = "/hello.HelloService/SayHello") => new(new[]
    {
        (":authority", "localhost:10000"), (":path", path), (":method", "POST"), (":scheme", "http"),
        ("content-type", "application/grpc"), ("te", "trailers"),
    });

    [Fact]
    public void A_client_that_is_not_grpc_gets_503_with_powered_by()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Null(exchange.Upstream);
        LocalResponse local = Assert.IsType<LocalResponse>(exchange.LocalResponse);
        Assert.Equal(503u, local.StatusCode);
        Assert.Equal("Service accessible only to gRPC clients.\n", local.BodyText);
        Assert.Equal("proxy-wasm", local.Headers.Get("Powered-By"));
        Assert.Equal(-1, local.GrpcStatus);
        Assert.Equal("proxy-wasm", exchange.Response!.Headers.Get("powered-by"));
        Assert.Empty(host.GrpcCalls);
    }

    [Fact]
    public void The_reflection_api_passes_without_a_callout()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Grpc("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")));

        Assert.NotNull(exchange.Upstream);
        Assert.Empty(host.GrpcCalls);
        Assert.Equal("proxy-wasm", exchange.Response!.Headers.Get("powered-by"));
    }

    [Fact]
    public void A_grpc_request_waits_for_a_unary_call_to_RandomError()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();

        Assert.Equal(FilterHeadersStatus.StopIteration, stream.OnRequestHeaders(Grpc(), endOfStream: false));
        GrpcCallRecord call = Assert.Single(host.PendingGrpcCalls);
        Assert.Equal(("grpcbin", "grpcbin.GRPCBin", "RandomError", 1000u), (call.Upstream, call.Service, call.Method, call.TimeoutMilliseconds));
        Assert.False(call.IsStream);
        Assert.Equal(stream.ContextId, call.ContextId);
        Assert.Equal(0, call.InitialMetadata.Count);
        Assert.Empty(Assert.Single(call.Messages));
        Assert.Equal(0, stream.RequestResumeCount);
        stream.Complete();
    }

    [Fact]
    public void A_message_is_status_OK_and_grants_access()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Grpc(), endOfStream: false);
        host.RespondToGrpcCall(host.PendingGrpcCalls[0].Token, new byte[] { 0x0a, 0x02, 0x6f, 0x6b });

        Assert.Equal(1, stream.RequestResumeCount);
        Assert.Null(stream.LocalResponse);
        Assert.Empty(host.PendingGrpcCalls);
        Assert.Contains(host.Logs, l => l.Level == LogLevel.Info && l.Message == "Access granted.");
        stream.Complete();
    }

    [Theory]
    [InlineData(GrpcStatus.InvalidArgument)] // 3
    [InlineData(GrpcStatus.DeadlineExceeded)] // 4
    [InlineData(GrpcStatus.Aborted)] // 10
    [InlineData(GrpcStatus.Unavailable)] // 14
    [InlineData(GrpcStatus.Unauthenticated)] // 16
    public void A_close_decides_by_the_parity_of_its_status(GrpcStatus status)
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Grpc(), endOfStream: false);
        host.CloseGrpcCall(host.PendingGrpcCalls[0].Token, status, "random error");

        if ((int)status % 2 == 0)
        {
            Assert.Equal(1, stream.RequestResumeCount);
            Assert.Null(stream.LocalResponse);
            Assert.Contains(host.Logs, l => l.Message == "Access granted.");
        }
        else
        {
            Assert.Equal(0, stream.RequestResumeCount);
            LocalResponse local = Assert.IsType<LocalResponse>(stream.LocalResponse);
            Assert.Equal(200u, local.StatusCode);
            Assert.Equal("Aborted by Proxy-Wasm!", local.BodyText);
            Assert.Equal((int)GrpcStatus.Aborted, local.GrpcStatus);
            Assert.Equal("proxy-wasm", local.Headers.Get("Powered-By"));
            Assert.Contains(host.Logs, l => l.Message == "Access forbidden.");
        }

        stream.Complete();
    }

    [Fact]
    public void A_call_that_cannot_be_dispatched_is_answered_as_for_an_odd_status()
    {
        // Envoy refuses a call to an unknown cluster with ParseFailure; the Rust example panics, this one forbids.
        using var host = new ProxyWasmHost(typeof(GrpcAuthRandom).Assembly, new HostOptions { RootId = "grpc_auth_random", Clusters = ["other"] });
        HttpStreamContext stream = host.CreateHttpStream();

        Assert.Equal(FilterHeadersStatus.StopIteration, stream.OnRequestHeaders(Grpc(), endOfStream: false));
        Assert.Empty(host.GrpcCalls);
        Assert.Equal(0, stream.RequestResumeCount);
        LocalResponse local = Assert.IsType<LocalResponse>(stream.LocalResponse);
        Assert.Equal((200u, "Aborted by Proxy-Wasm!", (int)GrpcStatus.Aborted), (local.StatusCode, local.BodyText, local.GrpcStatus));
        Assert.Contains(host.Logs, l => l.Message == "Access forbidden.");
        Assert.DoesNotContain(host.Logs, l => l.Message == "Access granted.");
        stream.Complete();
    }

    [Fact]
    public void Answers_route_to_their_own_streams_and_late_ones_are_dropped()
    {
        using ProxyWasmHost host = Host();
        HttpStreamContext first = host.CreateHttpStream();
        HttpStreamContext second = host.CreateHttpStream();
        first.OnRequestHeaders(Grpc(), endOfStream: false);
        second.OnRequestHeaders(Grpc(), endOfStream: false);
        uint firstToken = host.PendingGrpcCalls.Single(c => c.ContextId == first.ContextId).Token;
        uint secondToken = host.PendingGrpcCalls.Single(c => c.ContextId == second.ContextId).Token;

        host.CloseGrpcCall(secondToken, GrpcStatus.Cancelled);
        Assert.Equal(0, second.RequestResumeCount);
        Assert.Equal((int)GrpcStatus.Aborted, second.LocalResponse?.GrpcStatus);
        Assert.Null(first.LocalResponse);

        first.Complete();
        host.RespondToGrpcCall(firstToken, []);
        Assert.Contains(host.Logs, l => l.Level == LogLevel.Debug && l.Message.Contains("proxy_on_grpc_receive dropped", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs, l => l.Message == "Access granted.");
        second.Complete();
        Assert.Equal(0, ProxyWasm.Generated.Callouts.Pending(ProxyWasm.Generated.CalloutKind.Grpc));
        Assert.Equal(0, HostMemory.LiveBlocks);
    }
}
