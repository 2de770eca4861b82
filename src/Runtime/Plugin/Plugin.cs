using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>The plugin (root context) side of the ABI: configuration bytes and the timer.</summary>
public static class Plugin
{
    /// <summary>The plugin configuration (<c>proxy_get_buffer_bytes(PLUGIN_CONFIGURATION)</c>), valid in
    /// <c>proxy_on_configure</c> until it returns. Bytes as configured (Envoy: the <c>configuration</c> value; often JSON).</summary>
    /// <returns>The bytes, or empty when there is none or the host reports an error.</returns>
    public static ReadOnlySpan<byte> GetConfiguration() => Buffers.GetBytes(BufferType.PluginConfiguration, 0, int.MaxValue);

    /// <summary>The VM configuration (<c>proxy_get_buffer_bytes(VM_CONFIGURATION)</c>), valid in
    /// <c>proxy_on_vm_start</c> until it returns.</summary>
    /// <returns>The bytes, or empty when there is none or the host reports an error.</returns>
    public static ReadOnlySpan<byte> GetVmConfiguration() => Buffers.GetBytes(BufferType.VmConfiguration, 0, int.MaxValue);

    /// <summary>Calls the plugin's <c>[OnTick]</c> method every <paramref name="milliseconds"/> ms; 0 stops the timer
    /// (<c>proxy_set_tick_period_milliseconds</c>). Call it from a plugin hook (the timer belongs to the current root context).</summary>
    /// <returns>Ok.</returns>
    public static ProxyStatus SetTickPeriod(uint milliseconds) => HostCalls.proxy_set_tick_period_milliseconds(milliseconds);
}
