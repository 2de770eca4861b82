using System;
using System.Collections.Generic;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>Several plugins (root contexts) in one host, the current plugin of a callback, actions Envoy runs after
/// the running callback, and foreign-function calls into the module.</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly List<PluginContext> _plugins = new();
    private readonly List<Action> _afterCall = new();
    private PluginContext? _defaultPlugin;
    private PluginContext? _currentPlugin;
    private byte[]? _callData;
    private int _depth;

    /// <summary>The default plugin, configured by <see cref="Options"/> (<see cref="HostOptions.RootId"/>,
    /// <see cref="HostOptions.PluginConfiguration"/>, <see cref="HostOptions.VmConfiguration"/>): the one
    /// <see cref="StartPlugin"/>, <see cref="Tick"/>, <see cref="CreateHttpStream"/>, <see cref="Send"/> and
    /// <see cref="CreateConnection"/> act on.</summary>
    public PluginContext DefaultPlugin => _defaultPlugin ??= Register(new PluginContext(this, Options.RootId, Options.PluginConfiguration, Options.VmConfiguration));

    /// <summary>Every plugin of this host, started or not, in the order they were made (the default plugin appears
    /// once it is first used).</summary>
    public IReadOnlyList<PluginContext> Plugins => _plugins;

    /// <summary>
    /// Adds a plugin (root context) with its own root id and configuration to this host's VM and starts it
    /// (<c>proxy_on_context_create(root, 0)</c>, <c>proxy_on_vm_start</c>, <c>proxy_on_configure</c>), as Envoy does
    /// for a second filter entry whose <c>vm_config</c> matches. Its root context id is the next context id. The
    /// default plugin is not started by this call.
    /// </summary>
    /// <returns>The plugin; see <see cref="PluginContext.VmStartResult"/> and <see cref="PluginContext.ConfigureResult"/>
    /// for what the module answered.</returns>
    public PluginContext AddPlugin(PluginOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfDisposed();
        PluginContext plugin = Register(new PluginContext(this, options.RootId, options.PluginConfiguration, options.VmConfiguration));
        plugin.Start();
        return plugin;
    }

    /// <summary>
    /// Calls <c>proxy_on_foreign_function(root, function_id, arguments_size)</c> on the default plugin's root context,
    /// as Envoy does when another extension invokes a function the module registered; <paramref name="arguments"/> is
    /// readable as buffer type 8 (<c>CALL_DATA</c>) during the call only. Nothing happens if the module does not
    /// export the callback.
    /// </summary>
    public void CallForeignFunction(uint functionId, byte[] arguments) => CallForeignFunctionOn(DefaultPlugin, functionId, arguments);

    internal void CallForeignFunctionOn(PluginContext plugin, uint functionId, byte[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ThrowIfDisposed();
        plugin.Start();
        string export = ProxyCallbacks.ForeignFunction.Export;
        if (!Exports.Has(export))
        {
            return;
        }

        byte[]? previous = _callData;
        _callData = arguments;
        try
        {
            Invoke(null, export, plugin.ContextId, plugin: plugin, call: () =>
            {
                Exports.Call(export, plugin.ContextId, functionId, (uint)arguments.Length);
                return null;
            });
        }
        finally
        {
            _callData = previous;
        }
    }

    internal void CreateRoot(PluginContext plugin)
    {
        ThrowIfDisposed();
        plugin.ContextId = _nextContextId++;
        CallRoot(plugin, ProxyCallbacks.ContextCreate.Export, 0);
    }

    /// <summary>The plugin whose root context is <paramref name="contextId"/>, or <see langword="null"/>.</summary>
    private PluginContext? PluginById(uint contextId)
    {
        foreach (PluginContext plugin in _plugins)
        {
            if (plugin.IsStarted && plugin.ContextId == contextId)
            {
                return plugin;
            }
        }

        return null;
    }

    /// <summary>The id of the context host calls act on now: a stream, a connection or a root.</summary>
    private uint CurrentContextId => _current?.ContextId ?? _currentConnection?.ContextId ?? _currentPlugin?.ContextId ?? RootContextId;

    /// <summary>The root context id of <paramref name="contextId"/>'s plugin (a root's own id for a root).</summary>
    private uint RootOf(uint contextId)
        => _streams.TryGetValue(contextId, out HttpStreamContext? stream) ? stream.Plugin.ContextId
            : _connections.TryGetValue(contextId, out TcpConnectionContext? connection) ? connection.Plugin.ContextId
            : PluginById(contextId)?.ContextId ?? RootContextId;

    /// <summary>Runs <paramref name="action"/> once the running callback has returned (Envoy's
    /// <c>addAfterVmCallAction</c>), or now when no callback runs (a call from the test).</summary>
    private void AfterCall(Action action)
    {
        if (_depth == 0)
        {
            action();
        }
        else
        {
            _afterCall.Add(action);
        }
    }

    private void RunAfterCallActions()
    {
        while (_depth == 0 && _afterCall.Count != 0)
        {
            Action action = _afterCall[0];
            _afterCall.RemoveAt(0);
            action();
        }
    }

    private PluginContext Register(PluginContext plugin)
    {
        _plugins.Add(plugin);
        return plugin;
    }
}
