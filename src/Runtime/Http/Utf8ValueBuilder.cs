using System;
using System.Buffers;
using System.Buffers.Text;

namespace ProxyWasm;

/// <summary>
/// Builds a UTF-8 value (a header value, a log line) in a caller-provided buffer, usually
/// <c>stackalloc byte[256]</c>, growing into a rented <see cref="ArrayPool{T}"/> array when it fills. Neither path
/// allocates in steady state. Call <see cref="Dispose"/> to return a rented array.
/// </summary>
/// <remarks>Storage over <see cref="MaxPooledBytes"/> is not rented: it is a plain GC array dropped on
/// <see cref="Dispose"/>, so one huge value (a 16 MiB header a host sent) does not leave a huge array in the shared pool
/// for the life of the VM (in wasm, linear memory that never shrinks).</remarks>
public ref struct Utf8ValueBuilder
{
    /// <summary>The largest storage, in bytes, rented from <see cref="ArrayPool{T}.Shared"/>: 1 MiB, proxy-wasm-cpp-host's
    /// limit on a whole header map. Larger values use an array that is not pooled and is dropped on
    /// <see cref="Dispose"/>.</summary>
    public const int MaxPooledBytes = 1024 * 1024;

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
        Release(rented);
    }

    private static void Release(byte[]? array)
    {
        if (array is not null && array.Length <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        int size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, (long)_length + extra), Array.MaxLength);
        byte[] larger = size <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        _buffer.Slice(0, _length).CopyTo(larger);
        Release(_rented);

        _rented = larger;
        _buffer = larger;
    }
}
