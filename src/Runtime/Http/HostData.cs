using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>Turns (pointer, size) pairs the host wrote into spans, refusing what cannot be a valid block.</summary>
internal static unsafe class HostData
{
    /// <summary>A span over host-returned data; empty for a null pointer or a size over <see cref="int.MaxValue"/>.</summary>
    public static ReadOnlySpan<byte> AsSpan(byte* data, nuint size)
    {
        if (data is null || size == 0)
        {
            return default;
        }

        if (size > int.MaxValue)
        {
            Log.Write(LogLevel.Error, "proxy-wasm: the host returned a block larger than 2 GiB; ignored."u8);
            return default;
        }

        return new ReadOnlySpan<byte>(data, (int)size);
    }

    public static void ReportMalformed(MapType map, PairsError error)
    {
        Span<byte> message = stackalloc byte[160];
        var builder = new Utf8ValueBuilder(message);
        builder.Append("proxy-wasm: malformed header map from the host (map type "u8);
        builder.Append((int)map);
        builder.Append(", "u8);
        builder.Append(ErrorName(error));
        builder.Append("); treated as empty."u8);
        Log.Write(LogLevel.Error, builder.AsSpan());
        builder.Dispose();
    }

    private static ReadOnlySpan<byte> ErrorName(PairsError error) => error switch
    {
        PairsError.Truncated => "truncated"u8,
        PairsError.LengthMismatch => "lengths do not match the buffer"u8,
        PairsError.MissingNul => "missing NUL terminator"u8,
        PairsError.TooManyPairs => "more than 1024 pairs"u8,
        PairsError.TooLarge => "larger than 1 MiB"u8,
        _ => "unknown"u8,
    };
}
