using System;

namespace ProxyWasm;

/// <summary>
/// Marks a <see langword="partial"/> class or struct as a Proxy-Wasm network (TCP) filter: Envoy's
/// <c>envoy.filters.network.wasm</c>. The generator emits the ABI v0.2.1 exports for it: one instance of the type
/// serves one TCP connection (a stream context created with <c>proxy_on_context_create(id, root)</c> when the
/// connection is accepted); its hook methods are bound to <c>proxy_on_new_connection</c>,
/// <c>proxy_on_downstream_data</c>, <c>proxy_on_upstream_data</c>, the two connection-close callbacks,
/// <c>proxy_on_done</c> and <c>proxy_on_log</c> by their attributes.
/// </summary>
/// <remarks>
/// <para>Root ids, plugins and per-connection state work as for <see cref="HttpFilterAttribute"/>; one module may hold
/// HTTP and network filters, each with its own root id (the host property <c>plugin_root_id</c> selects one).</para>
/// <para>When a hook throws, <see cref="FailurePolicy.FailClosed"/> closes the connection (<c>proxy_close_stream</c>
/// for <c>DOWNSTREAM</c>) and returns <see cref="FilterStatus.StopIteration"/>; <see cref="FailurePolicy.FailOpen"/>
/// returns <see cref="FilterStatus.Continue"/>.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class NetworkFilterAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="rootId">The root id (Envoy <c>root_id</c>) this filter serves.</param>
    public NetworkFilterAttribute(string rootId) => RootId = rootId;

    /// <summary>The root id this filter serves; compared with the host property <c>plugin_root_id</c>.</summary>
    public string RootId { get; }

    /// <summary>The plugin (root context) type, as <see cref="HttpFilterAttribute.Plugin"/>; a connection hook receives
    /// it through a parameter of this type.</summary>
    public Type? Plugin { get; set; }

    /// <summary>What the connection gets when a hook throws. Default: <see cref="FailurePolicy.FailClosed"/> (closed).</summary>
    public FailurePolicy OnError { get; set; }

    /// <summary>The plugin configuration type, as <see cref="HttpFilterAttribute.Configuration"/>.</summary>
    public Type? Configuration { get; set; }
}

/// <summary>Binds a method of a <see cref="NetworkFilterAttribute"/> type to <c>proxy_on_new_connection(context_id)</c>:
/// the downstream connection was accepted.</summary>
/// <remarks>Parameters: <see cref="NetworkStream"/>, the plugin type. Returns <see cref="FilterStatus"/> or
/// <see langword="void"/> (Continue).</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnNewConnectionAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_downstream_data(context_id, data_size, end_of_stream)</c>: bytes from the
/// client arrived.</summary>
/// <remarks>Parameters: <see cref="DownstreamData"/> (the buffered bytes: read, replace, append, prepend),
/// <see cref="int"/> (bytes buffered; it keeps growing while the hook returns <see cref="FilterStatus.StopIteration"/>),
/// <see cref="bool"/> (end of stream: the client half-closed), <see cref="NetworkStream"/>, the plugin type. Returns
/// <see cref="FilterStatus"/> or <see langword="void"/> (Continue).</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnDownstreamDataAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_upstream_data(context_id, data_size, end_of_stream)</c>: bytes from the
/// upstream server arrived.</summary>
/// <remarks>Parameters: <see cref="UpstreamData"/>, <see cref="int"/> (bytes buffered), <see cref="bool"/> (end of
/// stream), <see cref="NetworkStream"/>, the plugin type. Returns <see cref="FilterStatus"/> or <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnUpstreamDataAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_downstream_connection_close(context_id, peer_type)</c>: the client
/// connection closed.</summary>
/// <remarks>Parameters: <see cref="PeerType"/> (<see cref="PeerType.Local"/>: the proxy closed it;
/// <see cref="PeerType.Remote"/>: the client did), <see cref="NetworkStream"/>, the plugin type. Returns
/// <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnDownstreamConnectionCloseAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_upstream_connection_close(context_id, peer_type)</c>: the upstream
/// connection closed.</summary>
/// <remarks>Parameters: <see cref="PeerType"/>, <see cref="NetworkStream"/>, the plugin type. Returns
/// <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnUpstreamConnectionCloseAttribute : HookAttribute { }
