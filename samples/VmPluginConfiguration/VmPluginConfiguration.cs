using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>vm_plugin_configuration</c>: streams pass untouched; the plugin (<see cref="VmPluginConfigurationPlugin"/>)
/// logs its VM configuration at VM start and its plugin configuration at configure.
/// </summary>
[HttpFilter("vm_plugin_configuration", Plugin = typeof(VmPluginConfigurationPlugin))]
public partial class VmPluginConfiguration
{
}

/// <summary>
/// The plugin (one per root context) of <see cref="VmPluginConfiguration"/>. At VM start it logs info
/// <c>vm config: &lt;bytes&gt;</c> and at configure info <c>plugin config: &lt;bytes&gt;</c>, each configuration verbatim
/// (newlines and any other bytes included), and always starts. As in the Go SDK, an empty configuration reads as
/// "not found": it first logs critical <c>error reading vm configuration: error status returned by host: not found</c>
/// (or <c>error reading plugin configuration: …</c>) and then the info line with nothing after the colon and space.
/// </summary>
/// <remarks>
/// Where the port differs: the runtime's configuration parameter is empty both for an empty configuration and for a
/// failed read, so every failure is reported as Go reports the usual one, <c>not found</c>.
/// </remarks>
public sealed class VmPluginConfigurationPlugin
{
    /// <summary>Logs the VM configuration.</summary>
    [OnVmStart]
    public bool OnVmStart(ReadOnlySpan<byte> configuration)
    {
        LogConfiguration("error reading vm configuration: "u8, "vm config: "u8, configuration);
        return true;
    }

    /// <summary>Logs the plugin configuration.</summary>
    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        LogConfiguration("error reading plugin configuration: "u8, "plugin config: "u8, configuration);
        return true;
    }

    private static void LogConfiguration(ReadOnlySpan<byte> errorPrefix, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> configuration)
    {
        if (configuration.IsEmpty)
        {
            var error = new Utf8ValueBuilder(stackalloc byte[96]);
            error.Append(errorPrefix);
            error.Append("error status returned by host: not found"u8);
            Log.Critical(error.AsSpan());
            error.Dispose();
        }

        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append(prefix);
        line.Append(configuration);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}
