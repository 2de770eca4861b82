using System;
using System.Collections.Generic;

namespace ProxyWasm.Testing;

/// <summary>
/// How one more plugin (root context) of a <see cref="ProxyWasmHost"/> is configured, as one more
/// <c>envoy.filters.http.wasm</c> / <c>envoy.filters.network.wasm</c> entry that uses the same VM would be
/// (<see cref="ProxyWasmHost.AddPlugin"/>). The host's <see cref="HostOptions"/> configure the default plugin.
/// </summary>
public sealed class PluginOptions
{
    /// <summary>The root id (Envoy <c>root_id</c>): property <c>plugin_root_id</c> (and <c>plugin_name</c>) during this
    /// plugin's callbacks and its streams' callbacks; the module selects its filter by it. Default <c>""</c>.</summary>
    public string RootId { get; init; } = string.Empty;

    /// <summary>Plugin configuration bytes (buffer type 7, <c>PLUGIN_CONFIGURATION</c>), read in <c>proxy_on_configure</c>.</summary>
    public byte[] PluginConfiguration { get; init; } = Array.Empty<byte>();

    /// <summary>VM configuration bytes (buffer type 6, <c>VM_CONFIGURATION</c>), read in <c>proxy_on_vm_start</c> of
    /// this root context.</summary>
    public byte[] VmConfiguration { get; init; } = Array.Empty<byte>();
}

/// <summary>
/// One plugin (root context) in a <see cref="ProxyWasmHost"/>: the default one (<see cref="ProxyWasmHost.DefaultPlugin"/>,
/// configured by <see cref="HostOptions"/>) or one added with <see cref="ProxyWasmHost.AddPlugin"/>. Streams and
/// connections created through it are its children (<c>proxy_on_context_create(id, this root)</c>).
/// </summary>
/// <remarks>All plugins of one host share one VM (one module instance, one <see cref="HostOptions.VmId"/>), as plugins
/// with the same <c>vm_config</c> share a VM in Envoy.</remarks>
public sealed class PluginContext
{
    private readonly ProxyWasmHost _host;

    internal PluginContext(ProxyWasmHost host, string rootId, byte[] pluginConfiguration, byte[] vmConfiguration)
    {
        _host = host;
        RootId = rootId;
        PluginConfiguration = pluginConfiguration;
        VmConfiguration = vmConfiguration;
    }

    /// <summary>The root id (property <c>plugin_root_id</c> and <c>plugin_name</c>).</summary>
    public string RootId { get; }

    /// <summary>The plugin configuration (buffer type 7).</summary>
    public byte[] PluginConfiguration { get; }

    /// <summary>The VM configuration (buffer type 6).</summary>
    public byte[] VmConfiguration { get; }

    /// <summary>The root context id, 0 before <see cref="Start"/>. Ids are handed out in the order contexts are created.</summary>
    public uint ContextId { get; internal set; }

    /// <summary>Whether <see cref="Start"/> ran.</summary>
    public bool IsStarted { get; private set; }

    /// <summary>What <c>proxy_on_vm_start</c> returned, or <see langword="null"/> if not exported (or not started).</summary>
    public bool? VmStartResult { get; private set; }

    /// <summary>What <c>proxy_on_configure</c> returned, or <see langword="null"/> if not exported (or not started).</summary>
    public bool? ConfigureResult { get; private set; }

    /// <summary>The tick period this root context set (<c>proxy_set_tick_period_milliseconds</c>), in milliseconds
    /// (0: no timer). Envoy keeps one timer per root context.</summary>
    public uint TickPeriodMilliseconds { get; internal set; }

    /// <summary>The queues this root context registered (<c>proxy_register_shared_queue</c>) by name, with their ids.</summary>
    public IReadOnlyDictionary<string, uint> RegisteredQueues => _host.QueuesOf(this);

    /// <summary>
    /// Starts the root context if it is not started: <c>proxy_on_context_create(root, 0)</c>, then
    /// <c>proxy_on_vm_start</c> and <c>proxy_on_configure</c> when exported.
    /// </summary>
    /// <returns>Whether the VM and the configuration were accepted.</returns>
    public bool Start()
    {
        if (!IsStarted)
        {
            IsStarted = true;
            _host.CreateRoot(this);
            if (_host.Exports.Has(Abi.ProxyCallbacks.VmStart.Export))
            {
                VmStartResult = _host.CallRoot(this, Abi.ProxyCallbacks.VmStart.Export, (uint)VmConfiguration.Length) != 0;
            }

            if (_host.Exports.Has(Abi.ProxyCallbacks.Configure.Export))
            {
                ConfigureResult = _host.CallRoot(this, Abi.ProxyCallbacks.Configure.Export, (uint)PluginConfiguration.Length) != 0;
            }
        }

        return (VmStartResult ?? true) && (ConfigureResult ?? true) && _host.VmFailure is null;
    }

    /// <summary>Fires this root context's timer once (<c>proxy_on_tick</c>), if exported; starts it first if needed.</summary>
    public void Tick()
    {
        Start();
        if (_host.Exports.Has(Abi.ProxyCallbacks.Tick.Export))
        {
            _host.CallRoot(this, Abi.ProxyCallbacks.Tick.Export, null);
        }
    }

    /// <summary>Creates an HTTP stream context under this root (<c>proxy_on_context_create(id, root)</c>).</summary>
    public HttpStreamContext CreateHttpStream() => _host.CreateHttpStreamOn(this);

    /// <summary>Runs one request through this plugin's filter, as <see cref="ProxyWasmHost.Send"/> does for the default plugin.</summary>
    public HttpExchange Send(HttpRequest request, HttpResponse? upstreamResponse = null, Func<HttpCallRecord, HttpCallAnswer>? callouts = null)
        => _host.SendOn(this, request, upstreamResponse, callouts);

    /// <summary>Opens a TCP connection under this root, as <see cref="ProxyWasmHost.CreateConnection"/> does for the default plugin.</summary>
    public TcpConnectionContext CreateConnection() => _host.CreateConnectionOn(this);

    /// <summary>Runs one TCP connection through this plugin's filter, as <see cref="ProxyWasmHost.RunConnection"/> does.</summary>
    public ConnectionRun RunConnection(IEnumerable<byte[]> downstreamChunks, IEnumerable<byte[]>? upstreamChunks = null, PeerType closedBy = PeerType.Remote)
        => _host.RunConnectionOn(this, downstreamChunks, upstreamChunks, closedBy);

    /// <summary>Calls <c>proxy_on_foreign_function(root, function_id, arguments_size)</c> on this root with
    /// <paramref name="arguments"/> readable as buffer type 8 (<c>CALL_DATA</c>) during the call.</summary>
    public void CallForeignFunction(uint functionId, byte[] arguments) => _host.CallForeignFunctionOn(this, functionId, arguments);

    /// <inheritdoc/>
    public override string ToString() => $"plugin '{RootId}' (root context {ContextId})";
}
