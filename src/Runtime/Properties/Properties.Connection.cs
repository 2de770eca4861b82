using System;

namespace ProxyWasm;

public static partial class Properties
{
    /// <summary>
    /// Envoy's <c>source.*</c> attributes: the remote (peer) end of the downstream connection, available once it is
    /// established (HTTP and network filters). One <c>proxy_get_property</c> call with a constant path; nothing is allocated.
    /// </summary>
    public static class Source
    {
        /// <summary><c>source.address</c> (string, UTF-8): the downstream connection remote (peer) address, e.g. <c>10.0.0.1:8080</c> (Envoy's address string includes the port).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetAddress(out ReadOnlySpan<byte> address) => TryGet("source\0address"u8, out address);

        /// <summary><c>source.port</c> (int, 8 bytes LE): the downstream connection remote (peer) port.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetPort(out long port) => TryGetInt64("source\0port"u8, out port);
    }

    /// <summary>
    /// Envoy's <c>destination.*</c> attributes: the local end of the downstream connection, available once it is
    /// established (HTTP and network filters). One <c>proxy_get_property</c> call with a constant path; nothing is allocated.
    /// </summary>
    public static class Destination
    {
        /// <summary><c>destination.address</c> (string, UTF-8): the downstream connection local address, e.g. <c>10.0.0.1:8080</c> (Envoy's address string includes the port).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetAddress(out ReadOnlySpan<byte> address) => TryGet("destination\0address"u8, out address);

        /// <summary><c>destination.port</c> (int, 8 bytes LE): the downstream connection local port.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetPort(out long port) => TryGetInt64("destination\0port"u8, out port);
    }

    /// <summary>
    /// Envoy's <c>connection.*</c> attributes: the downstream connection, available once it is established;
    /// <c>termination_details</c> once it terminated. One <c>proxy_get_property</c> call with a constant path; nothing is allocated.
    /// </summary>
    public static class Connection
    {
        /// <summary><c>connection.id</c> (uint, 8 bytes LE): the downstream connection id.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetId(out ulong id) => TryGetUInt64("connection\0id"u8, out id);

        /// <summary><c>connection.mtls</c> (bool, 1 byte): whether TLS is applied to the downstream connection and the peer certificate is presented.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 1 byte); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetMtls(out bool mtls) => TryGetBool("connection\0mtls"u8, out mtls);

        /// <summary><c>connection.requested_server_name</c> (string, UTF-8): the requested server name (SNI) in the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetRequestedServerName(out ReadOnlySpan<byte> serverName) => TryGet("connection\0requested_server_name"u8, out serverName);

        /// <summary><c>connection.tls_version</c> (string, UTF-8): TLS version of the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTlsVersion(out ReadOnlySpan<byte> version) => TryGet("connection\0tls_version"u8, out version);

        /// <summary><c>connection.subject_local_certificate</c> (string, UTF-8): the subject field of the local certificate in the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSubjectLocalCertificate(out ReadOnlySpan<byte> subject) => TryGet("connection\0subject_local_certificate"u8, out subject);

        /// <summary><c>connection.subject_peer_certificate</c> (string, UTF-8): the subject field of the peer certificate in the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSubjectPeerCertificate(out ReadOnlySpan<byte> subject) => TryGet("connection\0subject_peer_certificate"u8, out subject);

        /// <summary><c>connection.dns_san_local_certificate</c> (string, UTF-8): the first DNS entry in the SAN field of the local certificate in the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetDnsSanLocalCertificate(out ReadOnlySpan<byte> san) => TryGet("connection\0dns_san_local_certificate"u8, out san);

        /// <summary><c>connection.dns_san_peer_certificate</c> (string, UTF-8): the first DNS entry in the SAN field of the peer certificate in the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetDnsSanPeerCertificate(out ReadOnlySpan<byte> san) => TryGet("connection\0dns_san_peer_certificate"u8, out san);

        /// <summary><c>connection.uri_san_local_certificate</c> (string, UTF-8): the first URI entry in the SAN field of the local certificate in the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetUriSanLocalCertificate(out ReadOnlySpan<byte> san) => TryGet("connection\0uri_san_local_certificate"u8, out san);

        /// <summary><c>connection.uri_san_peer_certificate</c> (string, UTF-8): the first URI entry in the SAN field of the peer certificate in the downstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetUriSanPeerCertificate(out ReadOnlySpan<byte> san) => TryGet("connection\0uri_san_peer_certificate"u8, out san);

        /// <summary><c>connection.sha256_peer_certificate_digest</c> (string, UTF-8): SHA256 digest of the peer certificate in the downstream TLS connection, if present.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSha256PeerCertificateDigest(out ReadOnlySpan<byte> digest) => TryGet("connection\0sha256_peer_certificate_digest"u8, out digest);

        /// <summary><c>connection.peer_certificate</c> (string, UTF-8): the URL-encoded PEM-encoded peer certificate in the downstream TLS connection, if present.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetPeerCertificate(out ReadOnlySpan<byte> certificate) => TryGet("connection\0peer_certificate"u8, out certificate);

        /// <summary><c>connection.transport_failure_reason</c> (string, UTF-8): the downstream transport failure reason, e.g. certificate validation failed.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTransportFailureReason(out ReadOnlySpan<byte> reason) => TryGet("connection\0transport_failure_reason"u8, out reason);

        /// <summary><c>connection.termination_details</c> (string, UTF-8): internal termination details of the connection (subject to change).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTerminationDetails(out ReadOnlySpan<byte> details) => TryGet("connection\0termination_details"u8, out details);
    }

    /// <summary>
    /// Envoy's <c>upstream.*</c> attributes: the upstream connection, available once it is established. One
    /// <c>proxy_get_property</c> call with a constant path; nothing is allocated.
    /// </summary>
    public static class Upstream
    {
        /// <summary><c>upstream.address</c> (string, UTF-8): the upstream connection remote address.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetAddress(out ReadOnlySpan<byte> address) => TryGet("upstream\0address"u8, out address);

        /// <summary><c>upstream.port</c> (int, 8 bytes LE): the upstream connection remote port.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetPort(out long port) => TryGetInt64("upstream\0port"u8, out port);

        /// <summary><c>upstream.local_address</c> (string, UTF-8): the local address of the upstream connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetLocalAddress(out ReadOnlySpan<byte> address) => TryGet("upstream\0local_address"u8, out address);

        /// <summary><c>upstream.tls_version</c> (string, UTF-8): TLS version of the upstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTlsVersion(out ReadOnlySpan<byte> version) => TryGet("upstream\0tls_version"u8, out version);

        /// <summary><c>upstream.subject_local_certificate</c> (string, UTF-8): the subject field of the local certificate in the upstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSubjectLocalCertificate(out ReadOnlySpan<byte> subject) => TryGet("upstream\0subject_local_certificate"u8, out subject);

        /// <summary><c>upstream.subject_peer_certificate</c> (string, UTF-8): the subject field of the peer certificate in the upstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSubjectPeerCertificate(out ReadOnlySpan<byte> subject) => TryGet("upstream\0subject_peer_certificate"u8, out subject);

        /// <summary><c>upstream.dns_san_local_certificate</c> (string, UTF-8): the first DNS entry in the SAN field of the local certificate in the upstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetDnsSanLocalCertificate(out ReadOnlySpan<byte> san) => TryGet("upstream\0dns_san_local_certificate"u8, out san);

        /// <summary><c>upstream.dns_san_peer_certificate</c> (string, UTF-8): the first DNS entry in the SAN field of the peer certificate in the upstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetDnsSanPeerCertificate(out ReadOnlySpan<byte> san) => TryGet("upstream\0dns_san_peer_certificate"u8, out san);

        /// <summary><c>upstream.uri_san_local_certificate</c> (string, UTF-8): the first URI entry in the SAN field of the local certificate in the upstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetUriSanLocalCertificate(out ReadOnlySpan<byte> san) => TryGet("upstream\0uri_san_local_certificate"u8, out san);

        /// <summary><c>upstream.uri_san_peer_certificate</c> (string, UTF-8): the first URI entry in the SAN field of the peer certificate in the upstream TLS connection.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetUriSanPeerCertificate(out ReadOnlySpan<byte> san) => TryGet("upstream\0uri_san_peer_certificate"u8, out san);

        /// <summary><c>upstream.sha256_peer_certificate_digest</c> (string, UTF-8): SHA256 digest of the peer certificate in the upstream TLS connection, if present.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSha256PeerCertificateDigest(out ReadOnlySpan<byte> digest) => TryGet("upstream\0sha256_peer_certificate_digest"u8, out digest);

        /// <summary><c>upstream.peer_certificate</c> (string, UTF-8): the URL-encoded PEM-encoded peer certificate in the upstream TLS connection, if present.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetPeerCertificate(out ReadOnlySpan<byte> certificate) => TryGet("upstream\0peer_certificate"u8, out certificate);

        /// <summary><c>upstream.transport_failure_reason</c> (string, UTF-8): the upstream transport failure reason, e.g. certificate validation failed.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTransportFailureReason(out ReadOnlySpan<byte> reason) => TryGet("upstream\0transport_failure_reason"u8, out reason);

        /// <summary><c>upstream.request_attempt_count</c> (uint, 8 bytes LE): the count of upstream request attempts (0: never attempted upstream).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetRequestAttemptCount(out ulong count) => TryGetUInt64("upstream\0request_attempt_count"u8, out count);

        /// <summary><c>upstream.num_endpoints</c> (uint, 8 bytes LE): the number of endpoints of the upstream cluster.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetNumEndpoints(out ulong count) => TryGetUInt64("upstream\0num_endpoints"u8, out count);

        /// <summary><c>upstream.cx_pool_ready_duration</c> (duration: int64 ns, 8 bytes LE): from when the upstream request was created to when the upstream connection pool was ready, as a <see cref="TimeSpan"/> (100 ns precision).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetConnectionPoolReadyDuration(out TimeSpan duration) => TryGetDuration("upstream\0cx_pool_ready_duration"u8, out duration);

        /// <summary><c>upstream.locality</c> (config.core.v3.Locality, protobuf): locality information of the upstream host; the serialized message bytes (empty when unset).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetLocality(out ReadOnlySpan<byte> locality) => TryGet("upstream\0locality"u8, out locality);
    }
}
