using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// Foreign functions: functions of the host that are not part of the ABI, called by name
/// (<c>proxy_call_foreign_function</c>). Envoy provides <c>compress</c> and <c>uncompress</c> (zlib),
/// <c>verify_signature</c>, <c>sign</c>, <c>set_envoy_filter_state</c>, <c>clear_route_cache</c>,
/// <c>declare_property</c> (and the CEL <c>expr_*</c> functions when built with CEL); arguments and results are each
/// function's own bytes (often a serialized protobuf). The other direction, the host calling the module, is
/// <c>proxy_on_foreign_function</c>, bound with <see cref="OnForeignFunctionAttribute"/>.
/// </summary>
public static unsafe class ForeignFunction
{
    /// <summary>Calls the host function <paramref name="name"/> with <paramref name="arguments"/>.</summary>
    /// <param name="name">The function's name, UTF-8, e.g. <c>"compress"u8</c>.</param>
    /// <param name="arguments">Its argument bytes.</param>
    /// <param name="results">Its result bytes, a view of host memory valid until the current hook returns; empty unless Ok.</param>
    /// <returns>Ok; NotFound (the host has no function of that name); BadArgument or SerializationFailure (the function
    /// refused the arguments); InvalidMemoryAccess.</returns>
    public static ProxyStatus Call(ReadOnlySpan<byte> name, ReadOnlySpan<byte> arguments, out ReadOnlySpan<byte> results)
    {
        byte* data = null;
        nuint size = 0;
        ProxyStatus status;
        fixed (byte* nameData = name)
        fixed (byte* argumentsData = arguments)
        {
            status = HostCalls.proxy_call_foreign_function(nameData, (nuint)name.Length, argumentsData, (nuint)arguments.Length, &data, &size);
        }

        results = status == ProxyStatus.Ok ? HostData.AsSpan(data, size) : default;
        return status;
    }

    /// <summary>The arguments of the host's call of this module's function, in a <c>[OnForeignFunction]</c> hook: up to
    /// <paramref name="size"/> bytes of buffer <c>FOREIGN_FUNCTION_ARGUMENTS</c> (8), valid until the hook returns (the
    /// glue passes them to the hook's <c>ReadOnlySpan&lt;byte&gt;</c> parameter).</summary>
    /// <returns>The bytes, or empty when there are none or the host reports an error.</returns>
    public static ReadOnlySpan<byte> GetArguments(int size) => Buffers.GetBytes(BufferType.CallData, 0, size);
}
