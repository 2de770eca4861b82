using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The HttpConfig sample's native module in the C host: the plugin configuration kept at proxy_on_configure (always
/// accepted) and added to every response as <c>custom-header</c> (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/HttpConfigTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class HttpConfigNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const string EnvoyConfiguration = "The secret to life is meaningless unless you discover it yourself";

    private static readonly List<(string Name, string Value)> Request = [(":authority", "localhost:10000"), (":path", "/"), (":method", "GET")];

    private static readonly List<(string Name, string Value)> Response = [(":status", "200"), ("content-type", "text/plain")];

    [SkippableFact]
    public void The_configuration_is_added_as_custom_header()
    {
        HostRun run = Run(new HostInput { RootId = "http_config", PluginConfiguration = EnvoyConfiguration, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal(("1,65", "1"), run.Calls().Where(c => c.Callback == "proxy_on_configure").Select(c => (c.Arguments, c.Result)).Single());
        Assert.Equal([.. Response, ("custom-header", EnvoyConfiguration)], run.Downstream(Stream));
        Assert.Equal(Request, run.Upstream(Stream));
        Assert.Contains(("proxy_add_header_map_value", 0), run.HostCalls());
        Assert.DoesNotContain(run.HostCalls(), c => c.Function == "proxy_replace_header_map_value");
        Assert.Empty(run.Logs());
    }

    [SkippableFact]
    public void Without_a_configuration_an_empty_value_is_added()
    {
        HostRun run = Run(new HostInput { RootId = "http_config", RequestHeaders = Request, ResponseHeaders = Response });

        Assert.Equal(("1,0", "1"), run.Calls().Where(c => c.Callback == "proxy_on_configure").Select(c => (c.Arguments, c.Result)).Single());
        Assert.Empty(run.OfKind("plugin_rejected"));
        Assert.Equal([.. Response, ("custom-header", "")], run.Downstream(Stream));
    }

    [SkippableFact]
    public void The_header_is_added_next_to_an_upstream_one_on_every_stream()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "http_config",
            PluginConfiguration = "mine",
            Streams = 3,
            RequestHeaders = Request,
            ResponseHeaders = [.. Response, ("custom-header", "upstream")],
        });

        foreach (uint stream in new uint[] { 2, 3, 4 })
        {
            Assert.Equal([.. Response, ("custom-header", "upstream"), ("custom-header", "mine")], run.Downstream(stream));
        }
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("HttpConfig").Library, input);
}
