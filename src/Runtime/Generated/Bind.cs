using System;
using System.ComponentModel;

namespace ProxyWasm.Generated;

/// <summary>
/// What the glue calls to fill a <see cref="HeaderAttribute"/> or <see cref="PropertyAttribute"/> hook parameter: one
/// host call each (<c>proxy_get_header_map_value</c> or <c>proxy_get_property</c>), nothing allocated; the bytes view
/// host memory freed when the callback returns. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Bind
{
    /// <summary>The header's value, or empty when it is absent or the host fails.</summary>
    public static ReadOnlySpan<byte> Header<TMap>(TMap map, ReadOnlySpan<byte> name)
        where TMap : struct, IHeaderMap
        => map.GetValue(name);

    /// <summary>The header's value and whether it exists.</summary>
    public static OptionalBytes OptionalHeader<TMap>(TMap map, ReadOnlySpan<byte> name)
        where TMap : struct, IHeaderMap
        => map.TryGetValue(name, out ReadOnlySpan<byte> value) ? new OptionalBytes(value) : default;

    /// <summary>Whether the header exists.</summary>
    public static bool HasHeader<TMap>(TMap map, ReadOnlySpan<byte> name)
        where TMap : struct, IHeaderMap
        => map.Contains(name);

    /// <summary>The property's raw bytes (NUL-joined <paramref name="path"/>), or empty.</summary>
    public static ReadOnlySpan<byte> Property(ReadOnlySpan<byte> path)
        => Properties.TryGet(path, out ReadOnlySpan<byte> value) == ProxyStatus.Ok ? value : default;

    /// <summary>The property's raw bytes and whether it exists.</summary>
    public static OptionalBytes OptionalProperty(ReadOnlySpan<byte> path)
        => Properties.TryGet(path, out ReadOnlySpan<byte> value) == ProxyStatus.Ok ? new OptionalBytes(value) : default;

    /// <summary>An <c>int</c> attribute, or 0.</summary>
    public static long PropertyInt64(ReadOnlySpan<byte> path) => Properties.TryGetInt64(path, out long value) == ProxyStatus.Ok ? value : 0;

    /// <summary>An <c>int</c> attribute, or null.</summary>
    public static long? NullablePropertyInt64(ReadOnlySpan<byte> path) => Properties.TryGetInt64(path, out long value) == ProxyStatus.Ok ? value : null;

    /// <summary>A <c>uint</c> attribute, or 0.</summary>
    public static ulong PropertyUInt64(ReadOnlySpan<byte> path) => Properties.TryGetUInt64(path, out ulong value) == ProxyStatus.Ok ? value : 0;

    /// <summary>A <c>uint</c> attribute, or null.</summary>
    public static ulong? NullablePropertyUInt64(ReadOnlySpan<byte> path) => Properties.TryGetUInt64(path, out ulong value) == ProxyStatus.Ok ? value : null;

    /// <summary>A <c>bool</c> attribute, or false.</summary>
    public static bool PropertyBool(ReadOnlySpan<byte> path) => Properties.TryGetBool(path, out bool value) == ProxyStatus.Ok && value;

    /// <summary>A <c>bool</c> attribute, or null.</summary>
    public static bool? NullablePropertyBool(ReadOnlySpan<byte> path) => Properties.TryGetBool(path, out bool value) == ProxyStatus.Ok ? value : null;

    /// <summary>A <c>timestamp</c> attribute, or <see langword="default"/> (0001-01-01).</summary>
    public static DateTimeOffset PropertyTimestamp(ReadOnlySpan<byte> path) => Properties.TryGetTimestamp(path, out DateTimeOffset value) == ProxyStatus.Ok ? value : default;

    /// <summary>A <c>timestamp</c> attribute, or null.</summary>
    public static DateTimeOffset? NullablePropertyTimestamp(ReadOnlySpan<byte> path) => Properties.TryGetTimestamp(path, out DateTimeOffset value) == ProxyStatus.Ok ? value : null;

    /// <summary>A <c>duration</c> attribute, or zero.</summary>
    public static TimeSpan PropertyDuration(ReadOnlySpan<byte> path) => Properties.TryGetDuration(path, out TimeSpan value) == ProxyStatus.Ok ? value : default;

    /// <summary>A <c>duration</c> attribute, or null.</summary>
    public static TimeSpan? NullablePropertyDuration(ReadOnlySpan<byte> path) => Properties.TryGetDuration(path, out TimeSpan value) == ProxyStatus.Ok ? value : null;

    /// <summary>A <c>map</c> attribute, or no pairs.</summary>
    public static HeaderPairs PropertyMap(ReadOnlySpan<byte> path) => Properties.TryGetMap(path, out HeaderPairs value) == ProxyStatus.Ok ? value : default;
}
