using System.Collections.Generic;
using System.Linq;
using System.Text;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The Properties sample's native module in the C host: the route's <c>auth</c> metadata property names a request
/// header the request must carry; without the property the request continues, with it a request lacking that header
/// gets a local 401 (gRPC status 16), and every stream logs <c>&lt;id&gt; finished</c> on <c>proxy_on_log</c> (the
/// in-process counterpart: tests/ProxyWasm.Samples.Tests/PropertiesTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class PropertiesNativeTests(NativeBuild build)
{
    private const uint Stream = 2;
    private const int Info = 2;
    private const string AuthPath = "route_metadata\0filter_metadata\0envoy.filters.http.wasm\0auth";

    private static readonly List<(string Name, string Value)> Response = [(":status", "200")];

    [SkippableFact]
    public void Without_route_metadata_the_request_continues()
    {
        List<(string Name, string Value)> request = [(":path", "/three"), (":method", "GET")];
        HostRun run = Run(null, request);

        Assert.Equal([(Stream, Info, "no auth header for route"), (Stream, Info, "2 finished")], run.Logs());
        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal([("proxy_get_property", 1), ("proxy_get_log_level", 0), ("proxy_log", 0), ("proxy_get_log_level", 0), ("proxy_log", 0)], run.HostCalls());
        Assert.Equal(request, run.Upstream(Stream));
        Assert.Equal(Response, run.Downstream(Stream));
        Assert.Equal(["proxy_on_context_create", "proxy_on_request_headers", "proxy_on_log", "proxy_on_delete"], run.CallbacksOn(Stream));
    }

    [SkippableTheory]
    [InlineData("cookie", "cookie", "value")]
    [InlineData("authorization", "Authorization", "token")]
    public void A_request_with_the_header_the_route_names_continues(string auth, string header, string value)
    {
        List<(string Name, string Value)> request = [(":path", "/one"), (header, value)];
        HostRun run = Run(auth, request);

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal([(Stream, Info, $"auth header is \"{auth}\""), (Stream, Info, "2 finished")], run.Logs());
        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal([(":path", "/one"), (header.ToLowerInvariant(), value)], run.Upstream(Stream));
        Assert.Equal(Response, run.Downstream(Stream));
        Assert.Empty(run.LocalResponses(Stream));
    }

    [SkippableTheory]
    [InlineData("cookie", "x-cookie")]
    [InlineData("authorization", null)]
    public void A_request_without_it_gets_a_local_401_with_grpc_status_16(string auth, string? otherHeader)
    {
        List<(string Name, string Value)> request = [(":path", "/two")];
        if (otherHeader is not null)
        {
            request.Add((otherHeader, "v"));
        }

        HostRun run = Run(auth, request);

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal([(Stream, Info, $"auth header is \"{auth}\""), (Stream, Info, "2 finished")], run.Logs());
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal(["2", "401", "", "", "16"], Assert.Single(run.LocalResponses(Stream)).Fields);
        Assert.Empty(run.LocalResponseHeaders(Stream));
        Assert.Equal([(":status", "401")], run.Downstream(Stream));
        Assert.Empty(run.Upstream(Stream));
        Assert.Equal(["proxy_on_context_create", "proxy_on_request_headers", "proxy_on_log", "proxy_on_delete"], run.CallbacksOn(Stream));
    }

    [SkippableFact]
    public void Each_stream_logs_its_own_context_id()
    {
        HostRun run = HostRun.Execute(build, build.Published("Properties").Library,
            new HostInput { RootId = "properties", Streams = 3, RequestHeaders = [(":path", "/")], ResponseHeaders = Response });

        Assert.Equal(["2 finished", "3 finished", "4 finished"], run.Logs().Where(l => l.Message.EndsWith(" finished")).Select(l => l.Message));
        Assert.Equal([2u, 3u, 4u], run.Logs().Where(l => l.Message.EndsWith(" finished")).Select(l => l.Context));
    }

    private HostRun Run(string? auth, List<(string Name, string Value)> request) =>
        HostRun.Execute(build, build.Published("Properties").Library, new HostInput
        {
            RootId = "properties",
            RequestHeaders = request,
            ResponseHeaders = Response,
            Properties = auth is null ? [] : [(AuthPath, Encoding.UTF8.GetBytes(auth))],
        });
}
