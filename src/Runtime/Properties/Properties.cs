using System;
using System.Buffers.Binary;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// Host properties, Envoy's attributes (<c>proxy_get_property</c>/<c>proxy_set_property</c>). A path is its segments
/// joined with NUL bytes and no trailing NUL, e.g. <c>"request\0path"u8</c>; the overloads with segments and
/// <see cref="PropertyPath"/> join them on the stack. The nested classes (<see cref="Request"/>, <see cref="Response"/>,
/// <see cref="Source"/>, <see cref="Destination"/>, <see cref="Connection"/>, <see cref="Upstream"/>, <see cref="Xds"/>,
/// <see cref="Plugin"/>) read Envoy's attributes by name and decode Envoy's encoding (strings and bytes as they are,
/// integers as 8 bytes little-endian, booleans as 1 byte, timestamps and durations as int64 nanoseconds, maps in the
/// pairs format, protobuf messages serialized). Values are views of host memory valid until the current callback
/// returns; nothing is allocated.
/// </summary>
/// <remarks>
/// Every getter returns the host's <see cref="ProxyStatus"/>: Ok; NotFound when the attribute is absent in this context
/// (e.g. <c>request.*</c> in a plugin hook, <c>response.*</c> before the response); SerializationFailure when the host
/// could not serialize it, or when the value does not have the size its type has (an integer that is not 8 bytes, a
/// boolean that is not 1 byte, a map that is not well-formed pairs), in which case the value is default;
/// InvalidMemoryAccess; BadArgument when a path built here exceeds its buffer (<see cref="MaxPathLength"/> bytes for the
/// segment overloads), without calling the host. The value is default whenever the status is not Ok.
/// </remarks>
public static unsafe partial class Properties
{
    /// <summary>The longest path the segment overloads build: 1024 bytes (segments and NUL separators).</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Reads the property at <paramref name="path"/> (NUL-joined segments) as raw bytes (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGet(scoped ReadOnlySpan<byte> path, out ReadOnlySpan<byte> value)
    {
        byte* data = null;
        nuint size = 0;
        ProxyStatus status;
        fixed (byte* p = path)
        {
            status = HostCalls.proxy_get_property(p, (nuint)path.Length, &data, &size);
        }

        value = status == ProxyStatus.Ok ? HostData.AsSpan(data, size) : default;
        return status;
    }

    /// <summary>Reads the property at the path <paramref name="path"/> built with <see cref="PropertyPath"/> (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path did not fit its buffer.</returns>
    public static ProxyStatus TryGet(scoped PropertyPath path, out ReadOnlySpan<byte> value)
    {
        if (path.Overflowed)
        {
            value = default;
            return ProxyStatus.BadArgument;
        }

        return TryGet(path.Bytes, out value);
    }

    /// <summary>Reads the property at the path <paramref name="segment1"/>/<paramref name="segment2"/> (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path exceeds <see cref="MaxPathLength"/>.</returns>
    public static ProxyStatus TryGet(scoped ReadOnlySpan<byte> segment1, scoped ReadOnlySpan<byte> segment2, out ReadOnlySpan<byte> value)
        => TryGet(segment1, segment2, default, default, 2, out value);

    /// <summary>Reads the property at the path <paramref name="segment1"/>/<paramref name="segment2"/>/<paramref name="segment3"/>,
    /// e.g. <c>request</c>, <c>headers</c>, <c>x-id</c> (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path exceeds <see cref="MaxPathLength"/>.</returns>
    public static ProxyStatus TryGet(scoped ReadOnlySpan<byte> segment1, scoped ReadOnlySpan<byte> segment2, scoped ReadOnlySpan<byte> segment3, out ReadOnlySpan<byte> value)
        => TryGet(segment1, segment2, segment3, default, 3, out value);

    /// <summary>Reads the property at the path of four segments (<c>proxy_get_property</c>); for more, use <see cref="PropertyPath"/>.</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path exceeds <see cref="MaxPathLength"/>.</returns>
    public static ProxyStatus TryGet(scoped ReadOnlySpan<byte> segment1, scoped ReadOnlySpan<byte> segment2, scoped ReadOnlySpan<byte> segment3, scoped ReadOnlySpan<byte> segment4, out ReadOnlySpan<byte> value)
        => TryGet(segment1, segment2, segment3, segment4, 4, out value);

    /// <summary>Sets the property at <paramref name="path"/> (NUL-joined segments) (<c>proxy_set_property</c>). Envoy
    /// keeps it as filter state of the stream (or of the plugin on a root context), readable with <see cref="TryGet(ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>.</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    public static ProxyStatus Set(ReadOnlySpan<byte> path, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = path)
        fixed (byte* v = value)
        {
            return HostCalls.proxy_set_property(p, (nuint)path.Length, v, (nuint)value.Length);
        }
    }

    /// <summary>Sets the property at the path built with <see cref="PropertyPath"/> (<c>proxy_set_property</c>).</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess; BadArgument when the path did not fit its buffer.</returns>
    public static ProxyStatus Set(scoped PropertyPath path, ReadOnlySpan<byte> value)
        => path.Overflowed ? ProxyStatus.BadArgument : Set(path.Bytes, value);

    // ---- typed reads of any path (Envoy's encoding) ----

    /// <summary>Reads an <c>int</c> attribute: 8 bytes, little-endian, signed (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure (also when the value is not 8 bytes); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetInt64(scoped ReadOnlySpan<byte> path, out long value)
    {
        ProxyStatus status = TryGetFixed(path, 8, out ReadOnlySpan<byte> raw);
        value = status == ProxyStatus.Ok ? BinaryPrimitives.ReadInt64LittleEndian(raw) : 0;
        return status;
    }

    /// <summary>Reads a <c>uint</c> attribute: 8 bytes, little-endian, unsigned (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure (also when the value is not 8 bytes); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetUInt64(scoped ReadOnlySpan<byte> path, out ulong value)
    {
        ProxyStatus status = TryGetFixed(path, 8, out ReadOnlySpan<byte> raw);
        value = status == ProxyStatus.Ok ? BinaryPrimitives.ReadUInt64LittleEndian(raw) : 0;
        return status;
    }

    /// <summary>Reads a <c>bool</c> attribute: 1 byte, non-zero is true (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure (also when the value is not 1 byte); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetBool(scoped ReadOnlySpan<byte> path, out bool value)
    {
        ProxyStatus status = TryGetFixed(path, 1, out ReadOnlySpan<byte> raw);
        value = status == ProxyStatus.Ok && raw[0] != 0;
        return status;
    }

    /// <summary>Reads a <c>timestamp</c> attribute: int64 nanoseconds since the Unix epoch, 8 bytes little-endian,
    /// returned as a UTC <see cref="DateTimeOffset"/> (truncated to its 100 ns ticks; <see cref="TryGetInt64"/> gives
    /// the exact nanoseconds) (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure (also when the value is not 8 bytes); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetTimestamp(scoped ReadOnlySpan<byte> path, out DateTimeOffset value)
    {
        ProxyStatus status = TryGetInt64(path, out long nanoseconds);
        value = status == ProxyStatus.Ok ? DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100) : default;
        return status;
    }

    /// <summary>Reads a <c>duration</c> attribute: int64 nanoseconds, 8 bytes little-endian, returned as a
    /// <see cref="TimeSpan"/> (truncated to its 100 ns ticks; <see cref="TryGetInt64"/> gives the exact nanoseconds)
    /// (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure (also when the value is not 8 bytes); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetDuration(scoped ReadOnlySpan<byte> path, out TimeSpan value)
    {
        ProxyStatus status = TryGetInt64(path, out long nanoseconds);
        value = status == ProxyStatus.Ok ? TimeSpan.FromTicks(nanoseconds / 100) : default;
        return status;
    }

    /// <summary>Reads a <c>map</c> attribute (e.g. <c>request.headers</c>): Envoy serializes it in the pairs format
    /// (u32 count, the lengths, then each key and value NUL-terminated); returned as a validated view over the host's
    /// bytes, enumerated as <see cref="HeaderPair"/>s, with <see cref="HeaderPairs.TryGetValue"/> (<c>proxy_get_property</c>).</summary>
    /// <returns>Ok; NotFound; SerializationFailure (also when the bytes are not well-formed pairs, more than 1024 pairs
    /// or 1 MiB); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetMap(scoped ReadOnlySpan<byte> path, out HeaderPairs value)
    {
        ProxyStatus status = TryGet(path, out ReadOnlySpan<byte> raw);
        value = HeaderPairs.Empty;
        if (status != ProxyStatus.Ok)
        {
            return status;
        }

        if (HeaderPairs.TryParse(raw, out value) != PairsError.None)
        {
            Log.Write(LogLevel.Error, "proxy-wasm: a map property from the host is not well-formed pairs; SerializationFailure."u8);
            return ProxyStatus.SerializationFailure;
        }

        return ProxyStatus.Ok;
    }

    private static ProxyStatus TryGetFixed(scoped ReadOnlySpan<byte> path, int size, out ReadOnlySpan<byte> raw)
    {
        ProxyStatus status = TryGet(path, out raw);
        if (status == ProxyStatus.Ok && raw.Length != size)
        {
            raw = default;
            Log.Write(LogLevel.Error, "proxy-wasm: a property from the host does not have its type's size; SerializationFailure."u8);
            return ProxyStatus.SerializationFailure;
        }

        return status;
    }

    private static ProxyStatus TryGet(scoped ReadOnlySpan<byte> s1, scoped ReadOnlySpan<byte> s2, scoped ReadOnlySpan<byte> s3, scoped ReadOnlySpan<byte> s4, int count, out ReadOnlySpan<byte> value)
    {
        var path = new PropertyPath(stackalloc byte[MaxPathLength]);
        path.Append(s1);
        path.Append(s2);
        if (count > 2)
        {
            path.Append(s3);
        }

        if (count > 3)
        {
            path.Append(s4);
        }

        return TryGet(path, out value);
    }
}
