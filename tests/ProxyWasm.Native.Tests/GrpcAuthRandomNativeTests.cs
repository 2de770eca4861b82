using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The GrpcAuthRandom sample's native module in the C host: the content-type gate, the reflection API, the unary gRPC
/// call it makes from proxy_on_request_headers, the answer the host delivers on the root context while the stream is
/// paused (a message, or a close with an even or odd status), and what the filter does with it (the in-process
/// counterpart: tests/ProxyWasm.Samples.Tests/GrpcAuthRandomTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class GrpcAuthRandomNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const string Aborted = "Aborted by Proxy-Wasm!";
    private const string GrpcOnly = "Service accessible only to gRPC clients.\n";

    private static List<(string Name, string Value)> Grpc(string path = "/hello.HelloService/SayHello") =>
        [(":authority", "localhost:10000"), (":path", path), (":method", "POST"), (":scheme", "http"), ("content-type", "application/grpc"), ("te", "trailers")];

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/grp")]
    public void A_client_that_is_not_grpc_gets_503_with_powered_by(string? contentType)
    {
        var request = new List<(string Name, string Value)> { (":authority", "localhost:10000"), (":path", "/"), (":method", "GET") };
        if (contentType is not null)
        {
            request.Add(("content-type", contentType));
        }

        HostRun run = Run(new HostInput { RootId = "grpc_auth_random", Clusters = ["grpcbin"], RequestHeaders = request, ResponseHeaders = [(":status", "200")] });

        HostRecord local = Assert.Single(run.LocalResponses(Stream));
        Assert.Equal(["2", "503", "", GrpcOnly, "-1"], local.Fields);
        Assert.Equal([("powered-by", "proxy-wasm")], run.LocalResponseHeaders(Stream));
        Assert.Equal([(":status", "503"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
        Assert.Equal(GrpcOnly, Assert.Single(run.OfKind("downstream_body")).Fields[1]);
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Empty(run.Upstream(Stream));
        Assert.Empty(run.GrpcCalls());
        Assert.Empty(run.GrpcAnswers());
    }

    [SkippableFact]
    public void The_reflection_api_passes_without_a_callout()
    {
        var request = Grpc("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo");
        HostRun run = Run(new HostInput { RootId = "grpc_auth_random", Clusters = ["grpcbin"], RequestHeaders = request, ResponseHeaders = [(":status", "200")] });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal(request, run.Upstream(Stream));
        Assert.Equal([(":status", "200"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
        Assert.Empty(run.GrpcCalls());
        Assert.Empty(run.LocalResponses(Stream));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)] // the module exports no metadata callback: the host drops the metadata, as cpp-host does
    public void A_message_grants_access_and_the_request_goes_upstream(bool withMetadata)
    {
        HostRun run = Run(new HostInput
        {
            RootId = "grpc_auth_random",
            Clusters = ["grpcbin"],
            RequestHeaders = Grpc(),
            ResponseHeaders = [(":status", "200"), ("content-type", "application/grpc")],
            GrpcResponseMessage = [0x0a, 0x02, 0x6f, 0x6b],
            GrpcInitialMetadata = withMetadata ? [("x-initial", "1")] : [],
            GrpcTrailingMetadata = withMetadata ? [("grpc-status", "0")] : [],
        });

        // Every host call succeeded: the call, the switch to the stream, the log, the resume, Powered-By.
        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Contains(("proxy_set_effective_context", 0), run.HostCalls());

        // The hook paused the request; the answer came on the root context: token 5, a 4-byte message.
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal([(Root, "proxy_on_grpc_receive", "1,5,4")], run.GrpcAnswers());
        Assert.Contains((Stream, 2, "Access granted."), run.Logs());
        Assert.DoesNotContain(run.Logs(), l => l.Message == "Access forbidden.");

        // The resumed request goes upstream unchanged, and the response carries Powered-By.
        Assert.Single(run.OfKind("request_resumed"));
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal(Grpc(), run.Upstream(Stream));
        Assert.Equal([(":status", "200"), ("content-type", "application/grpc"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
        Assert.Empty(run.PendingGrpcCalls());
    }

    [SkippableTheory]
    [InlineData(0u)] // OK
    [InlineData(4u)] // DeadlineExceeded
    [InlineData(10u)] // Aborted
    [InlineData(14u)] // Unavailable
    [InlineData(16u)] // Unauthenticated
    public void An_even_close_status_grants_access(uint status)
    {
        HostRun run = Run(new HostInput
        {
            RootId = "grpc_auth_random",
            Clusters = ["grpcbin"],
            RequestHeaders = Grpc(),
            ResponseHeaders = [(":status", "200")],
            GrpcClose = (status, "random error"),
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal([(Root, "proxy_on_grpc_close", $"1,5,{status}")], run.GrpcAnswers());
        Assert.Contains((Stream, 2, "Access granted."), run.Logs());
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal(Grpc(), run.Upstream(Stream));
        Assert.Equal([(":status", "200"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
    }

    [SkippableTheory]
    [InlineData(1u)] // Cancelled
    [InlineData(3u)] // InvalidArgument
    [InlineData(13u)] // Internal
    [InlineData(15u)] // DataLoss
    public void An_odd_close_status_answers_with_the_grpc_local_reply(uint status)
    {
        HostRun run = Run(new HostInput
        {
            RootId = "grpc_auth_random",
            Clusters = ["grpcbin"],
            RequestHeaders = Grpc(),
            ResponseHeaders = [(":status", "200")],
            GrpcClose = (status, "random error"),
        });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal([(Root, "proxy_on_grpc_close", $"1,5,{status}")], run.GrpcAnswers());
        AssertAborted(run);
    }

    [SkippableFact]
    public void Each_stream_makes_one_unary_call_to_grpcbin_RandomError_with_a_1s_deadline()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "grpc_auth_random",
            Streams = 3,
            RequestHeaders = Grpc(),
            ResponseHeaders = [(":status", "200")],
        });

        // Unary tokens of their own space (cpp-host: 5, 9, 13...), no metadata, an empty request message.
        IReadOnlyList<HostGrpcCall> calls = run.GrpcCalls();
        Assert.Equal([(Stream, 5u), (Stream + 1, 9u), (Stream + 2, 13u)], calls.Select(c => (c.Context, c.Token)));
        Assert.All(calls, call =>
        {
            Assert.False(call.IsStream);
            Assert.Equal(("grpcbin", "grpcbin.GRPCBin", "RandomError", 1000u), (call.Cluster, call.Service, call.Method, call.TimeoutMilliseconds));
            Assert.Empty(call.Metadata);
            Assert.Equal("", call.Message);
            Assert.Empty(call.Sends);
            Assert.Null(call.EndedBy);
        });
        Assert.Empty(run.HttpCalls());

        // By default the host answers each with an empty message (status OK): each stream is granted and goes upstream.
        Assert.Equal(["1,5,0", "1,9,0", "1,13,0"], run.GrpcAnswers().Select(a => a.Arguments));
        for (uint stream = Stream; stream < Stream + 3; stream++)
        {
            Assert.Contains((stream, 2, "Access granted."), run.Logs());
            Assert.Equal(Grpc(), run.Upstream(stream));
        }

        Assert.Empty(run.PendingGrpcCalls());
    }

    [SkippableFact]
    public void An_unknown_cluster_is_a_ParseFailure_and_the_request_is_answered_aborted()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "grpc_auth_random",
            Clusters = ["some_other_cluster"],
            RequestHeaders = Grpc(),
            ResponseHeaders = [(":status", "200")],
        });

        Assert.Contains(("proxy_grpc_call", 4), run.HostCalls()); // ParseFailure, as Envoy answers
        Assert.Empty(run.GrpcCalls());
        Assert.Empty(run.GrpcAnswers());
        AssertAborted(run);
    }

    private static void AssertAborted(HostRun run)
    {
        HostRecord local = Assert.Single(run.LocalResponses(Stream));
        Assert.Equal(["2", "200", "", Aborted, "10"], local.Fields);
        Assert.Equal([("powered-by", "proxy-wasm")], run.LocalResponseHeaders(Stream));
        Assert.Equal([(":status", "200"), ("powered-by", "proxy-wasm")], run.Downstream(Stream));
        Assert.Equal(Aborted, Assert.Single(run.OfKind("downstream_body")).Fields[1]);
        Assert.Contains((Stream, 2, "Access forbidden."), run.Logs());
        Assert.DoesNotContain(run.Logs(), l => l.Message == "Access granted.");

        // The request never reaches upstream, nothing resumed it, and no call is left behind.
        Assert.Empty(run.Upstream(Stream));
        Assert.Empty(run.OfKind("request_resumed"));
        Assert.Empty(run.OfKind("request_stopped"));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_response_headers");
        Assert.Empty(run.PendingGrpcCalls());
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("GrpcAuthRandom").Library, input);
}
