using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The VmPluginConfiguration sample's native module in the C host: the VM configuration logged at VM start and the
/// plugin configuration at configure, verbatim; empty ones as Go's "not found" (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/VmPluginConfigurationTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class VmPluginConfigurationNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const int Info = 2;
    private const int Critical = 5;

    [SkippableFact]
    public void Both_configurations_are_logged_verbatim_at_their_start_callbacks()
    {
        const string vm = "{\n  \"name\": \"vm configuration\"\n}";
        const string plugin = "{\n  \"name\": \"plugin configuration\"\n}";
        HostRun run = Run(new HostInput { RootId = "vm_plugin_configuration", VmConfiguration = vm, PluginConfiguration = plugin, Streams = 1, RequestHeaders = [(":path", "/")] });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("1", run.Result(Root, "proxy_on_vm_start"));
        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal([(Root, Info, "vm config: " + vm), (Root, Info, "plugin config: " + plugin)], run.Logs());

        // The log lines come from their own callbacks, VM start first.
        var records = run.Records.ToList();
        int vmStart = records.FindIndex(r => r.Kind == "call" && r.Fields[1] == "proxy_on_vm_start");
        int configure = records.FindIndex(r => r.Kind == "call" && r.Fields[1] == "proxy_on_configure");
        int vmLog = records.FindIndex(r => r.Kind == "log" && r.Fields[2].StartsWith("vm config", System.StringComparison.Ordinal));
        int pluginLog = records.FindIndex(r => r.Kind == "log" && r.Fields[2].StartsWith("plugin config", System.StringComparison.Ordinal));
        Assert.True(vmLog < vmStart && vmStart < pluginLog && pluginLog < configure, run.Dump());
        Assert.Equal([(":path", "/")], run.Upstream(2));
    }

    [SkippableFact]
    public void Empty_configurations_are_reported_as_not_found_and_the_plugin_starts()
    {
        HostRun run = Run(new HostInput { RootId = "vm_plugin_configuration", Streams = 0 });

        Assert.Equal("1", run.Result(Root, "proxy_on_vm_start"));
        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal([
            (Root, Critical, "error reading vm configuration: error status returned by host: not found"),
            (Root, Info, "vm config: "),
            (Root, Critical, "error reading plugin configuration: error status returned by host: not found"),
            (Root, Info, "plugin config: "),
        ], run.Logs());
        Assert.Empty(run.OfKind("plugin_rejected"));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("VmPluginConfiguration").Library, input);
}
