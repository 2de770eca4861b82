using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's vm_plugin_configuration (samples/VmPluginConfiguration), in the in-process host: both
/// configurations logged verbatim; an empty one logged as Go's "not found" first.</summary>
public sealed class VmPluginConfigurationTests
{
    private static ProxyWasmHost Host(string vm, string plugin) => new(typeof(VmPluginConfiguration).Assembly, new HostOptions
    {
        RootId = "vm_plugin_configuration",
        VmConfiguration = Encoding.UTF8.GetBytes(vm),
        PluginConfiguration = Encoding.UTF8.GetBytes(plugin),
    });

    [Fact]
    public void Plugin_start_logs_the_plugin_configuration()
    {
        // The Go unit test: plugin config "tinygo plugin configuration" -> StartPlugin OK and the log line.
        using ProxyWasmHost host = Host("tinygo vm configuration", "tinygo plugin configuration");
        Assert.True(host.StartPlugin());
        Assert.True(host.VmStartResult);
        Assert.True(host.ConfigureResult);
        Assert.Equal(new[]
        {
            new LogEntry(LogLevel.Info, "vm config: tinygo vm configuration"),
            new LogEntry(LogLevel.Info, "plugin config: tinygo plugin configuration"),
        }, host.Logs);
    }

    [Fact]
    public void Multi_line_json_is_logged_verbatim()
    {
        // The example's envoy.yaml: both are multi-line JSON StringValues.
        const string vm = "{\n  \"name\": \"vm configuration\"\n}\n";
        const string plugin = "{\n  \"name\": \"plugin configuration\"\n}\n";
        using ProxyWasmHost host = Host(vm, plugin);
        Assert.True(host.StartPlugin());
        Assert.Equal(new[] { "vm config: " + vm, "plugin config: " + plugin }, host.Logs.Select(l => l.Message));
        Assert.Contains("name\": \"vm configuration", host.Logs[0].Message, StringComparison.Ordinal);
        Assert.Contains("name\": \"plugin configuration", host.Logs[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_configuration_is_logged_as_not_found_and_the_plugin_still_starts()
    {
        using ProxyWasmHost host = Host("", "");
        Assert.True(host.StartPlugin());
        Assert.Equal(new[]
        {
            new LogEntry(LogLevel.Critical, "error reading vm configuration: error status returned by host: not found"),
            new LogEntry(LogLevel.Info, "vm config: "),
            new LogEntry(LogLevel.Critical, "error reading plugin configuration: error status returned by host: not found"),
            new LogEntry(LogLevel.Info, "plugin config: "),
        }, host.Logs);
    }

    [Fact]
    public void Only_the_empty_one_is_reported()
    {
        using ProxyWasmHost host = Host("vm", "");
        Assert.True(host.StartPlugin());
        Assert.Equal(new[] { "vm config: vm", "error reading plugin configuration: error status returned by host: not found", "plugin config: " },
            host.Logs.Select(l => l.Message));
    }

    [Fact]
    public void Streams_pass_untouched_and_log_nothing()
    {
        using ProxyWasmHost host = Host("vm", "plugin");
        Assert.True(host.StartPlugin());
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.Equal(Requests.Curl().Select(h => (h.NameText, h.ValueText)), exchange.Upstream!.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Null(exchange.LocalResponse);
        Assert.Empty(exchange.Logs);
        Assert.Equal(2, host.Logs.Count);
    }
}
