using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ProxyWasm.Testing;

/// <summary>
/// Encodes property values and paths the way Envoy does for <c>proxy_get_property</c>, for
/// <see cref="HostOptions.Properties"/> and <see cref="ProxyWasmHost.SetProperty"/>: strings as UTF-8 bytes, <c>int</c>
/// and <c>uint</c> as 8 bytes little-endian, <c>bool</c> as 1 byte, timestamps and durations as int64 nanoseconds,
/// maps in the pairs format.
/// </summary>
public static class PropertyValue
{
    /// <summary>A path: the segments joined with <c>'\0'</c>, e.g. <c>Path("request", "headers", "x-id")</c>.</summary>
    public static string Path(params string[] segments) => string.Join('\0', segments);

    /// <summary>A <c>string</c> value: the UTF-8 bytes.</summary>
    public static byte[] String(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>An <c>int</c> value: 8 bytes little-endian.</summary>
    public static byte[] Int64(long value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>A <c>uint</c> value: 8 bytes little-endian.</summary>
    public static byte[] UInt64(ulong value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>A <c>bool</c> value: one byte, 1 or 0.</summary>
    public static byte[] Bool(bool value) => [value ? (byte)1 : (byte)0];

    /// <summary>A <c>timestamp</c> value: nanoseconds since the Unix epoch, 8 bytes little-endian.</summary>
    public static byte[] Timestamp(DateTimeOffset value) => Int64(Nanoseconds(value));

    /// <summary>A <c>duration</c> value: nanoseconds, 8 bytes little-endian.</summary>
    public static byte[] Duration(TimeSpan value) => Int64(value.Ticks * 100);

    /// <summary>A <c>map</c> value: the pairs format (u32 count, the lengths, each key and value NUL-terminated), in order.</summary>
    public static byte[] Map(params (string Key, string Value)[] entries)
        => Map(entries.Select(e => (Encoding.UTF8.GetBytes(e.Key), Encoding.UTF8.GetBytes(e.Value))));

    /// <summary>A <c>map</c> value of raw keys and values, in the pairs format.</summary>
    public static byte[] Map(IEnumerable<(byte[] Key, byte[] Value)> entries)
    {
        var list = entries.ToList();
        byte[] buffer = new byte[checked((int)(4 + list.Sum(e => PairsWriter.SizeOf(e.Key, e.Value))))];
        var writer = new PairsWriter(buffer, list.Count);
        foreach ((byte[] key, byte[] value) in list)
        {
            writer.Add(key, value);
        }

        return buffer;
    }

    /// <summary>Nanoseconds since the Unix epoch of <paramref name="value"/>.</summary>
    public static long Nanoseconds(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
