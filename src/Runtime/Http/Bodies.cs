using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>A body buffer of the current stream, selected by its <see cref="BufferType"/>; see <see cref="BodyBufferExtensions"/>.</summary>
public interface IBodyBuffer
{
    /// <summary>The ABI buffer type (<c>proxy_buffer_type_t</c>).</summary>
    static abstract BufferType Type { get; }
}

/// <summary>The request body buffered so far (<see cref="BufferType.HttpRequestBody"/>), in a request body hook.</summary>
public readonly struct RequestBody : IBodyBuffer
{
    /// <summary>The request body of the stream whose callback is running (what the glue passes to a hook).</summary>
    public static RequestBody Current => default;

    static BufferType IBodyBuffer.Type => BufferType.HttpRequestBody;
}

/// <summary>The response body buffered so far (<see cref="BufferType.HttpResponseBody"/>), in a response body hook.</summary>
public readonly struct ResponseBody : IBodyBuffer
{
    /// <summary>The response body of the stream whose callback is running (what the glue passes to a hook).</summary>
    public static ResponseBody Current => default;

    static BufferType IBodyBuffer.Type => BufferType.HttpResponseBody;
}

/// <summary>
/// Reading and changing a body buffer. Sizes and offsets are in bytes. Returned spans point into memory the host
/// allocated in the module and stay valid until the current hook returns.
/// </summary>
public static unsafe class BodyBufferExtensions
{
    /// <summary>Reads up to <paramref name="maxSize"/> bytes from <paramref name="start"/> (<c>proxy_get_buffer_bytes</c>).</summary>
    /// <returns>The bytes, or empty when the buffer is empty, absent in this callback, or the host reports an error.</returns>
    public static ReadOnlySpan<byte> GetBytes<TBody>(this TBody body, int start = 0, int maxSize = int.MaxValue)
        where TBody : struct, IBodyBuffer
        => Buffers.GetBytes(TBody.Type, start, maxSize);

    /// <summary>Reads up to <paramref name="maxSize"/> bytes from <paramref name="start"/> (<c>proxy_get_buffer_bytes</c>)
    /// and says why a read failed, for callers that treat NotFound (no data) and other errors differently.</summary>
    /// <returns>Ok; NotFound (the buffer is absent in this callback); BadArgument (a negative argument, or a start past
    /// the end); InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGetBytes<TBody>(this TBody body, int start, int maxSize, out ReadOnlySpan<byte> bytes)
        where TBody : struct, IBodyBuffer
        => Buffers.TryGetBytes(TBody.Type, start, maxSize, out bytes);

    /// <summary>Buffered size in bytes (<c>proxy_get_buffer_status</c>); 0 when unavailable.</summary>
    public static int GetSize<TBody>(this TBody body)
        where TBody : struct, IBodyBuffer
        => Buffers.GetSize(TBody.Type);

    /// <summary>Replaces the whole buffered body with <paramref name="bytes"/> (<c>proxy_get_buffer_status</c> for the
    /// current size, then <c>proxy_set_buffer_bytes</c>). If the size cannot be read, nothing is written.</summary>
    /// <returns>Ok; BadArgument; NotFound; InvalidMemoryAccess.</returns>
    public static ProxyStatus Replace<TBody>(this TBody body, ReadOnlySpan<byte> bytes)
        where TBody : struct, IBodyBuffer
    {
        ProxyStatus status = Buffers.TryGetSize(TBody.Type, out nuint size);
        return status == ProxyStatus.Ok ? Buffers.Set(TBody.Type, 0, size, bytes) : status;
    }

    /// <summary>Appends <paramref name="bytes"/> to the buffered body (<c>proxy_set_buffer_bytes</c> at the end).</summary>
    /// <returns>Ok; BadArgument; NotFound; InvalidMemoryAccess.</returns>
    public static ProxyStatus Append<TBody>(this TBody body, ReadOnlySpan<byte> bytes)
        where TBody : struct, IBodyBuffer
    {
        ProxyStatus status = Buffers.TryGetSize(TBody.Type, out nuint size);
        return status == ProxyStatus.Ok ? Buffers.Set(TBody.Type, size, 0, bytes) : status;
    }

    /// <summary>Prepends <paramref name="bytes"/> to the buffered body (<c>proxy_set_buffer_bytes</c> with start 0, size 0).</summary>
    /// <returns>Ok; BadArgument; NotFound; InvalidMemoryAccess.</returns>
    public static ProxyStatus Prepend<TBody>(this TBody body, ReadOnlySpan<byte> bytes)
        where TBody : struct, IBodyBuffer
        => Buffers.Set(TBody.Type, 0, 0, bytes);
}

/// <summary>Buffer access by <see cref="BufferType"/>, shared by bodies and configuration.</summary>
internal static unsafe class Buffers
{
    public static ProxyStatus TryGetBytes(BufferType type, int start, int maxSize, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (start < 0 || maxSize < 0)
        {
            return ProxyStatus.BadArgument;
        }

        byte* data = null;
        nuint size = 0;
        ProxyStatus status = HostCalls.proxy_get_buffer_bytes(type, (nuint)start, (nuint)maxSize, &data, &size);
        if (status == ProxyStatus.Ok)
        {
            bytes = HostData.AsSpan(data, size);
        }

        return status;
    }

    /// <summary><see cref="TryGetBytes"/> without the status: empty on any failure.</summary>
    public static ReadOnlySpan<byte> GetBytes(BufferType type, int start, int maxSize)
    {
        TryGetBytes(type, start, maxSize, out ReadOnlySpan<byte> bytes);
        return bytes;
    }

    public static int GetSize(BufferType type)
    {
        if (TryGetSize(type, out nuint size) != ProxyStatus.Ok)
        {
            return 0;
        }

        return size > int.MaxValue ? int.MaxValue : (int)size;
    }

    public static ProxyStatus TryGetSize(BufferType type, out nuint size)
    {
        nuint value = 0;
        uint flags = 0;
        ProxyStatus status = HostCalls.proxy_get_buffer_status(type, &value, &flags);
        size = value;
        return status;
    }

    public static ProxyStatus Set(BufferType type, nuint start, nuint size, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* data = bytes)
        {
            return HostCalls.proxy_set_buffer_bytes(type, start, size, data, (nuint)bytes.Length);
        }
    }
}
