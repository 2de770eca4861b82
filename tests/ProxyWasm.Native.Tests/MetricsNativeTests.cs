using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The Metrics sample's native module in the C host (host/host_state.c keeps Envoy's metrics): a counter per value of
/// <c>my-custom-header</c>, defined once (the plugin caches it) and incremented per request; other requests define
/// nothing (the in-process counterpart: tests/ProxyWasm.Samples.Tests/MetricsSampleTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class MetricsNativeTests(NativeBuild build)
{
    private const string Foo = "custom_header_value_counts_value=foo_reporter=wasmgosdk";

    [SkippableFact]
    public void Three_requests_with_foo_define_one_counter_and_count_three()
    {
        List<(string Name, string Value)> request = [(":authority", "example.com"), (":path", "/"), ("my-custom-header", "foo")];
        HostRun run = Run(new HostInput { RootId = "metrics", Streams = 3, RequestHeaders = request, ResponseHeaders = [(":status", "200")] });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal([(4u, "counter", Foo, 3ul)], run.Metrics());
        Assert.Equal(["4", "counter", Foo], Assert.Single(run.OfKind("metric_defined")).Fields);

        // Defined on the first request only; each request increments once.
        Assert.Equal(1, run.HostCalls().Count(c => c.Function == "proxy_define_metric"));
        Assert.Equal(3, run.HostCalls().Count(c => c.Function == "proxy_increment_metric"));
        Assert.Empty(run.Logs());
        foreach (uint stream in new uint[] { 2, 3, 4 })
        {
            Assert.Equal("0", run.Result(stream, "proxy_on_request_headers"));
            Assert.Equal(request, run.Upstream(stream));
        }
    }

    [SkippableFact]
    public void An_empty_value_is_a_value()
    {
        HostRun run = Run(new HostInput { RootId = "metrics", Streams = 2, RequestHeaders = [(":path", "/"), ("my-custom-header", "")] });
        Assert.Equal([(4u, "counter", "custom_header_value_counts_value=_reporter=wasmgosdk", 2ul)], run.Metrics());
    }

    [SkippableFact]
    public void Requests_without_the_header_define_nothing()
    {
        HostRun run = Run(new HostInput { RootId = "metrics", Streams = 2, RequestHeaders = [(":path", "/"), ("my-other-header", "foo")] });

        Assert.Empty(run.Metrics());
        Assert.DoesNotContain(run.HostCalls(), c => c.Function.Contains("metric", System.StringComparison.Ordinal));
        Assert.Equal("0", run.Result(2, "proxy_on_request_headers"));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("Metrics").Library, input);
}
