using System;
using System.Buffers;
using System.Buffers.Text;

namespace ProxyWasm;

/// <summary>
/// Builds a UTF-8 value (a header value, a log line) in a caller-provided buffer, usually
/// <c>stackalloc byte[256]</c>, growing into a rented <see cref="ArrayPool{T}"/> array when it fills. Neither path
/// allocates in steady state. Call <see cref="Dispose"/> to return a rented array.
/// </summary>
public ref struct Utf8ValueBuilder
{
    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _length;

    /// <summary>Starts with <paramref name="initialBuffer"/> as storage.</summary>
    public Utf8ValueBuilder(Span<byte> initialBuffer)
    {
        _buffer = initialBuffer;
        _rented = null;
        _length = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The bytes written so far; valid until the next append or <see cref="Dispose"/>.</summary>
    public readonly ReadOnlySpan<byte> AsSpan() => _buffer.Slice(0, _length);

    /// <summary>Appends raw bytes (for example a <c>u8</c> literal or a header value).</summary>
    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.Slice(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends <paramref name="value"/> in decimal ASCII.</summary>
    public void Append(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.Slice(_length), out int written);
        _length += written;
    }

    /// <summary>Appends <paramref name="chars"/> encoded as UTF-8 (invalid surrogates become U+FFFD).</summary>
    public void Append(scoped ReadOnlySpan<char> chars)
    {
        Ensure(System.Text.Encoding.UTF8.GetMaxByteCount(chars.Length));
        _length += System.Text.Encoding.UTF8.GetBytes(chars, _buffer.Slice(_length));
    }

    /// <summary>Returns the rented array, if any, to the pool.</summary>
    public void Dispose()
    {
        byte[]? rented = _rented;
        this = default;
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.Slice(0, _length).CopyTo(larger);
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }

        _rented = larger;
        _buffer = larger;
    }
}
