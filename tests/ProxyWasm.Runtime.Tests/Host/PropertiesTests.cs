using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Host;

/// <summary>The typed property accessors against the fake host: the path each reads, Envoy's encoding decoded, a value
/// of the wrong size refused (SerializationFailure, default value), NotFound passed on; paths built on the stack.</summary>
public class PropertiesTests : HostTest
{
    private delegate ProxyStatus SpanGetter(out ReadOnlySpan<byte> value);

    private delegate ProxyStatus Int64Getter(out long value);

    private delegate ProxyStatus UInt64Getter(out ulong value);

    private delegate ProxyStatus BoolGetter(out bool value);

    private delegate ProxyStatus DurationGetter(out TimeSpan value);

    private delegate ProxyStatus MapGetter(out HeaderPairs value);

    private static readonly (string Path, SpanGetter Get)[] Strings =
    [
        ("request.path", Properties.Request.TryGetPath),
        ("request.url_path", Properties.Request.TryGetUrlPath),
        ("request.host", Properties.Request.TryGetHost),
        ("request.scheme", Properties.Request.TryGetScheme),
        ("request.method", Properties.Request.TryGetMethod),
        ("request.referer", Properties.Request.TryGetReferer),
        ("request.useragent", Properties.Request.TryGetUserAgent),
        ("request.id", Properties.Request.TryGetId),
        ("request.protocol", Properties.Request.TryGetProtocol),
        ("request.query", Properties.Request.TryGetQuery),
        ("response.code_details", Properties.Response.TryGetCodeDetails),
        ("source.address", Properties.Source.TryGetAddress),
        ("destination.address", Properties.Destination.TryGetAddress),
        ("connection.requested_server_name", Properties.Connection.TryGetRequestedServerName),
        ("connection.tls_version", Properties.Connection.TryGetTlsVersion),
        ("connection.subject_local_certificate", Properties.Connection.TryGetSubjectLocalCertificate),
        ("connection.subject_peer_certificate", Properties.Connection.TryGetSubjectPeerCertificate),
        ("connection.dns_san_local_certificate", Properties.Connection.TryGetDnsSanLocalCertificate),
        ("connection.dns_san_peer_certificate", Properties.Connection.TryGetDnsSanPeerCertificate),
        ("connection.uri_san_local_certificate", Properties.Connection.TryGetUriSanLocalCertificate),
        ("connection.uri_san_peer_certificate", Properties.Connection.TryGetUriSanPeerCertificate),
        ("connection.sha256_peer_certificate_digest", Properties.Connection.TryGetSha256PeerCertificateDigest),
        ("connection.peer_certificate", Properties.Connection.TryGetPeerCertificate),
        ("connection.transport_failure_reason", Properties.Connection.TryGetTransportFailureReason),
        ("connection.termination_details", Properties.Connection.TryGetTerminationDetails),
        ("upstream.address", Properties.Upstream.TryGetAddress),
        ("upstream.local_address", Properties.Upstream.TryGetLocalAddress),
        ("upstream.tls_version", Properties.Upstream.TryGetTlsVersion),
        ("upstream.subject_local_certificate", Properties.Upstream.TryGetSubjectLocalCertificate),
        ("upstream.subject_peer_certificate", Properties.Upstream.TryGetSubjectPeerCertificate),
        ("upstream.dns_san_local_certificate", Properties.Upstream.TryGetDnsSanLocalCertificate),
        ("upstream.dns_san_peer_certificate", Properties.Upstream.TryGetDnsSanPeerCertificate),
        ("upstream.uri_san_local_certificate", Properties.Upstream.TryGetUriSanLocalCertificate),
        ("upstream.uri_san_peer_certificate", Properties.Upstream.TryGetUriSanPeerCertificate),
        ("upstream.sha256_peer_certificate_digest", Properties.Upstream.TryGetSha256PeerCertificateDigest),
        ("upstream.peer_certificate", Properties.Upstream.TryGetPeerCertificate),
        ("upstream.transport_failure_reason", Properties.Upstream.TryGetTransportFailureReason),
        ("upstream.locality", Properties.Upstream.TryGetLocality),
        ("xds.node", Properties.Xds.TryGetNode),
        ("xds.cluster_name", Properties.Xds.TryGetClusterName),
        ("xds.cluster_metadata", Properties.Xds.TryGetClusterMetadata),
        ("xds.listener_metadata", Properties.Xds.TryGetListenerMetadata),
        ("xds.route_name", Properties.Xds.TryGetRouteName),
        ("xds.route_metadata", Properties.Xds.TryGetRouteMetadata),
        ("xds.virtual_host_name", Properties.Xds.TryGetVirtualHostName),
        ("xds.virtual_host_metadata", Properties.Xds.TryGetVirtualHostMetadata),
        ("xds.upstream_host_metadata", Properties.Xds.TryGetUpstreamHostMetadata),
        ("xds.filter_chain_name", Properties.Xds.TryGetFilterChainName),
        ("plugin_name", Properties.Plugin.TryGetName),
        ("plugin_root_id", Properties.Plugin.TryGetRootId),
        ("plugin_vm_id", Properties.Plugin.TryGetVmId),
    ];

    private static readonly (string Path, Int64Getter Get)[] Int64s =
    [
        ("request.headers_bytes", Properties.Request.TryGetHeadersBytes),
        ("request.time", Properties.Request.TryGetTimeNanoseconds),
        ("request.size", Properties.Request.TryGetSize),
        ("request.total_size", Properties.Request.TryGetTotalSize),
        ("response.code", Properties.Response.TryGetCode),
        ("response.flags", Properties.Response.TryGetFlags),
        ("response.grpc_status", Properties.Response.TryGetGrpcStatus),
        ("response.headers_bytes", Properties.Response.TryGetHeadersBytes),
        ("response.size", Properties.Response.TryGetSize),
        ("response.total_size", Properties.Response.TryGetTotalSize),
        ("source.port", Properties.Source.TryGetPort),
        ("destination.port", Properties.Destination.TryGetPort),
        ("upstream.port", Properties.Upstream.TryGetPort),
        ("xds.listener_direction", Properties.Xds.TryGetListenerDirection),
    ];

    private static readonly (string Path, UInt64Getter Get)[] UInt64s =
    [
        ("connection.id", Properties.Connection.TryGetId),
        ("upstream.request_attempt_count", Properties.Upstream.TryGetRequestAttemptCount),
        ("upstream.num_endpoints", Properties.Upstream.TryGetNumEndpoints),
    ];

    private static readonly (string Path, DurationGetter Get)[] Durations =
    [
        ("request.duration", Properties.Request.TryGetDuration),
        ("response.backend_latency", Properties.Response.TryGetBackendLatency),
        ("upstream.cx_pool_ready_duration", Properties.Upstream.TryGetConnectionPoolReadyDuration),
    ];

    private static readonly (string Path, MapGetter Get)[] Maps =
    [
        ("request.headers", Properties.Request.TryGetHeaders),
        ("response.headers", Properties.Response.TryGetHeaders),
        ("response.trailers", Properties.Response.TryGetTrailers),
    ];

    private static string Key(string dotted) => dotted.Replace('.', '\0');

    private static byte[] Int64(long value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Pairs(params (string Name, string Value)[] pairs)
    {
        byte[] buffer = new byte[4 + pairs.Sum(p => PairsWriter.SizeOf(Encoding.UTF8.GetBytes(p.Name), Encoding.UTF8.GetBytes(p.Value)))];
        var writer = new PairsWriter(buffer, pairs.Length);
        foreach ((string name, string value) in pairs)
        {
            writer.Add(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(value));
        }

        return buffer;
    }

    private string LastPath() => Encoding.Latin1.GetString(Host.PropertyPaths[^1]);

    [Fact]
    public void String_getters_read_their_path_as_is_and_pass_NotFound_on()
    {
        foreach ((string path, SpanGetter get) in Strings)
        {
            Host.Properties[Key(path)] = Encoding.UTF8.GetBytes("v:" + path);
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.Ok, get(out ReadOnlySpan<byte> value));
                Assert.Equal("v:" + path, Encoding.UTF8.GetString(value));
            });
            Assert.Equal(Key(path), LastPath());

            Host.Properties.Clear();
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.NotFound, get(out ReadOnlySpan<byte> value));
                Assert.True(value.IsEmpty, path);
            });
        }
    }

    [Fact]
    public void Int64_getters_decode_8_bytes_little_endian_and_refuse_other_sizes()
    {
        foreach ((string path, Int64Getter get) in Int64s)
        {
            Host.Properties[Key(path)] = Int64(-1234567890123);
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.Ok, get(out long value));
                Assert.Equal(-1234567890123, value);
            });
            Assert.Equal(Key(path), LastPath());

            foreach (int size in new[] { 0, 1, 4, 7, 9, 16 })
            {
                Host.Properties[Key(path)] = Enumerable.Repeat((byte)0xAB, size).ToArray();
                InCallback(() =>
                {
                    Assert.Equal(ProxyStatus.SerializationFailure, get(out long value));
                    Assert.Equal(0, value);
                });
            }

            Host.Properties.Clear();
            InCallback(() => Assert.Equal(ProxyStatus.NotFound, get(out long _)));
        }
    }

    [Fact]
    public void UInt64_getters_decode_8_bytes_unsigned()
    {
        foreach ((string path, UInt64Getter get) in UInt64s)
        {
            Host.Properties[Key(path)] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE];
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.Ok, get(out ulong value));
                Assert.Equal(0xFEFF_FFFF_FFFF_FFFFul, value);
            });
            Assert.Equal(Key(path), LastPath());
            Host.Properties[Key(path)] = [1, 2, 3];
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.SerializationFailure, get(out ulong value));
                Assert.Equal(0ul, value);
            });
            Host.Properties.Clear();
            InCallback(() => Assert.Equal(ProxyStatus.NotFound, get(out ulong _)));
        }
    }

    [Fact]
    public void Bool_getter_is_one_byte()
    {
        Host.Properties["connection\0mtls"] = [1];
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.Connection.TryGetMtls(out bool mtls));
            Assert.True(mtls);
        });
        Host.Properties["connection\0mtls"] = [0];
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.Connection.TryGetMtls(out bool mtls));
            Assert.False(mtls);
        });
        foreach (byte[] wrong in new[] { Array.Empty<byte>(), new byte[] { 1, 0 }, Int64(1) })
        {
            Host.Properties["connection\0mtls"] = wrong;
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.SerializationFailure, Properties.Connection.TryGetMtls(out bool mtls));
                Assert.False(mtls);
            });
        }

        Host.Properties.Clear();
        InCallback(() => Assert.Equal(ProxyStatus.NotFound, Properties.Connection.TryGetMtls(out _)));
    }

    [Fact]
    public void Timestamps_and_durations_are_int64_nanoseconds()
    {
        var time = new DateTimeOffset(2026, 12, 2, 0, 30, 15, TimeSpan.Zero).AddTicks(1234567);
        long nanoseconds = ((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100) + 89;
        Host.Properties["request\0time"] = Int64(nanoseconds);
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.Request.TryGetTime(out DateTimeOffset value));
            Assert.Equal(time, value);
            Assert.Equal(TimeSpan.Zero, value.Offset);
            Assert.Equal(ProxyStatus.Ok, Properties.Request.TryGetTimeNanoseconds(out long exact));
            Assert.Equal(nanoseconds, exact);
        });
        Host.Properties["request\0time"] = [1, 2];
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.SerializationFailure, Properties.Request.TryGetTime(out DateTimeOffset value));
            Assert.Equal(default, value);
        });

        foreach ((string path, DurationGetter get) in Durations)
        {
            Host.Properties[Key(path)] = Int64(1_500_000_250);
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.Ok, get(out TimeSpan value));
                Assert.Equal(TimeSpan.FromTicks(15_000_002), value);
            });
            Assert.Equal(Key(path), LastPath());
            Host.Properties[Key(path)] = new byte[7];
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.SerializationFailure, get(out TimeSpan value));
                Assert.Equal(TimeSpan.Zero, value);
            });
            Host.Properties.Clear();
            InCallback(() => Assert.Equal(ProxyStatus.NotFound, get(out TimeSpan _)));
        }
    }

    [Fact]
    public void Map_getters_give_a_view_over_the_pairs_with_lookup()
    {
        foreach ((string path, MapGetter get) in Maps)
        {
            Host.Properties[Key(path)] = Pairs((":path", "/a"), ("x-multi", "one,two"), ("empty", ""));
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.Ok, get(out HeaderPairs map));
                Assert.Equal(3, map.Count);
                var seen = new List<string>();
                foreach (HeaderPair pair in map)
                {
                    seen.Add(Encoding.UTF8.GetString(pair.Name) + "=" + Encoding.UTF8.GetString(pair.Value));
                }

                Assert.Equal([":path=/a", "x-multi=one,two", "empty="], seen);
                Assert.True(map.TryGetValue("x-multi"u8, out ReadOnlySpan<byte> value));
                Assert.Equal("one,two", Encoding.UTF8.GetString(value));
                Assert.False(map.TryGetValue("absent"u8, out _));
            });
            Assert.Equal(Key(path), LastPath());

            // Truncated, a length past the end, a missing NUL: refused, the view is empty.
            foreach (byte[] malformed in new[] { new byte[] { 1, 0, 0 }, new byte[] { 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, (byte)'a', 0, 0 }, new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 1, (byte)'b', 0 } })
            {
                Host.Properties[Key(path)] = malformed;
                InCallback(() =>
                {
                    Assert.Equal(ProxyStatus.SerializationFailure, get(out HeaderPairs map));
                    Assert.Equal(0, map.Count);
                });
            }

            // Envoy sends an empty map as no bytes at all.
            Host.Properties[Key(path)] = [];
            InCallback(() =>
            {
                Assert.Equal(ProxyStatus.Ok, get(out HeaderPairs map));
                Assert.Equal(0, map.Count);
            });

            Host.Properties.Clear();
            InCallback(() => Assert.Equal(ProxyStatus.NotFound, get(out HeaderPairs _)));
        }
    }

    [Fact]
    public void Header_and_trailer_lookups_read_a_three_segment_path()
    {
        Host.Properties["request\0headers\0x-id"] = "r1"u8.ToArray();
        Host.Properties["response\0headers\0server"] = "envoy"u8.ToArray();
        Host.Properties["response\0trailers\0grpc-status"] = "0"u8.ToArray();
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.Request.TryGetHeader("x-id"u8, out ReadOnlySpan<byte> id));
            Assert.Equal("r1", Encoding.ASCII.GetString(id));
            Assert.Equal(ProxyStatus.Ok, Properties.Response.TryGetHeader("server"u8, out ReadOnlySpan<byte> server));
            Assert.Equal("envoy", Encoding.ASCII.GetString(server));
            Assert.Equal(ProxyStatus.Ok, Properties.Response.TryGetTrailer("grpc-status"u8, out ReadOnlySpan<byte> grpc));
            Assert.Equal("0", Encoding.ASCII.GetString(grpc));
            Assert.Equal(ProxyStatus.NotFound, Properties.Request.TryGetHeader("absent"u8, out _));
            Assert.Equal(ProxyStatus.BadArgument, Properties.Request.TryGetHeader(new byte[Properties.MaxPathLength], out _));
        });
        Assert.Equal(4, Host.PropertyPaths.Count);
        Assert.Equal("request\0headers\0absent", LastPath());
    }

    [Fact]
    public void Xds_getters_fall_back_to_the_top_level_names_of_envoy_before_1_33()
    {
        Host.Properties["cluster_name"] = "legacy"u8.ToArray();
        Host.Properties["listener_direction"] = Int64(2);
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.Xds.TryGetClusterName(out ReadOnlySpan<byte> name));
            Assert.Equal("legacy", Encoding.ASCII.GetString(name));
            Assert.Equal(ProxyStatus.Ok, Properties.Xds.TryGetListenerDirection(out long direction));
            Assert.Equal(2, direction);
            Assert.Equal(ProxyStatus.NotFound, Properties.Xds.TryGetNode(out _));
        });
        Assert.Equal(["xds\0cluster_name", "cluster_name", "xds\0listener_direction", "listener_direction", "xds\0node", "node"],
            Host.PropertyPaths.Select(p => Encoding.Latin1.GetString(p)));

        // The xds path wins, and another failure is not retried.
        Host.PropertyPaths.Clear();
        Host.Properties["xds\0cluster_name"] = "current"u8.ToArray();
        Host.Properties["xds\0listener_direction"] = [1];
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.Xds.TryGetClusterName(out ReadOnlySpan<byte> name));
            Assert.Equal("current", Encoding.ASCII.GetString(name));
            Assert.Equal(ProxyStatus.SerializationFailure, Properties.Xds.TryGetListenerDirection(out long direction));
            Assert.Equal(0, direction);
        });
        Assert.Equal(["xds\0cluster_name", "xds\0listener_direction"], Host.PropertyPaths.Select(p => Encoding.Latin1.GetString(p)));
    }

    [Fact]
    public void A_host_error_is_passed_on_with_a_default_value()
    {
        Host.Properties["response\0code"] = Int64(200);
        Host.ForcedStatus["proxy_get_property"] = ProxyStatus.SerializationFailure;
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.SerializationFailure, Properties.Response.TryGetCode(out long code));
            Assert.Equal(0, code);
            Assert.Equal(ProxyStatus.SerializationFailure, Properties.Request.TryGetPath(out ReadOnlySpan<byte> path));
            Assert.True(path.IsEmpty);
            Assert.Equal(ProxyStatus.SerializationFailure, Properties.Request.TryGetHeaders(out HeaderPairs headers));
            Assert.Equal(0, headers.Count);
        });
    }

    [Fact]
    public void Segment_overloads_join_three_and_four_segments()
    {
        Host.Properties["metadata\0filter_metadata\0envoy.lb"] = "3"u8.ToArray();
        Host.Properties["metadata\0filter_metadata\0envoy.lb\0canary"] = "4"u8.ToArray();
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.TryGet("metadata"u8, "filter_metadata"u8, "envoy.lb"u8, out ReadOnlySpan<byte> three));
            Assert.Equal("3", Encoding.ASCII.GetString(three));
            Assert.Equal(ProxyStatus.Ok, Properties.TryGet("metadata"u8, "filter_metadata"u8, "envoy.lb"u8, "canary"u8, out ReadOnlySpan<byte> four));
            Assert.Equal("4", Encoding.ASCII.GetString(four));
            Assert.Equal(ProxyStatus.BadArgument, Properties.TryGet("a"u8, "b"u8, "c"u8, new byte[Properties.MaxPathLength - 5], out ReadOnlySpan<byte> tooLong));
            Assert.True(tooLong.IsEmpty);
            Assert.Equal(ProxyStatus.NotFound, Properties.TryGet("a"u8, "b"u8, "c"u8, new byte[Properties.MaxPathLength - 6], out _));
        });
        Assert.Equal(3, Host.PropertyPaths.Count);
        Assert.Equal(Properties.MaxPathLength, Host.PropertyPaths[^1].Length);
    }

    [Fact]
    public void PropertyPath_joins_any_number_of_segments_and_refuses_what_does_not_fit()
    {
        Host.Properties["a\0bb\0\0ccc\0d"] = "deep"u8.ToArray();
        InCallback(() =>
        {
            var path = new PropertyPath(stackalloc byte[16]);
            Assert.True(path.Append("a"u8));
            Assert.True(path.Append("bb"u8));
            Assert.True(path.Append(""u8));
            Assert.True(path.Append("ccc"u8));
            Assert.True(path.Append("d"u8));
            Assert.Equal(5, path.SegmentCount);
            Assert.False(path.Overflowed);
            Assert.Equal("a\0bb\0\0ccc\0d", Encoding.ASCII.GetString(path.Bytes));
            Assert.Equal(ProxyStatus.Ok, Properties.TryGet(path, out ReadOnlySpan<byte> value));
            Assert.Equal("deep", Encoding.ASCII.GetString(value));

            // 11 bytes used: "\0" and 5 more would make 17 > 16.
            Assert.False(path.Append("eeeee"u8));
            Assert.True(path.Overflowed);
            Assert.False(path.Append(""u8));
            Assert.Equal(ProxyStatus.BadArgument, Properties.TryGet(path, out value));
            Assert.True(value.IsEmpty);
            Assert.Equal(ProxyStatus.BadArgument, Properties.Set(path, "x"u8));

            var exact = new PropertyPath(stackalloc byte[3]);
            Assert.True(exact.Append("a"u8));
            Assert.True(exact.Append("b"u8));
            Assert.Equal(ProxyStatus.Ok, Properties.Set(exact, "v"u8));
        });
        Assert.Single(Host.PropertyPaths);
        Assert.Equal("v"u8.ToArray(), Host.Properties["a\0b"]);
    }

    [Fact]
    public void Typed_getters_allocate_nothing()
    {
        Host.Properties["request\0path"] = "/p"u8.ToArray();
        Host.Properties["response\0code"] = Int64(200);
        Host.Properties["request\0headers"] = Pairs(("a", "1"), ("b", "2"));
        Host.Properties["request\0time"] = Int64(1);
        Host.Properties["connection\0mtls"] = [1];
        long total = 0;
        void Run()
        {
            Properties.Request.TryGetPath(out ReadOnlySpan<byte> path);
            Properties.Response.TryGetCode(out long code);
            Properties.Request.TryGetHeaders(out HeaderPairs headers);
            foreach (HeaderPair pair in headers)
            {
                total += pair.Value.Length;
            }

            headers.TryGetValue("b"u8, out _);
            Properties.Request.TryGetTime(out DateTimeOffset time);
            Properties.Connection.TryGetMtls(out bool mtls);
            Properties.Request.TryGetHeader("a"u8, out _);
            Properties.Xds.TryGetNode(out _);
            var built = new PropertyPath(stackalloc byte[64]);
            built.Append("request"u8);
            built.Append("path"u8);
            Properties.TryGet(built, out _);
            total += path.Length + code + time.Year + (mtls ? 1 : 0);
        }

        // The fake host allocates for its own bookkeeping (copies, keys, its call lists, pre-sized here so they do not
        // grow while measuring); what the runtime allocates is the difference to the same host calls made directly.
        // Each round is one callback scope, as an export is, so the host-memory record does not grow either.
        Host.PropertyPaths.Capacity = 10_000;
        Host.Calls.Capacity = 10_000;
        long Measure(Action round)
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                int mark = HostMemory.Enter();
                round();
                HostMemory.Exit(mark);
            }

            return GC.GetAllocatedBytesForCurrentThread() - start;
        }

        Measure(Run);
        Measure(() => Baseline(Host));
        long runtime = Measure(Run);
        long host = Measure(() => Baseline(Host));
        Assert.Equal(host, runtime);
        Assert.Equal(0, HostMemory.LiveBlocks);
        Assert.True(total > 0);
    }

    /// <summary>The host calls <c>Run</c> makes (ten: Xds.TryGetNode falls back), through the host directly.</summary>
    private static unsafe void Baseline(FakeHost host)
    {
        ReadOnlySpan<byte> paths = "request\0path|response\0code|request\0headers|request\0time|connection\0mtls|request\0headers\0a|xds\0node|node|request\0path"u8;
        foreach (Range range in paths.Split((byte)'|'))
        {
            ReadOnlySpan<byte> path = paths[range];
            byte* data = null;
            nuint size = 0;
            fixed (byte* p = path)
            {
                host.proxy_get_property(p, (nuint)path.Length, &data, &size);
            }
        }
    }
}
