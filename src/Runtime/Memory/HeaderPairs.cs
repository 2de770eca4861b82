using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ProxyWasm;

/// <summary>Why a serialized pairs buffer was rejected (see <see cref="HeaderPairs.TryParse"/>).</summary>
public enum PairsError
{
    /// <summary>The buffer is well formed.</summary>
    None = 0,
    /// <summary>Shorter than its count and length table (4 + 8 × count bytes).</summary>
    Truncated,
    /// <summary>The names and values do not end exactly at the end of the buffer (a length points past it, or bytes are left over).</summary>
    LengthMismatch,
    /// <summary>A name or value is not followed by its NUL byte.</summary>
    MissingNul,
    /// <summary>More than <see cref="HeaderPairs.MaxPairs"/> pairs.</summary>
    TooManyPairs,
    /// <summary>Larger than <see cref="HeaderPairs.MaxBytes"/> bytes.</summary>
    TooLarge,
}

/// <summary>One header: name and value as raw bytes (usually ASCII/UTF-8; obs-text bytes pass through untouched).</summary>
public readonly ref struct HeaderPair
{
    /// <summary>Creates a pair.</summary>
    public HeaderPair(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>Header name bytes, without the NUL terminator.</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>Header value bytes, without the NUL terminator.</summary>
    public ReadOnlySpan<byte> Value { get; }
}

/// <summary>
/// A validated view over a serialized header map ("pairs" format of ABI v0.2.1 §Serialization): u32 count,
/// count × (u32 name length, u32 value length), then each name and value followed by a NUL byte; little-endian.
/// Enumerating yields <see cref="HeaderPair"/>s that point into the buffer; nothing is copied or allocated.
/// </summary>
/// <remarks>Validation follows proxy-wasm-cpp-host's <c>toPairs</c>: at most <see cref="MaxBytes"/> bytes and
/// <see cref="MaxPairs"/> pairs, every name and value NUL-terminated, data ending exactly at the end of the buffer.
/// An empty buffer, a single 0 byte and a zero count are all the empty map.</remarks>
public readonly ref struct HeaderPairs
{
    /// <summary>Largest accepted buffer: 1 MiB (cpp-host <c>PROXY_WASM_HOST_PAIRS_MAX_BYTES</c>).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Most accepted pairs: 1024 (cpp-host <c>PROXY_WASM_HOST_PAIRS_MAX_COUNT</c>).</summary>
    public const int MaxPairs = 1024;

    private readonly ReadOnlySpan<byte> _buffer;

    private HeaderPairs(ReadOnlySpan<byte> buffer, int count)
    {
        _buffer = buffer;
        Count = count;
    }

    /// <summary>The empty map.</summary>
    public static HeaderPairs Empty => default;

    /// <summary>Number of pairs.</summary>
    public int Count { get; }

    /// <summary>The serialized bytes this view reads.</summary>
    public ReadOnlySpan<byte> Serialized => _buffer;

    /// <summary>Validates <paramref name="buffer"/> and returns a view over it.</summary>
    /// <param name="buffer">Serialized pairs, as returned by <c>proxy_get_header_map_pairs</c>.</param>
    /// <param name="pairs">The view; <see cref="Empty"/> when the buffer is rejected.</param>
    /// <returns><see cref="PairsError.None"/>, or why the buffer was rejected.</returns>
    public static PairsError TryParse(ReadOnlySpan<byte> buffer, out HeaderPairs pairs)
    {
        pairs = default;
        if (buffer.Length > MaxBytes)
        {
            return PairsError.TooLarge;
        }

        if (buffer.Length == 0 || (buffer.Length == 1 && buffer[0] == 0))
        {
            return PairsError.None;
        }

        if (buffer.Length < 4)
        {
            return PairsError.Truncated;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (count > MaxPairs)
        {
            return PairsError.TooManyPairs;
        }

        long dataOffset = 4 + (8L * count);
        if (dataOffset > buffer.Length)
        {
            return PairsError.Truncated;
        }

        long offset = dataOffset;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> lengths = buffer.Slice(4 + (8 * i), 8);
            long nameLength = BinaryPrimitives.ReadUInt32LittleEndian(lengths);
            long valueLength = BinaryPrimitives.ReadUInt32LittleEndian(lengths.Slice(4));
            if (offset + nameLength + 1 + valueLength + 1 > buffer.Length)
            {
                return PairsError.LengthMismatch;
            }

            if (buffer[(int)(offset + nameLength)] != 0 || buffer[(int)(offset + nameLength + 1 + valueLength)] != 0)
            {
                return PairsError.MissingNul;
            }

            offset += nameLength + 1 + valueLength + 1;
        }

        if (offset != buffer.Length)
        {
            return PairsError.LengthMismatch;
        }

        pairs = new HeaderPairs(buffer, (int)count);
        return PairsError.None;
    }

    /// <summary>Finds the first pair named <paramref name="name"/> (byte-wise, case-sensitive; hosts give lower-case names).</summary>
    public bool TryGetValue(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        foreach (HeaderPair pair in this)
        {
            if (pair.Name.SequenceEqual(name))
            {
                value = pair.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Returns an enumerator over the pairs, in the host's order.</summary>
    public Enumerator GetEnumerator() => new(_buffer, Count);

    /// <summary>Enumerates a validated pairs buffer without bounds surprises.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _buffer;
        private readonly int _count;
        private int _index;
        private int _dataOffset;
        private HeaderPair _current;

        internal Enumerator(ReadOnlySpan<byte> buffer, int count)
        {
            _buffer = buffer;
            _count = count;
            _index = -1;
            _dataOffset = 4 + (8 * count);
            _current = default;
        }

        /// <summary>The current pair.</summary>
        public readonly HeaderPair Current => _current;

        /// <summary>Advances to the next pair.</summary>
        public bool MoveNext()
        {
            if (++_index >= _count)
            {
                return false;
            }

            ReadOnlySpan<byte> lengths = _buffer.Slice(4 + (8 * _index), 8);
            int nameLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(lengths);
            int valueLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(lengths.Slice(4));
            ReadOnlySpan<byte> name = _buffer.Slice(_dataOffset, nameLength);
            ReadOnlySpan<byte> value = _buffer.Slice(_dataOffset + nameLength + 1, valueLength);
            _dataOffset += nameLength + 1 + valueLength + 1;
            _current = new HeaderPair(name, value);
            return true;
        }
    }
}

/// <summary>
/// Writes a header map in the pairs format into a caller-provided buffer (typically <see langword="stackalloc"/>),
/// for <c>proxy_set_header_map_pairs</c>, <c>proxy_send_local_response</c> and <c>proxy_http_call</c>. The number of
/// pairs is fixed up front because the format puts all lengths before all data.
/// </summary>
public ref struct PairsWriter
{
    private readonly Span<byte> _destination;
    private readonly int _count;
    private int _written;
    private int _dataOffset;

    /// <summary>Starts writing <paramref name="count"/> pairs into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination cannot hold the count and length table (4 + 8 × count bytes).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PairsWriter(Span<byte> destination, int count)
    {
        if (count < 0 || destination.Length < 4 + (8L * count))
        {
            throw new ArgumentException("The destination is too small for the pair count.", nameof(destination));
        }

        _destination = destination;
        _count = count;
        _written = 0;
        _dataOffset = 4 + (8 * count);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)count);
    }

    /// <summary>Bytes one pair takes: 8 + name length + 1 + value length + 1 (computed in 64 bits, so it cannot overflow).</summary>
    public static long SizeOf(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => 8L + name.Length + value.Length + 2;

    /// <summary>Whether all pairs announced to the constructor have been added.</summary>
    public readonly bool IsComplete => _written == _count;

    /// <summary>The serialized map. Valid once <see cref="IsComplete"/>.</summary>
    /// <exception cref="InvalidOperationException">Fewer pairs were added than announced.</exception>
    public readonly ReadOnlySpan<byte> WrittenSpan => IsComplete
        ? _destination.Slice(0, _dataOffset)
        : throw new InvalidOperationException($"Only {_written} of {_count} pairs were added.");

    /// <summary>Adds a pair. Returns <see langword="false"/> (writing nothing) if the pair does not fit or all pairs were added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_written == _count || (long)_dataOffset + name.Length + value.Length + 2 > _destination.Length)
        {
            return false;
        }

        Span<byte> lengths = _destination.Slice(4 + (8 * _written), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(lengths, (uint)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(lengths.Slice(4), (uint)value.Length);
        name.CopyTo(_destination.Slice(_dataOffset));
        _dataOffset += name.Length;
        _destination[_dataOffset++] = 0;
        value.CopyTo(_destination.Slice(_dataOffset));
        _dataOffset += value.Length;
        _destination[_dataOffset++] = 0;
        _written++;
        return true;
    }

    /// <summary>Adds a pair.</summary>
    /// <exception cref="InvalidOperationException">The pair does not fit, or all announced pairs were already added.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (!TryAdd(name, value))
        {
            throw new InvalidOperationException("The pair does not fit in the destination, or all announced pairs were already added.");
        }
    }
}
