using System;
using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace ProxyWasm;

/// <summary>
/// Builds a UTF-8 value (a header value, a log line) in the runtime's scratch memory (<c>new Utf8ValueBuilder()</c>)
/// or in a caller-provided buffer (<c>stackalloc byte[256]</c>), growing into a rented <see cref="ArrayPool{T}"/> array
/// when it fills. Neither path allocates in steady state. Call <see cref="Dispose"/> to give the storage back.
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

    /// <summary>The size, in bytes, of the runtime's scratch memory a builder made with <see cref="Utf8ValueBuilder()"/>
    /// starts in: 4 KiB.</summary>
    public const int ScratchBytes = 4096;

    private static unsafe byte* s_scratch;
    private static bool s_scratchInUse;

    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _length;
    private bool _ownsScratch;

    /// <summary>
    /// Starts in the runtime's scratch memory: <see cref="ScratchBytes"/> bytes of native memory (wasm linear memory)
    /// that is never zeroed, so a builder costs neither a <c>stackalloc</c> nor its zeroing. One builder owns it at a time,
    /// until <see cref="Dispose"/> or the end of the running callback; a builder made while another owns it starts
    /// empty and grows into a rented array, as one that outgrows the scratch memory does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Utf8ValueBuilder()
    {
        _rented = null;
        _length = 0;
        unsafe
        {
            byte* scratch = s_scratch;
            if (scratch == null || s_scratchInUse)
            {
                // First use in this module, or another builder owns the scratch memory.
                scratch = s_scratchInUse ? null : CreateScratch();
                if (scratch == null)
                {
                    _buffer = default;
                    _ownsScratch = false;
                    return;
                }
            }

            s_scratchInUse = true;
            _ownsScratch = true;
            _buffer = new Span<byte>(scratch, ScratchBytes);
        }
    }

    /// <summary>Starts with <paramref name="initialBuffer"/> as storage.</summary>
    public Utf8ValueBuilder(Span<byte> initialBuffer)
    {
        _buffer = initialBuffer;
        _rented = null;
        _length = 0;
        _ownsScratch = false;
    }

    /// <summary>Gives the scratch memory back when a callback returns (<see cref="HostMemory.Exit"/>, outermost scope):
    /// a builder the hook did not dispose cannot keep it, since a builder never outlives the callback it was made in.</summary>
    internal static void ReleaseScratch() => s_scratchInUse = false;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe byte* CreateScratch()
    {
        try
        {
            return s_scratch = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(ScratchBytes);
        }
        catch (OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The bytes written so far; valid until the next append or <see cref="Dispose"/>.</summary>
    public readonly ReadOnlySpan<byte> AsSpan() => _buffer.Slice(0, _length);

    /// <summary>Appends raw bytes (for example a <c>u8</c> literal or a header value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        // Inlined, so that a u8 literal's copy has a constant length (the JIT unrolls it); growing is out of line.
        int length = _length;
        if ((uint)bytes.Length > (uint)(_buffer.Length - length))
        {
            AppendGrowing(bytes);
            return;
        }

        bytes.CopyTo(_buffer.Slice(length));
        _length = length + bytes.Length;
    }

    private void AppendGrowing(scoped ReadOnlySpan<byte> bytes)
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose()
    {
        byte[]? rented = _rented;
        if (_ownsScratch)
        {
            s_scratchInUse = false;
        }

        this = default;
        if (rented is not null)
        {
            Release(rented);
        }
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
