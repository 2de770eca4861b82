using System;

namespace ProxyWasm;

public static partial class Properties
{
    /// <summary>
    /// Envoy's request attributes (<c>request.*</c>), available in HTTP filters once the request headers arrived
    /// (Envoy: "Request attributes"); NotFound in a plugin hook. <c>duration</c>, <c>size</c> and <c>total_size</c>
    /// are complete once the request is (e.g. in <c>[OnLog]</c>). Each getter is one <c>proxy_get_property</c> call
    /// with a constant path; nothing is allocated.
    /// </summary>
    public static class Request
    {
        /// <summary><c>request.path</c> (string, UTF-8): the path portion of the URL, query included (<c>:path</c>).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetPath(out ReadOnlySpan<byte> path) => TryGet("request\0path"u8, out path);

        /// <summary><c>request.url_path</c> (string, UTF-8): the path portion of the URL without the query string.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetUrlPath(out ReadOnlySpan<byte> urlPath) => TryGet("request\0url_path"u8, out urlPath);

        /// <summary><c>request.host</c> (string, UTF-8): the host portion of the URL (<c>:authority</c>).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetHost(out ReadOnlySpan<byte> host) => TryGet("request\0host"u8, out host);

        /// <summary><c>request.scheme</c> (string, UTF-8): the scheme portion of the URL, e.g. <c>http</c>.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetScheme(out ReadOnlySpan<byte> scheme) => TryGet("request\0scheme"u8, out scheme);

        /// <summary><c>request.method</c> (string, UTF-8): the request method, e.g. <c>GET</c>.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetMethod(out ReadOnlySpan<byte> method) => TryGet("request\0method"u8, out method);

        /// <summary><c>request.headers</c> (map&lt;string, string&gt;): all request headers by lower-case name, several
        /// values of one name comma-joined; serialized as pairs, returned as a view (<see cref="HeaderPairs"/>).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also for malformed pairs); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetHeaders(out HeaderPairs headers) => TryGetMap("request\0headers"u8, out headers);

        /// <summary><c>request.headers.&lt;name&gt;</c> (string): one request header, several values comma-joined (the
        /// path <c>request\0headers\0name</c>, built on the stack).</summary>
        /// <param name="name">The lower-case header name.</param>
        /// <param name="value">The value bytes.</param>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path exceeds
        /// <see cref="MaxPathLength"/> (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetHeader(scoped ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) => TryGet("request"u8, "headers"u8, name, out value);

        /// <summary><c>request.headers_bytes</c> (int, 8 bytes LE): total size of the request headers in bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetHeadersBytes(out long bytes) => TryGetInt64("request\0headers_bytes"u8, out bytes);

        /// <summary><c>request.referer</c> (string, UTF-8): the <c>referer</c> request header.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetReferer(out ReadOnlySpan<byte> referer) => TryGet("request\0referer"u8, out referer);

        /// <summary><c>request.useragent</c> (string, UTF-8): the <c>user-agent</c> request header.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetUserAgent(out ReadOnlySpan<byte> userAgent) => TryGet("request\0useragent"u8, out userAgent);

        /// <summary><c>request.time</c> (timestamp: int64 ns since the Unix epoch, 8 bytes LE): the time of the first
        /// byte received, as a UTC <see cref="DateTimeOffset"/> (100 ns precision; <see cref="TryGetTimeNanoseconds"/>
        /// gives the nanoseconds).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTime(out DateTimeOffset time) => TryGetTimestamp("request\0time"u8, out time);

        /// <summary><c>request.time</c> as Envoy encodes it: nanoseconds since the Unix epoch (int64, 8 bytes LE).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTimeNanoseconds(out long unixNanoseconds) => TryGetInt64("request\0time"u8, out unixNanoseconds);

        /// <summary><c>request.id</c> (string, UTF-8): the request id, the <c>x-request-id</c> header value.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetId(out ReadOnlySpan<byte> id) => TryGet("request\0id"u8, out id);

        /// <summary><c>request.protocol</c> (string, UTF-8): <c>HTTP/1.0</c>, <c>HTTP/1.1</c>, <c>HTTP/2</c> or <c>HTTP/3</c>.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetProtocol(out ReadOnlySpan<byte> protocol) => TryGet("request\0protocol"u8, out protocol);

        /// <summary><c>request.query</c> (string, UTF-8): the query portion of the URL, <c>name1=value1&amp;name2=value2</c>,
        /// without the <c>?</c>.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetQuery(out ReadOnlySpan<byte> query) => TryGet("request\0query"u8, out query);

        /// <summary><c>request.duration</c> (duration: int64 ns, 8 bytes LE): total duration of the request, once it
        /// completed; as a <see cref="TimeSpan"/> (100 ns precision).</summary>
        /// <returns>Ok; NotFound (not complete yet); SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetDuration(out TimeSpan duration) => Properties.TryGetDuration("request\0duration"u8, out duration);

        /// <summary><c>request.size</c> (int, 8 bytes LE): size of the request body in bytes (Envoy uses
        /// <c>content-length</c> when present).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSize(out long bytes) => TryGetInt64("request\0size"u8, out bytes);

        /// <summary><c>request.total_size</c> (int, 8 bytes LE): total size of the request in bytes, including the
        /// approximate uncompressed size of the headers.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTotalSize(out long bytes) => TryGetInt64("request\0total_size"u8, out bytes);
    }

    /// <summary>
    /// Envoy's response attributes (<c>response.*</c>), available in HTTP filters once the response (headers) arrived or
    /// a local reply was sent, and complete after the request completes (e.g. in <c>[OnLog]</c>); NotFound before and
    /// in a plugin hook. Each getter is one <c>proxy_get_property</c> call with a constant path; nothing is allocated.
    /// </summary>
    public static class Response
    {
        /// <summary><c>response.code</c> (int, 8 bytes LE): the HTTP status code.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetCode(out long code) => TryGetInt64("response\0code"u8, out code);

        /// <summary><c>response.code_details</c> (string, UTF-8): Envoy's internal response code details, e.g.
        /// <c>via_upstream</c> (subject to change).</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetCodeDetails(out ReadOnlySpan<byte> details) => TryGet("response\0code_details"u8, out details);

        /// <summary><c>response.flags</c> (int, 8 bytes LE): Envoy's response flags, a bit vector.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetFlags(out long flags) => TryGetInt64("response\0flags"u8, out flags);

        /// <summary><c>response.grpc_status</c> (int, 8 bytes LE): the gRPC status code of the response.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetGrpcStatus(out long status) => TryGetInt64("response\0grpc_status"u8, out status);

        /// <summary><c>response.headers</c> (map&lt;string, string&gt;): all response headers by lower-case name, as a
        /// view over the serialized pairs (<see cref="HeaderPairs"/>).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also for malformed pairs); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetHeaders(out HeaderPairs headers) => TryGetMap("response\0headers"u8, out headers);

        /// <summary><c>response.headers.&lt;name&gt;</c> (string): one response header, several values comma-joined.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path exceeds
        /// <see cref="MaxPathLength"/> (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetHeader(scoped ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) => TryGet("response"u8, "headers"u8, name, out value);

        /// <summary><c>response.headers_bytes</c> (int, 8 bytes LE): total size of the response headers in bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetHeadersBytes(out long bytes) => TryGetInt64("response\0headers_bytes"u8, out bytes);

        /// <summary><c>response.trailers</c> (map&lt;string, string&gt;): all response trailers by lower-case name, as a
        /// view over the serialized pairs (<see cref="HeaderPairs"/>).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also for malformed pairs); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTrailers(out HeaderPairs trailers) => TryGetMap("response\0trailers"u8, out trailers);

        /// <summary><c>response.trailers.&lt;name&gt;</c> (string): one response trailer.</summary>
        /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path exceeds
        /// <see cref="MaxPathLength"/> (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTrailer(scoped ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) => TryGet("response"u8, "trailers"u8, name, out value);

        /// <summary><c>response.size</c> (int, 8 bytes LE): size of the response body in bytes.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetSize(out long bytes) => TryGetInt64("response\0size"u8, out bytes);

        /// <summary><c>response.total_size</c> (int, 8 bytes LE): total size of the response in bytes, including the
        /// approximate uncompressed size of the headers and trailers.</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetTotalSize(out long bytes) => TryGetInt64("response\0total_size"u8, out bytes);

        /// <summary><c>response.backend_latency</c> (duration: int64 ns, 8 bytes LE): from the first byte sent to the
        /// last byte received from the upstream, as a <see cref="TimeSpan"/> (100 ns precision).</summary>
        /// <returns>Ok; NotFound; SerializationFailure (also when not 8 bytes); InvalidMemoryAccess (<c>proxy_get_property</c>).</returns>
        public static ProxyStatus TryGetBackendLatency(out TimeSpan latency) => TryGetDuration("response\0backend_latency"u8, out latency);
    }
}
