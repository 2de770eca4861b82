using System;
using System.Buffers.Binary;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>Computes the new value of a shared-data key from its current one, for <see cref="SharedData.Update{TState}"/>.</summary>
/// <param name="current">The current value (empty when the key does not exist yet).</param>
/// <param name="state">The caller's state, passed through without a closure.</param>
/// <param name="destination">Where to write the new value.</param>
/// <param name="written">Bytes written to <paramref name="destination"/>.</param>
/// <returns><see langword="false"/> to leave the value as it is (nothing is written).</returns>
public delegate bool SharedDataUpdate<TState>(ReadOnlySpan<byte> current, TState state, Span<byte> destination, out int written)
    where TState : allows ref struct;

/// <summary>
/// Key-value data shared by every VM of the same VM id on a proxy worker set (Envoy: per <c>vm_id</c>, across worker
/// threads and plugin reloads): <c>proxy_get_shared_data</c> and <c>proxy_set_shared_data</c>. Each value carries a CAS
/// token that changes on every write; a write that names a token fails with <see cref="ProxyStatus.CasMismatch"/> if
/// another VM wrote in between, which <see cref="Update{TState}"/> and <see cref="Increment"/> retry. Keys and values are
/// bytes; nothing allocates.
/// </summary>
public static unsafe class SharedData
{
    /// <summary>Reads <paramref name="key"/> (<c>proxy_get_shared_data</c>).</summary>
    /// <param name="key">The key, UTF-8 or any bytes.</param>
    /// <param name="value">The value, a view of host memory valid until the current hook returns; empty when absent.</param>
    /// <param name="cas">The value's CAS token, for <see cref="Set"/>; 0 when absent.</param>
    /// <returns>Ok; NotFound.</returns>
    public static ProxyStatus TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out uint cas)
    {
        byte* data = null;
        nuint size = 0;
        uint token = 0;
        ProxyStatus status;
        fixed (byte* keyData = key)
        {
            status = HostCalls.proxy_get_shared_data(keyData, (nuint)key.Length, &data, &size, &token);
        }

        value = status == ProxyStatus.Ok ? HostData.AsSpan(data, size) : default;
        cas = status == ProxyStatus.Ok ? token : 0;
        return status;
    }

    /// <summary>Writes <paramref name="key"/> (<c>proxy_set_shared_data</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The new value.</param>
    /// <param name="cas">The token <see cref="TryGet"/> returned: the write fails if the value changed since; 0 writes
    /// unconditionally (Envoy also creates a missing key whatever the token).</param>
    /// <returns>Ok; CasMismatch.</returns>
    public static ProxyStatus Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint cas = 0)
    {
        fixed (byte* keyData = key)
        fixed (byte* valueData = value)
        {
            return HostCalls.proxy_set_shared_data(keyData, (nuint)key.Length, valueData, (nuint)value.Length, cas);
        }
    }

    /// <summary>
    /// Read-modify-write of <paramref name="key"/>: reads the value and its CAS token, lets <paramref name="update"/>
    /// write the new value into <paramref name="scratch"/>, writes it with the token, and starts again when another VM
    /// wrote in between (<see cref="ProxyStatus.CasMismatch"/>), at most <paramref name="maxAttempts"/> times. Pass state
    /// through <paramref name="state"/> (a span is fine) and a <see langword="static"/> lambda, so no closure is allocated.
    /// </summary>
    /// <returns>Ok (also when <paramref name="update"/> chose not to write); CasMismatch after
    /// <paramref name="maxAttempts"/> lost races; BadArgument when <paramref name="update"/> reports more bytes than
    /// <paramref name="scratch"/> holds.</returns>
    public static ProxyStatus Update<TState>(ReadOnlySpan<byte> key, Span<byte> scratch, TState state, SharedDataUpdate<TState> update, int maxAttempts = 16)
        where TState : allows ref struct
    {
        for (int attempt = 0; attempt < maxAttempts; attempt++)
        {
            TryGet(key, out ReadOnlySpan<byte> current, out uint cas);
            if (!update(current, state, scratch, out int written))
            {
                return ProxyStatus.Ok;
            }

            if ((uint)written > (uint)scratch.Length)
            {
                return ProxyStatus.BadArgument;
            }

            ProxyStatus status = Set(key, scratch.Slice(0, written), cas);
            if (status != ProxyStatus.CasMismatch)
            {
                return status;
            }
        }

        return ProxyStatus.CasMismatch;
    }

    /// <summary>
    /// Adds <paramref name="delta"/> to the counter <paramref name="key"/>, an 8-byte little-endian signed integer (a
    /// missing key counts as 0), retrying lost races as <see cref="Update{TState}"/> does.
    /// </summary>
    /// <param name="key">The counter's key.</param>
    /// <param name="delta">What to add (may be negative); wraps around on overflow.</param>
    /// <param name="value">The counter after the addition; 0 on failure.</param>
    /// <returns>Ok; ParseFailure when the value is not 8 bytes (it is left as it is); CasMismatch after 16 lost races.</returns>
    public static ProxyStatus Increment(ReadOnlySpan<byte> key, long delta, out long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        for (int attempt = 0; attempt < 16; attempt++)
        {
            ProxyStatus read = TryGet(key, out ReadOnlySpan<byte> current, out uint cas);
            if (read == ProxyStatus.Ok && current.Length != 8)
            {
                value = 0;
                return ProxyStatus.ParseFailure;
            }

            long next = unchecked((read == ProxyStatus.Ok ? BinaryPrimitives.ReadInt64LittleEndian(current) : 0) + delta);
            BinaryPrimitives.WriteInt64LittleEndian(buffer, next);
            ProxyStatus status = Set(key, buffer, cas);
            if (status == ProxyStatus.Ok)
            {
                value = next;
                return status;
            }

            if (status != ProxyStatus.CasMismatch)
            {
                value = 0;
                return status;
            }
        }

        value = 0;
        return ProxyStatus.CasMismatch;
    }
}
