using System;
using ProxyWasm.Abi;
using ProxyWasm.Generated;

namespace ProxyWasm;

/// <summary>The plugin (root context) side of the ABI: configuration bytes, the timer and the running context id.</summary>
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

    /// <summary>
    /// The context id of the context whose callback is running, as the host numbers contexts: in a plugin hook
    /// (<c>[OnVmStart]</c>, <c>[OnConfigure]</c>, <c>[OnTick]</c>, the plugin's <c>[OnHttpCallResponse]</c>) the
    /// plugin's root context id (what the Go SDK passes to <c>NewPluginContext</c> as <c>contextID</c>); in a stream
    /// hook the stream's, as <see cref="HttpStream.ContextId"/> says. <see cref="HttpStream.MakeEffective"/> does not
    /// change it. Reading it calls no host function.
    /// </summary>
    public static uint CurrentContextId => Callouts.ActiveContextId;

    /// <summary>Calls the plugin's <c>[OnTick]</c> method every <paramref name="milliseconds"/> ms; 0 stops the timer
    /// (<c>proxy_set_tick_period_milliseconds</c>). Call it from a plugin hook (the timer belongs to the current root context).</summary>
    /// <returns>Ok.</returns>
    public static ProxyStatus SetTickPeriod(uint milliseconds) => HostCalls.proxy_set_tick_period_milliseconds(milliseconds);
}
