using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The HttpRouting sample's native module in the C host: the configuration's first byte as dice override, random
/// numbers seeded from the host clock otherwise, and the <c>-canary</c> authority for even numbers (the in-process
/// counterpart: tests/ProxyWasm.Samples.Tests/HttpRoutingTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class HttpRoutingNativeTests(NativeBuild build)
{
    private const int Info = 2;
    private const int Critical = 5;

    private static readonly List<(string Name, string Value)> Request = [(":authority", "my-host.com"), (":method", "GET"), (":path", "/")];

    [SkippableFact]
    public void An_even_override_routes_to_the_canary()
    {
        HostRun run = Run(new HostInput { RootId = "http_routing", PluginConfiguration = "\x02", RequestHeaders = Request });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("1", run.Result(1, "proxy_on_configure"));
        Assert.Equal("0", run.Result(2, "proxy_on_request_headers"));
        // Replace = remove, then add (the host's header semantics): the new value comes last.
        Assert.Equal([(":method", "GET"), (":path", "/"), (":authority", "my-host.com-canary")], run.Upstream(2));
        Assert.Equal([(2u, Info, "value: 2\n")], run.Logs());
    }

    [SkippableFact]
    public void An_odd_override_leaves_the_authority()
    {
        HostRun run = Run(new HostInput { RootId = "http_routing", PluginConfiguration = "\x01", RequestHeaders = Request });
        Assert.Equal(Request, run.Upstream(2));
        Assert.Equal([(2u, Info, "value: 1\n")], run.Logs());
    }

    [SkippableFact]
    public void Without_an_override_random_numbers_pick_the_route_and_follow_the_host_clock()
    {
        HostInput input = new() { RootId = "http_routing", Streams = 60, RequestHeaders = Request, ClockNanoseconds = 1_700_000_000_123_456_789 };
        HostRun run = Run(input);

        var values = run.Logs().Select(l =>
        {
            Assert.Equal(Info, l.Level);
            Assert.StartsWith("value: ", l.Message, System.StringComparison.Ordinal);
            Assert.EndsWith("\n", l.Message, System.StringComparison.Ordinal);
            return (l.Context, Value: uint.Parse(l.Message["value: ".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture));
        }).ToList();
        Assert.Equal(60, values.Count);
        foreach ((uint context, uint value) in values)
        {
            Assert.Equal(value % 2 == 0 ? "my-host.com-canary" : "my-host.com", run.Upstream(context).Single(h => h.Name == ":authority").Value);
        }

        Assert.Contains(values, v => v.Value % 2 == 0);
        Assert.Contains(values, v => v.Value % 2 == 1);
        Assert.True(values.Select(v => v.Value).Distinct().Count() > 55);

        // The same clock gives the same numbers; another clock others.
        Assert.Equal(run.Logs(), Run(input).Logs());
        Assert.NotEqual(run.Logs(), Run(new HostInput { RootId = "http_routing", Streams = 60, RequestHeaders = Request, ClockNanoseconds = 1_700_000_001_000_000_000 }).Logs());
    }

    [SkippableFact]
    public void An_even_number_without_authority_logs_critical_and_the_request_stays_paused()
    {
        HostRun run = Run(new HostInput { RootId = "http_routing", PluginConfiguration = "\x04", RequestHeaders = [(":path", "/")] });

        Assert.Equal("1", run.Result(2, "proxy_on_request_headers"));
        Assert.Equal([(2u, Info, "value: 4\n"), (2u, Critical, "failed to get request header: ':authority'")], run.Logs());
        Assert.Equal(["2", "1"], Assert.Single(run.OfKind("request_stopped")).Fields);
        Assert.Empty(run.Upstream(2));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("HttpRouting").Library, input);
}
