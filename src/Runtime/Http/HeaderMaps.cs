using System;
using System.Runtime.CompilerServices;
using System.Text;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>A header map of the current stream, selected by its <see cref="MapType"/>; see <see cref="HeaderMapExtensions"/>.</summary>
/// <remarks>The map types are empty structs: the host owns the map, and these handles compile to a constant map id.</remarks>
public interface IHeaderMap
{
    /// <summary>The ABI map type (<c>proxy_map_type_t</c>).</summary>
    static abstract MapType Type { get; }
}

/// <summary>Request headers of the current HTTP stream (<see cref="MapType.HttpRequestHeaders"/>).</summary>
public readonly struct RequestHeaders : IHeaderMap
{
    /// <summary>The request headers of the stream whose callback is running (what the glue passes to a hook).</summary>
    public static RequestHeaders Current => default;

    static MapType IHeaderMap.Type => MapType.HttpRequestHeaders;
}

/// <summary>Request trailers of the current HTTP stream (<see cref="MapType.HttpRequestTrailers"/>).</summary>
public readonly struct RequestTrailers : IHeaderMap
{
    /// <summary>The request trailers of the stream whose callback is running (what the glue passes to a hook).</summary>
    public static RequestTrailers Current => default;

    static MapType IHeaderMap.Type => MapType.HttpRequestTrailers;
}

/// <summary>Response headers of the current HTTP stream (<see cref="MapType.HttpResponseHeaders"/>).</summary>
public readonly struct ResponseHeaders : IHeaderMap
{
    /// <summary>The response headers of the stream whose callback is running (what the glue passes to a hook).</summary>
    public static ResponseHeaders Current => default;

    static MapType IHeaderMap.Type => MapType.HttpResponseHeaders;
}

/// <summary>Response trailers of the current HTTP stream (<see cref="MapType.HttpResponseTrailers"/>).</summary>
public readonly struct ResponseTrailers : IHeaderMap
{
    /// <summary>The response trailers of the stream whose callback is running (what the glue passes to a hook).</summary>
    public static ResponseTrailers Current => default;

    static MapType IHeaderMap.Type => MapType.HttpResponseTrailers;
}

/// <summary>
/// Reading and changing a header map. Names and values are raw bytes: Envoy gives lower-case names, values may hold
/// obs-text (non-UTF-8) bytes, which pass through untouched. Spans returned point into memory the host allocated in
/// the module; they stay valid until the current hook returns (see <see cref="HostMemory"/>).
/// </summary>
public static unsafe class HeaderMapExtensions
{
    /// <summary>Reads one header (<c>proxy_get_header_map_value</c>).</summary>
    /// <param name="map">The map.</param>
    /// <param name="name">Lower-case header name, e.g. <c>":authority"u8</c>.</param>
    /// <param name="value">The value bytes, or empty. With several values Envoy returns the first; use <see cref="GetAll"/>
    /// to see every value.</param>
    /// <returns><see langword="true"/> if the header exists; <see langword="false"/> for NotFound or any host error.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGetValue<TMap>(this TMap map, scoped ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
        where TMap : struct, IHeaderMap
    {
        byte* data = null;
        nuint size = 0;
        ProxyStatus status;
        fixed (byte* key = name)
        {
            status = HostCalls.proxy_get_header_map_value(TMap.Type, key, (nuint)name.Length, &data, &size);
        }

        if (status != ProxyStatus.Ok)
        {
            value = default;
            return false;
        }

        value = HostData.AsSpan(data, size);
        return true;
    }

    /// <summary>Reads one header, or an empty span if it is absent (<c>proxy_get_header_map_value</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> GetValue<TMap>(this TMap map, scoped ReadOnlySpan<byte> name)
        where TMap : struct, IHeaderMap
        => map.TryGetValue(name, out ReadOnlySpan<byte> value) ? value : default;

    /// <summary>Whether the header exists (<c>proxy_get_header_map_value</c>).</summary>
    public static bool Contains<TMap>(this TMap map, ReadOnlySpan<byte> name)
        where TMap : struct, IHeaderMap
        => map.TryGetValue(name, out _);

    /// <summary>
    /// Reads one header as a string. <b>Allocates</b> a <see cref="string"/> (UTF-8 decoded; invalid bytes become
    /// U+FFFD): for configuration-time or diagnostic code, not per request. Returns <see langword="null"/> if absent.
    /// </summary>
    public static string? GetValueString<TMap>(this TMap map, ReadOnlySpan<byte> name)
        where TMap : struct, IHeaderMap
        => map.TryGetValue(name, out ReadOnlySpan<byte> value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>
    /// All pairs of the map (<c>proxy_get_header_map_pairs</c>), as a view over the host's serialized buffer.
    /// A malformed buffer yields <see cref="HeaderPairs.Empty"/> and an error log line; a host error yields empty.
    /// </summary>
    public static HeaderPairs GetAll<TMap>(this TMap map)
        where TMap : struct, IHeaderMap
    {
        byte* data = null;
        nuint size = 0;
        if (HostCalls.proxy_get_header_map_pairs(TMap.Type, &data, &size) != ProxyStatus.Ok)
        {
            return HeaderPairs.Empty;
        }

        // Checked before making a span: a size past int.MaxValue cannot be one (TryParse checks spans it is given).
        if (size > HeaderPairs.MaxBytes)
        {
            HostData.ReportMalformed(TMap.Type, PairsError.TooLarge);
            return HeaderPairs.Empty;
        }

        PairsError error = HeaderPairs.TryParse(HostData.AsSpan(data, size), out HeaderPairs pairs);
        if (error != PairsError.None)
        {
            HostData.ReportMalformed(TMap.Type, error);
        }

        return pairs;
    }

    /// <summary>The size in bytes of the map's serialized pairs (<c>proxy_get_header_map_size</c>): what
    /// <see cref="GetAll"/> would copy into the module, so a filter can decide before reading a large map.</summary>
    /// <param name="map">The map.</param>
    /// <param name="size">Bytes of the pairs format (count, lengths, NUL-terminated names and values); 0 unless Ok.</param>
    /// <returns>Ok; BadArgument (the map is not available in this callback); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetSerializedSize<TMap>(this TMap map, out int size)
        where TMap : struct, IHeaderMap
    {
        nuint value = 0;
        ProxyStatus status = HostCalls.proxy_get_header_map_size(TMap.Type, &value);
        size = status != ProxyStatus.Ok ? 0 : value > int.MaxValue ? int.MaxValue : (int)value;
        return status;
    }

    /// <summary>Adds a value, keeping existing ones (<c>proxy_add_header_map_value</c>).</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    public static ProxyStatus Add<TMap>(this TMap map, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        where TMap : struct, IHeaderMap
    {
        fixed (byte* key = name)
        fixed (byte* val = value)
        {
            return HostCalls.proxy_add_header_map_value(TMap.Type, key, (nuint)name.Length, val, (nuint)value.Length);
        }
    }

    /// <summary>Sets a header: removes all its values, then adds this one (<c>proxy_replace_header_map_value</c>).</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ProxyStatus Replace<TMap>(this TMap map, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        where TMap : struct, IHeaderMap
    {
        fixed (byte* key = name)
        fixed (byte* val = value)
        {
            return HostCalls.proxy_replace_header_map_value(TMap.Type, key, (nuint)name.Length, val, (nuint)value.Length);
        }
    }

    /// <summary>Removes every value of a header; Ok also when it is absent (<c>proxy_remove_header_map_value</c>).</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    public static ProxyStatus Remove<TMap>(this TMap map, ReadOnlySpan<byte> name)
        where TMap : struct, IHeaderMap
    {
        fixed (byte* key = name)
        {
            return HostCalls.proxy_remove_header_map_value(TMap.Type, key, (nuint)name.Length);
        }
    }

    /// <summary>
    /// Replaces the whole map with <paramref name="serializedPairs"/> (<c>proxy_set_header_map_pairs</c>); build them
    /// with <see cref="PairsWriter"/>. The buffer is validated first, because Envoy would silently turn a malformed
    /// buffer into an empty map.
    /// </summary>
    /// <returns>Ok; BadArgument (also for a malformed buffer, without calling the host); InvalidMemoryAccess.</returns>
    public static ProxyStatus SetAll<TMap>(this TMap map, ReadOnlySpan<byte> serializedPairs)
        where TMap : struct, IHeaderMap
    {
        if (HeaderPairs.TryParse(serializedPairs, out _) != PairsError.None)
        {
            return ProxyStatus.BadArgument;
        }

        fixed (byte* data = serializedPairs)
        {
            return HostCalls.proxy_set_header_map_pairs(TMap.Type, data, (nuint)serializedPairs.Length);
        }
    }
}
