using System;
using System.Runtime.CompilerServices;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>Turns (pointer, size) pairs the host wrote into spans, refusing what cannot be a valid block.</summary>
internal static unsafe class HostData
{
    /// <summary>
    /// A span over host-returned data, or empty when the pair cannot be a block the host filled for this call: a null
    /// pointer with a size over 0, a size over <see cref="int.MaxValue"/>, or a range that does not lie inside a block
    /// the module allocated (<c>proxy_on_memory_allocate</c>) during the running callback (<see cref="HostMemory.Contains"/>).
    /// Each refusal logs an error line through <c>proxy_log</c>; (null, 0) is the ordinary empty result and logs nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> AsSpan(byte* data, nuint size)
        // The usual answer: the host filled a block the module allocated for it (its last, checked inline).
        => size <= int.MaxValue && HostMemory.Contains(data, size) ? new ReadOnlySpan<byte>(data, (int)size) : AsSpanChecked(data, size);

    private static ReadOnlySpan<byte> AsSpanChecked(byte* data, nuint size)
    {
        if (size == 0)
        {
            return default;
        }

        if (data is null)
        {
            Log.Write(LogLevel.Error, "proxy-wasm: the host returned a null pointer with a size over 0; treated as empty."u8);
            return default;
        }

        if (size > int.MaxValue)
        {
            Log.Write(LogLevel.Error, "proxy-wasm: the host returned a block larger than 2 GiB; ignored."u8);
            return default;
        }

        if (!HostMemory.Contains(data, size))
        {
            Log.Write(LogLevel.Error, "proxy-wasm: the host returned a (pointer, size) outside the block the module allocated for it; ignored."u8);
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
