using System;
using System.Collections.Generic;

namespace ProxyWasm.Testing;

/// <summary>How a <see cref="ProxyWasmHost"/> is configured, as Envoy's <c>envoy.filters.http.wasm</c> config would be.</summary>
public sealed class HostOptions
{
    /// <summary>The default plugin's root id (Envoy <c>root_id</c>), returned as property <c>plugin_root_id</c> during
    /// its callbacks (other plugins: <see cref="PluginOptions.RootId"/>). Default <c>""</c>
    /// (Envoy's default); a module with one filter serves any root id.</summary>
    public string RootId { get; init; } = string.Empty;

    /// <summary>The VM id (property <c>plugin_vm_id</c>). One host is one VM: every plugin of the host
    /// (<see cref="ProxyWasmHost.AddPlugin"/>) shares it, and the module's shared queues are registered under it
    /// (<c>proxy_resolve_shared_queue(vm_id, name)</c> finds them by it).</summary>
    public string VmId { get; init; } = string.Empty;

    /// <summary>The id of the host's first context, the root context; streams are numbered after it. Default 1.
    /// Envoy numbers contexts per VM, so a plugin that shares its VM with another (the same module installed twice)
    /// gets a later id, e.g. 2.</summary>
    public uint FirstContextId { get; init; } = 1;

    /// <summary>Plugin configuration bytes (buffer type 7), read in <c>proxy_on_configure</c>.</summary>
    public byte[] PluginConfiguration { get; init; } = Array.Empty<byte>();

    /// <summary>VM configuration bytes (buffer type 6), read in <c>proxy_on_vm_start</c>.</summary>
    public byte[] VmConfiguration { get; init; } = Array.Empty<byte>();

    /// <summary>The host's log level (<c>proxy_get_log_level</c>). Default <see cref="LogLevel.Trace"/>: everything is logged.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Trace;

    /// <summary>Extra properties by path; segments joined with <c>'\0'</c>, e.g. <c>"source\0address"</c>; values encoded
    /// as Envoy does (<see cref="PropertyValue"/>). Answered for every path that <see cref="ProxyWasmHost.SetProperty"/>,
    /// the module (<c>proxy_set_property</c>) and the attributes derived from the stream and plugin do not answer (the
    /// order is in ProxyWasmHost.Properties.cs).</summary>
    public IDictionary<string, byte[]> Properties { get; init; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);

    /// <summary>Foreign functions (<c>proxy_call_foreign_function</c>) by name.</summary>
    public IDictionary<string, Func<byte[], byte[]>> ForeignFunctions { get; init; } = new Dictionary<string, Func<byte[], byte[]>>(StringComparer.Ordinal);

    /// <summary>The upstream clusters <c>proxy_http_call</c> may name; a call to any other gets BadArgument, as in
    /// Envoy. <see langword="null"/> (default): every cluster exists.</summary>
    public IReadOnlyCollection<string>? Clusters { get; init; }

    /// <summary>Wall clock for <c>proxy_get_current_time_nanoseconds</c>, to its 100 ns resolution. Default: the system clock.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>Envoy's failure policy for a failed VM (<c>PluginConfig.failure_policy</c> / <c>fail_open</c>, Istio
    /// <c>WasmPlugin.failStrategy</c>): <see langword="false"/> (default, FAIL_CLOSED) answers each later stream with a
    /// local 503 (<see cref="ProxyWasmHost.FailStreamDetails"/>) and closes each later connection; <see langword="true"/>
    /// (FAIL_OPEN) lets them pass unfiltered. Only a <c>.wasm</c> module's VM fails (a trap); see
    /// <see cref="ProxyWasmHost.VmFailure"/>.</summary>
    public bool FailOpen { get; init; }

    /// <summary>
    /// Fault injection: transforms every serialized pairs buffer the host hands to the module
    /// (<c>proxy_get_header_map_pairs</c>), e.g. to truncate it. Tests the module's handling of malformed host data.
    /// </summary>
    public Func<byte[], byte[]>? PairsTransform { get; init; }
}
