using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The C host's properties, probed by a module written in C (host/properties_probe.c): request.path, method and host
/// and response.code derived from the stream as Envoy (and the in-process host) derive them, NotFound on the root
/// context, configured properties (the <c>property</c> key) overriding them, and proxy_set_property printed and kept.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class PropertiesHostTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;

    private static HostInput Input(Dictionary<string, byte[]>? properties = null) => new()
    {
        RootId = "probe_root",
        RequestHeaders = [(":path", "/a?b=1"), (":method", "POST"), (":authority", "example.com")],
        ResponseHeaders = [(":status", "201")],
        Properties = (properties ?? new Dictionary<string, byte[]>(StringComparer.Ordinal)).Select(p => (p.Key, p.Value)).ToList(),
    };

    [SkippableFact]
    public void Request_and_response_attributes_are_derived_from_the_stream_and_not_found_on_the_root_context()
    {
        HostRun run = Run(Input());

        var logs = run.Logs();
        Assert.Contains((Root, 2, "root request.path: status 1 ''"), logs);
        Assert.Contains((Root, 2, "root plugin_root_id: status 0 'probe_root'"), logs);
        Assert.Contains((Stream, 2, "request request.path: status 0 '/a?b=1'"), logs);
        Assert.Contains((Stream, 2, "request request.method: status 0 'POST'"), logs);
        Assert.Contains((Stream, 2, "request request.host: status 0 'example.com'"), logs);
        Assert.Contains((Stream, 2, "request response.code: status 1 ''"), logs);
        Assert.Contains((Stream, 2, "request source.address: status 1 ''"), logs);
        Assert.Contains((Stream, 2, "request unknown.path: status 1 ''"), logs);
        Assert.Contains((Stream, 2, "response response.code: status 0 int 201"), logs);
    }

    [SkippableFact]
    public void Configured_properties_are_answered_and_override_derived_ones()
    {
        HostRun run = Run(Input(new(StringComparer.Ordinal)
        {
            ["source\0address"] = "10.0.0.7:5555"u8.ToArray(),
            ["source\0port"] = BitConverter.GetBytes(5555L),
            ["request\0path"] = "/configured"u8.ToArray(),
        }));

        var logs = run.Logs();
        Assert.Contains((Stream, 2, "request source.address: status 0 '10.0.0.7:5555'"), logs);
        Assert.Contains((Stream, 2, "request source.port: status 0 int 5555"), logs);
        Assert.Contains((Stream, 2, "request request.path: status 0 '/configured'"), logs);
        Assert.Contains((Root, 2, "root request.path: status 0 '/configured'"), logs);
    }

    [SkippableFact]
    public void Set_property_is_recorded_and_read_back_on_its_context()
    {
        HostRun run = Run(Input());

        Assert.Equal([(Stream, "filter_state\0probe", "v1")], run.SetProperties());
        var logs = run.Logs();
        Assert.Contains((Stream, 2, "set filter_state.probe: status 0"), logs);
        Assert.Contains((Stream, 2, "request filter_state.probe: status 0 'v1'"), logs);
        Assert.Contains(("proxy_set_property", 0), run.HostCalls());
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.PropertiesProbe(), input);
}
