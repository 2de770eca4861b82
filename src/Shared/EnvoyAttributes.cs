// Envoy's attributes: the host properties a Proxy-Wasm filter reads with proxy_get_property, declared once. Compiled
// into the generator, which checks [Property("request.path")] hook parameters against these rows (the path exists or
// lies under an open prefix, and the parameter's type can hold the attribute's kind). The rows follow Envoy's
// "Attributes" page (docs/root/intro/arch_overview/advanced/attributes.rst), including the top-level Wasm names Envoy
// documented before 1.33; every path src/Runtime/Properties/*.cs reads is a row of the kind its reader decodes
// (EnvoyAttributesTests checks this).
// Adding an attribute: one row here (and, for a map or message whose children are open-ended keys, its path in
// OpenPrefixes).
using System;
using System.Collections.Generic;
using System.Text;

namespace ProxyWasm.Abi;

/// <summary>The type of an Envoy attribute, and so the bytes <c>proxy_get_property</c> returns for it.</summary>
internal enum AttributeKind
{
    /// <summary>A UTF-8 string: the bytes as they are, no NUL terminator.</summary>
    String,

    /// <summary>A byte buffer: the bytes as they are.</summary>
    Bytes,

    /// <summary>A 64-bit signed integer: 8 bytes, little-endian (int64).</summary>
    Int,

    /// <summary>A 64-bit unsigned integer: 8 bytes, little-endian (uint64).</summary>
    UInt,

    /// <summary>A boolean: 1 byte, non-zero is true.</summary>
    Bool,

    /// <summary>A point in time: int64 nanoseconds since the Unix epoch, 8 bytes little-endian.</summary>
    Timestamp,

    /// <summary>A length of time: int64 nanoseconds, 8 bytes little-endian.</summary>
    Duration,

    /// <summary>An associative array with string keys (headers, filter state): the Proxy-Wasm pairs serialization
    /// (u32 count, each key and value length, then each key and value NUL-terminated).</summary>
    Map,

    /// <summary>A protocol buffer message (metadata, node, locality...): the serialized message, opaque bytes to the
    /// module.</summary>
    Message,
}

/// <summary>One Envoy attribute: one row of <see cref="EnvoyAttributes.All"/>.</summary>
internal sealed class EnvoyAttribute
{
    public EnvoyAttribute(string path, AttributeKind kind, string summary)
    {
        Path = path;
        Kind = kind;
        Summary = summary;
        Segments = path.Split('.');
    }

    /// <summary>The dotted path, e.g. <c>request.path</c> (on the wire the segments are joined with NUL bytes).</summary>
    public string Path { get; }

    /// <summary>The attribute's type, which fixes its encoding.</summary>
    public AttributeKind Kind { get; }

    /// <summary>One short clause for messages and docs.</summary>
    public string Summary { get; }

    /// <summary>The path's segments, e.g. <c>request</c>, <c>path</c>.</summary>
    public string[] Segments { get; }

    /// <inheritdoc/>
    public override string ToString() => Path;
}

/// <summary>Every attribute Envoy documents for Wasm extensions, grouped as Envoy's docs group them.</summary>
internal static class EnvoyAttributes
{
    /// <summary>Every attribute, in the order of Envoy's docs: request, response, connection, upstream, metadata and
    /// filter state, configuration (<c>xds.*</c>), then the Wasm ones.</summary>
    public static readonly EnvoyAttribute[] All =
    {
        // ---- request.* (HTTP filters; duration, size and total_size once the request completes) ----
        new("request.path", AttributeKind.String, "URL path including the query string"),
        new("request.url_path", AttributeKind.String, "URL path with the query string stripped"),
        new("request.host", AttributeKind.String, "host part of the URL"),
        new("request.scheme", AttributeKind.String, "URL scheme, such as http"),
        new("request.method", AttributeKind.String, "HTTP method, such as GET"),
        new("request.headers", AttributeKind.Map, "every request header keyed by lower-case name, repeated values comma-joined"),
        new("request.headers_bytes", AttributeKind.Int, "byte size of the request headers"),
        new("request.referer", AttributeKind.String, "value of the referer header"),
        new("request.useragent", AttributeKind.String, "value of the user-agent header"),
        new("request.time", AttributeKind.Timestamp, "when the first request byte arrived"),
        new("request.id", AttributeKind.String, "request id from the x-request-id header"),
        new("request.protocol", AttributeKind.String, "HTTP version: HTTP/1.0, HTTP/1.1, HTTP/2 or HTTP/3"),
        new("request.query", AttributeKind.String, "query string without the leading '?'"),
        new("request.duration", AttributeKind.Duration, "how long the whole request took, once complete"),
        new("request.size", AttributeKind.Int, "request body size, from content-length when present"),
        new("request.total_size", AttributeKind.Int, "request size with the approximate uncompressed header size"),

        // ---- response.* (HTTP filters, once the response exists) ----
        new("response.code", AttributeKind.Int, "HTTP status code"),
        new("response.code_details", AttributeKind.String, "Envoy's internal reason for the status (may change between versions)"),
        new("response.flags", AttributeKind.Int, "Envoy's response flags as a bit vector"),
        new("response.grpc_status", AttributeKind.Int, "gRPC status code"),
        new("response.headers", AttributeKind.Map, "every response header keyed by lower-case name"),
        new("response.headers_bytes", AttributeKind.Int, "byte size of the response headers"),
        new("response.trailers", AttributeKind.Map, "every response trailer keyed by lower-case name"),
        new("response.size", AttributeKind.Int, "response body size"),
        new("response.total_size", AttributeKind.Int, "response size with the approximate uncompressed header and trailer size"),
        new("response.backend_latency", AttributeKind.Duration, "time from the first byte sent upstream to the last byte received from it"),

        // ---- source.*, destination.*, connection.* (the downstream connection, once established) ----
        new("source.address", AttributeKind.String, "peer (remote) address of the downstream connection, with the port"),
        new("source.port", AttributeKind.Int, "peer (remote) port of the downstream connection"),
        new("destination.address", AttributeKind.String, "local address of the downstream connection, with the port"),
        new("destination.port", AttributeKind.Int, "local port of the downstream connection"),
        new("connection.id", AttributeKind.UInt, "id of the downstream connection"),
        new("connection.mtls", AttributeKind.Bool, "whether the downstream connection uses TLS with a presented peer certificate"),
        new("connection.requested_server_name", AttributeKind.String, "SNI the downstream TLS client asked for"),
        new("connection.tls_version", AttributeKind.String, "TLS version of the downstream connection"),
        new("connection.subject_local_certificate", AttributeKind.String, "subject of the local certificate, downstream"),
        new("connection.subject_peer_certificate", AttributeKind.String, "subject of the peer certificate, downstream"),
        new("connection.dns_san_local_certificate", AttributeKind.String, "first DNS SAN of the local certificate, downstream"),
        new("connection.dns_san_peer_certificate", AttributeKind.String, "first DNS SAN of the peer certificate, downstream"),
        new("connection.uri_san_local_certificate", AttributeKind.String, "first URI SAN of the local certificate, downstream"),
        new("connection.uri_san_peer_certificate", AttributeKind.String, "first URI SAN of the peer certificate, downstream"),
        new("connection.sha256_peer_certificate_digest", AttributeKind.String, "SHA-256 digest of the downstream peer certificate, when there is one"),
        new("connection.peer_certificate", AttributeKind.String, "downstream peer certificate as URL-encoded PEM, when there is one"),
        new("connection.transport_failure_reason", AttributeKind.String, "why the downstream transport failed, such as a certificate check"),
        new("connection.termination_details", AttributeKind.String, "Envoy's internal reason the connection ended (may change between versions)"),

        // ---- upstream.* (the upstream connection, once established) ----
        new("upstream.address", AttributeKind.String, "remote address of the upstream connection"),
        new("upstream.num_endpoints", AttributeKind.UInt, "how many endpoints the upstream cluster has"),
        new("upstream.port", AttributeKind.Int, "remote port of the upstream connection"),
        new("upstream.tls_version", AttributeKind.String, "TLS version of the upstream connection"),
        new("upstream.subject_local_certificate", AttributeKind.String, "subject of the local certificate, upstream"),
        new("upstream.subject_peer_certificate", AttributeKind.String, "subject of the peer certificate, upstream"),
        new("upstream.dns_san_local_certificate", AttributeKind.String, "first DNS SAN of the local certificate, upstream"),
        new("upstream.dns_san_peer_certificate", AttributeKind.String, "first DNS SAN of the peer certificate, upstream"),
        new("upstream.uri_san_local_certificate", AttributeKind.String, "first URI SAN of the local certificate, upstream"),
        new("upstream.uri_san_peer_certificate", AttributeKind.String, "first URI SAN of the peer certificate, upstream"),
        new("upstream.sha256_peer_certificate_digest", AttributeKind.String, "SHA-256 digest of the upstream peer certificate, when there is one"),
        new("upstream.peer_certificate", AttributeKind.String, "upstream peer certificate as URL-encoded PEM, when there is one"),
        new("upstream.local_address", AttributeKind.String, "local address of the upstream connection"),
        new("upstream.transport_failure_reason", AttributeKind.String, "why the upstream transport failed, such as a certificate check"),
        new("upstream.request_attempt_count", AttributeKind.UInt, "number of upstream attempts; 0 when none was made"),
        new("upstream.cx_pool_ready_duration", AttributeKind.Duration, "time from creating the upstream request until its connection pool was ready"),
        new("upstream.locality", AttributeKind.Message, "locality of the upstream host (config.core.v3.Locality)"),

        // ---- metadata and filter state (may change during the request) ----
        new("metadata", AttributeKind.Message, "dynamic metadata of the request (config.core.v3.Metadata)"),
        new("filter_state", AttributeKind.Map, "filter state objects by name"),
        new("upstream_filter_state", AttributeKind.Map, "upstream filter state objects by name"),

        // ---- xds.* (configuration handling the request or connection) ----
        new("xds.node", AttributeKind.Message, "description of the local node (config.core.v3.Node)"),
        new("xds.cluster_name", AttributeKind.String, "name of the upstream cluster"),
        new("xds.cluster_metadata", AttributeKind.Message, "metadata of the upstream cluster"),
        new("xds.listener_direction", AttributeKind.Int, "listener traffic direction enum (0 unspecified, 1 inbound, 2 outbound)"),
        new("xds.listener_metadata", AttributeKind.Message, "metadata of the listener"),
        new("xds.route_name", AttributeKind.String, "name of the route"),
        new("xds.route_metadata", AttributeKind.Message, "metadata of the route"),
        new("xds.virtual_host_name", AttributeKind.String, "name of the virtual host"),
        new("xds.virtual_host_metadata", AttributeKind.Message, "metadata of the virtual host"),
        new("xds.upstream_host_metadata", AttributeKind.Message, "metadata of the upstream host"),
        new("xds.upstream_host_locality_metadata", AttributeKind.Message, "metadata of the upstream host's locality"),
        new("xds.filter_chain_name", AttributeKind.String, "name of the listener filter chain"),

        // ---- Wasm only ----
        new("plugin_name", AttributeKind.String, "name of the plugin"),
        new("plugin_root_id", AttributeKind.String, "root id of the plugin, which picks the filter of a module"),
        new("plugin_vm_id", AttributeKind.String, "id of the VM running the plugin"),

        // ---- Wasm only, documented before Envoy 1.33 (deprecated for the xds.* names, then dropped) ----
        new("node", AttributeKind.Message, "description of the local node; older name of xds.node"),
        new("cluster_name", AttributeKind.String, "name of the upstream cluster; older name of xds.cluster_name"),
        new("cluster_metadata", AttributeKind.Message, "metadata of the upstream cluster; older name of xds.cluster_metadata"),
        new("listener_direction", AttributeKind.Int, "listener traffic direction enum; older name of xds.listener_direction"),
        new("listener_metadata", AttributeKind.Message, "metadata of the listener; older name of xds.listener_metadata"),
        new("route_name", AttributeKind.String, "name of the route; older name of xds.route_name"),
        new("route_metadata", AttributeKind.Message, "metadata of the route; older name of xds.route_metadata"),
        new("upstream_host_metadata", AttributeKind.Message, "metadata of the upstream host; older name of xds.upstream_host_metadata"),
    };

    /// <summary>The attributes whose children are open-ended keys or fields (a header name, a filter state name, a
    /// metadata namespace, a message field): <c>request.headers.x-foo</c> is a valid path because
    /// <c>request.headers</c> is here. Each is itself a row of <see cref="All"/>, a map or a message.</summary>
    public static readonly string[] OpenPrefixes =
    {
        "request.headers",
        "response.headers",
        "response.trailers",
        "upstream.locality",
        "metadata",
        "filter_state",
        "upstream_filter_state",
        "xds.node",
        "xds.cluster_metadata",
        "xds.listener_metadata",
        "xds.route_metadata",
        "xds.virtual_host_metadata",
        "xds.upstream_host_metadata",
        "xds.upstream_host_locality_metadata",
        "node",
        "cluster_metadata",
        "listener_metadata",
        "route_metadata",
        "upstream_host_metadata",
    };

    private static readonly Dictionary<string, EnvoyAttribute> ByPath = IndexByPath();

    private static readonly string[][] OpenPrefixSegments = SplitPrefixes();

    /// <summary>The attribute whose path is exactly <paramref name="segments"/> (e.g. <c>request</c>, <c>path</c>),
    /// compared ordinally; null when there is none, or when a segment is empty or contains a dot.</summary>
    public static EnvoyAttribute? Find(IReadOnlyList<string> segments)
    {
        if (segments is null || segments.Count == 0)
        {
            return null;
        }

        var path = new StringBuilder();
        for (int i = 0; i < segments.Count; i++)
        {
            string segment = segments[i];
            if (string.IsNullOrEmpty(segment) || segment.IndexOf('.') >= 0)
            {
                return null;
            }

            if (i > 0)
            {
                path.Append('.');
            }

            path.Append(segment);
        }

        return ByPath.TryGetValue(path.ToString(), out EnvoyAttribute? attribute) ? attribute : null;
    }

    /// <summary>Whether <paramref name="segments"/> start with the segments of one of the <see cref="OpenPrefixes"/>
    /// and have at least one more (non-empty) segment, e.g. <c>request</c>, <c>headers</c>, <c>x-foo</c>. The prefix
    /// alone is not under itself (it is a row of <see cref="All"/>, see <see cref="Find"/>).</summary>
    public static bool IsUnderOpenPrefix(IReadOnlyList<string> segments)
    {
        if (segments is null)
        {
            return false;
        }

        foreach (string[] prefix in OpenPrefixSegments)
        {
            if (segments.Count <= prefix.Length)
            {
                continue;
            }

            bool matches = true;
            for (int i = 0; i < prefix.Length && matches; i++)
            {
                matches = string.Equals(segments[i], prefix[i], StringComparison.Ordinal);
            }

            if (!matches)
            {
                continue;
            }

            for (int i = prefix.Length; i < segments.Count && matches; i++)
            {
                matches = !string.IsNullOrEmpty(segments[i]);
            }

            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The attributes whose first segment is <paramref name="firstSegment"/> (e.g. every <c>request.*</c>
    /// for <c>request</c>), in table order: the candidates an error message about a misspelt path lists.</summary>
    public static IEnumerable<EnvoyAttribute> InGroup(string firstSegment)
    {
        foreach (EnvoyAttribute attribute in All)
        {
            if (string.Equals(attribute.Segments[0], firstSegment, StringComparison.Ordinal))
            {
                yield return attribute;
            }
        }
    }

    private static Dictionary<string, EnvoyAttribute> IndexByPath()
    {
        var index = new Dictionary<string, EnvoyAttribute>(StringComparer.Ordinal);
        foreach (EnvoyAttribute attribute in All)
        {
            index[attribute.Path] = attribute;
        }

        return index;
    }

    private static string[][] SplitPrefixes()
    {
        var split = new string[OpenPrefixes.Length][];
        for (int i = 0; i < OpenPrefixes.Length; i++)
        {
            split[i] = OpenPrefixes[i].Split('.');
        }

        return split;
    }
}
