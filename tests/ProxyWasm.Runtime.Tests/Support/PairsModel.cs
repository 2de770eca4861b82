using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace ProxyWasm.Runtime.Tests.Support;

/// <summary>
/// An independent model of the pairs format, written for the tests (not shared with the runtime): an encoder and a
/// validator that use 64-bit arithmetic and explicit indexing. The runtime's <see cref="HeaderPairs"/> and
/// <see cref="PairsWriter"/> are checked against it.
/// </summary>
internal static class PairsModel
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxPairs = 1024;

    /// <summary>u32 count, count × (u32 name length, u32 value length), then name, 0, value, 0 for each pair.</summary>
    public static byte[] Encode(IReadOnlyList<(byte[] Name, byte[] Value)> pairs)
    {
        var bytes = new List<byte>();
        AddU32(bytes, (uint)pairs.Count);
        foreach ((byte[] name, byte[] value) in pairs)
        {
            AddU32(bytes, (uint)name.Length);
            AddU32(bytes, (uint)value.Length);
        }

        foreach ((byte[] name, byte[] value) in pairs)
        {
            bytes.AddRange(name);
            bytes.Add(0);
            bytes.AddRange(value);
            bytes.Add(0);
        }

        return bytes.ToArray();
    }

    /// <summary>The expected outcome of parsing <paramref name="buffer"/>, following the documented rules of
    /// <see cref="PairsError"/>: size limit, the three empty encodings, count limit, length table, then for each pair
    /// "name, NUL, value, NUL lies inside the buffer" before "both NULs are there", then no bytes left over.</summary>
    public static PairsError Validate(byte[] buffer, out List<(byte[] Name, byte[] Value)> pairs)
    {
        pairs = new List<(byte[], byte[])>();
        ulong length = (ulong)buffer.LongLength;
        if (length > MaxBytes)
        {
            return PairsError.TooLarge;
        }

        if (length == 0 || (length == 1 && buffer[0] == 0))
        {
            return PairsError.None;
        }

        if (length < 4)
        {
            return PairsError.Truncated;
        }

        ulong count = ReadU32(buffer, 0);
        if (count > MaxPairs)
        {
            return PairsError.TooManyPairs;
        }

        if (4 + (8 * count) > length)
        {
            return PairsError.Truncated;
        }

        ulong position = 4 + (8 * count);
        for (ulong i = 0; i < count; i++)
        {
            ulong nameLength = ReadU32(buffer, 4 + (8 * i));
            ulong valueLength = ReadU32(buffer, 8 + (8 * i));
            ulong nameNul = position + nameLength;
            ulong valueNul = nameNul + 1 + valueLength;
            if (valueNul >= length)
            {
                return PairsError.LengthMismatch;
            }

            if (buffer[nameNul] != 0 || buffer[valueNul] != 0)
            {
                return PairsError.MissingNul;
            }

            pairs.Add((Slice(buffer, position, nameLength), Slice(buffer, nameNul + 1, valueLength)));
            position = valueNul + 1;
        }

        return position == length ? PairsError.None : PairsError.LengthMismatch;
    }

    /// <summary>Copies every pair a parsed view yields.</summary>
    public static List<(byte[] Name, byte[] Value)> ToList(HeaderPairs view)
    {
        var list = new List<(byte[], byte[])>();
        foreach (HeaderPair pair in view)
        {
            list.Add((pair.Name.ToArray(), pair.Value.ToArray()));
        }

        return list;
    }

    public static bool SameBytes(IReadOnlyList<(byte[] Name, byte[] Value)> a, IReadOnlyList<(byte[] Name, byte[] Value)> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!a[i].Name.AsSpan().SequenceEqual(b[i].Name) || !a[i].Value.AsSpan().SequenceEqual(b[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    public static string Describe(IReadOnlyList<(byte[] Name, byte[] Value)> pairs)
    {
        var parts = new List<string>();
        foreach ((byte[] name, byte[] value) in pairs)
        {
            parts.Add(Convert.ToHexString(name) + ":" + Convert.ToHexString(value));
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    private static ulong ReadU32(byte[] buffer, ulong offset) => BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(checked((int)offset), 4));

    private static byte[] Slice(byte[] buffer, ulong start, ulong length) => buffer.AsSpan(checked((int)start), checked((int)length)).ToArray();

    private static void AddU32(List<byte> bytes, uint value)
    {
        bytes.Add((byte)value);
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)(value >> 16));
        bytes.Add((byte)(value >> 24));
    }
}
