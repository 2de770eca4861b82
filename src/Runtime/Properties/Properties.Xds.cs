using System;

namespace ProxyWasm;

public static partial class Properties
{
    /// <summary>
    /// Envoy's configuration attributes (<c>xds.*</c>): identifiers and metadata of the configuration handling the
    /// request or connection. Envoy before 1.33 also gave (and 1.33 removed) the older top-level names Wasm filters used
    /// (<c>node</c>, <c>cluster_name</c>, <c>cluster_metadata</c>, <c>listener_direction</c>, <c>listener_metadata</c>,
    /// <c>route_name</c>, <c>route_metadata</c>, <c>upstream_host_metadata</c>): each getter here reads the <c>xds</c>
    /// path and, when it is NotFound, that top-level name where there is one, so it works on both (a second
    /// <c>proxy_get_property</c> call only on NotFound). Metadata and the node are protobuf messages, returned as their
    /// serialized bytes; nothing is allocated.
    /// </summary>
    public static class Xds
    {
        /// <summary><c>xds.node</c> (config.core.v3.Node, protobuf; before Envoy 1.33 <c>node</c>): the local node
        /// description; the serialized message bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetNode(out ReadOnlySpan<byte> node) => TryGetXds("xds\0node"u8, "node"u8, out node);

        /// <summary><c>xds.cluster_name</c> (string, UTF-8; before Envoy 1.33 <c>cluster_name</c>): the upstream cluster name.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetClusterName(out ReadOnlySpan<byte> name) => TryGetXds("xds\0cluster_name"u8, "cluster_name"u8, out name);

        /// <summary><c>xds.cluster_metadata</c> (config.core.v3.Metadata, protobuf; before Envoy 1.33
        /// <c>cluster_metadata</c>): the upstream cluster metadata; the serialized message bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetClusterMetadata(out ReadOnlySpan<byte> metadata) => TryGetXds("xds\0cluster_metadata"u8, "cluster_metadata"u8, out metadata);

        /// <summary><c>xds.listener_direction</c> (int, 8 bytes LE; before Envoy 1.33 <c>listener_direction</c>): the
        /// listener traffic direction enum value (0 unspecified, 1 inbound, 2 outbound).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetListenerDirection(out long direction)
        {
            ProxyStatus status = TryGetInt64("xds\0listener_direction"u8, out direction);
            return status == ProxyStatus.NotFound ? TryGetInt64("listener_direction"u8, out direction) : status;
        }

        /// <summary><c>xds.listener_metadata</c> (config.core.v3.Metadata, protobuf; before Envoy 1.33
        /// <c>listener_metadata</c>): the listener metadata; the serialized message bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetListenerMetadata(out ReadOnlySpan<byte> metadata) => TryGetXds("xds\0listener_metadata"u8, "listener_metadata"u8, out metadata);

        /// <summary><c>xds.route_name</c> (string, UTF-8; before Envoy 1.33 <c>route_name</c>): the route name.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetRouteName(out ReadOnlySpan<byte> name) => TryGetXds("xds\0route_name"u8, "route_name"u8, out name);

        /// <summary><c>xds.route_metadata</c> (config.core.v3.Metadata, protobuf; before Envoy 1.33
        /// <c>route_metadata</c>): the route metadata; the serialized message bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetRouteMetadata(out ReadOnlySpan<byte> metadata) => TryGetXds("xds\0route_metadata"u8, "route_metadata"u8, out metadata);

        /// <summary><c>xds.virtual_host_name</c> (string, UTF-8): the virtual host name.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetVirtualHostName(out ReadOnlySpan<byte> name) => TryGet("xds\0virtual_host_name"u8, out name);

        /// <summary><c>xds.virtual_host_metadata</c> (config.core.v3.Metadata, protobuf): the virtual host metadata;
        /// the serialized message bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetVirtualHostMetadata(out ReadOnlySpan<byte> metadata) => TryGet("xds\0virtual_host_metadata"u8, out metadata);

        /// <summary><c>xds.upstream_host_metadata</c> (config.core.v3.Metadata, protobuf; before Envoy 1.33
        /// <c>upstream_host_metadata</c>): the upstream host metadata; the serialized message bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetUpstreamHostMetadata(out ReadOnlySpan<byte> metadata) => TryGetXds("xds\0upstream_host_metadata"u8, "upstream_host_metadata"u8, out metadata);

        /// <summary><c>xds.filter_chain_name</c> (string, UTF-8): the listener filter chain name.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetFilterChainName(out ReadOnlySpan<byte> name) => TryGet("xds\0filter_chain_name"u8, out name);
    }

    /// <summary>
    /// Envoy's Wasm attributes: the plugin's name, root id and VM id, available in every context (plugin and stream
    /// hooks). One <c>proxy_get_property</c> call with a constant path; nothing is allocated.
    /// </summary>
    public static class Plugin
    {
        /// <summary><c>plugin_name</c> (string, UTF-8): the plugin name (Envoy: the plugin config's <c>name</c>).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetName(out ReadOnlySpan<byte> name) => TryGet("plugin_name"u8, out name);

        /// <summary><c>plugin_root_id</c> (string, UTF-8): the plugin root id (Envoy: <c>root_id</c>), which selects the
        /// filter in a module with several.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetRootId(out ReadOnlySpan<byte> rootId) => TryGet("plugin_root_id"u8, out rootId);

        /// <summary><c>plugin_vm_id</c> (string, UTF-8): the VM id (Envoy: <c>vm_config.vm_id</c>).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetVmId(out ReadOnlySpan<byte> vmId) => TryGet("plugin_vm_id"u8, out vmId);
    }

    private static ProxyStatus TryGetXds(ReadOnlySpan<byte> path, ReadOnlySpan<byte> legacyPath, out ReadOnlySpan<byte> value)
    {
        ProxyStatus status = TryGet(path, out value);
        return status == ProxyStatus.NotFound ? TryGet(legacyPath, out value) : status;
    }
}
