using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// Host properties (<c>proxy_get_property</c>/<c>proxy_set_property</c>). A path is its segments joined with NUL
/// bytes and no trailing NUL, e.g. <c>"request\0path"u8</c>; the overloads with segments join them on the stack.
/// Well-known Envoy properties: <c>plugin_root_id</c>, <c>plugin_name</c>, <c>plugin_vm_id</c>,
/// <c>source\0address</c>, <c>request\0path</c>… Values are host-encoded bytes valid until the current callback returns.
/// </summary>
public static unsafe class Properties
{
    /// <summary>Reads the property at <paramref name="path"/> (NUL-joined segments).</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess.</returns>
    public static ProxyStatus TryGet(scoped ReadOnlySpan<byte> path, out ReadOnlySpan<byte> value)
    {
        byte* data = null;
        nuint size = 0;
        ProxyStatus status;
        fixed (byte* p = path)
        {
            status = HostCalls.proxy_get_property(p, (nuint)path.Length, &data, &size);
        }

        value = status == ProxyStatus.Ok ? HostData.AsSpan(data, size) : default;
        return status;
    }

    /// <summary>Reads the property at the path <paramref name="segment1"/>/<paramref name="segment2"/>.</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess; BadArgument when the path exceeds 1 KiB.</returns>
    public static ProxyStatus TryGet(scoped ReadOnlySpan<byte> segment1, scoped ReadOnlySpan<byte> segment2, out ReadOnlySpan<byte> value)
    {
        Span<byte> path = stackalloc byte[1024];
        int length = segment1.Length + 1 + segment2.Length;
        if (length > path.Length)
        {
            value = default;
            return ProxyStatus.BadArgument;
        }

        segment1.CopyTo(path);
        path[segment1.Length] = 0;
        segment2.CopyTo(path.Slice(segment1.Length + 1));
        return TryGet(path.Slice(0, length), out value);
    }

    /// <summary>Sets the property at <paramref name="path"/> (NUL-joined segments).</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    public static ProxyStatus Set(ReadOnlySpan<byte> path, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = path)
        fixed (byte* v = value)
        {
            return HostCalls.proxy_set_property(p, (nuint)path.Length, v, (nuint)value.Length);
        }
    }
}
