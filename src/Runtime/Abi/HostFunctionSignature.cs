using System.Collections.Generic;

namespace ProxyWasm.Abi;

/// <summary>How one parameter of an <c>env.proxy_*</c> host function crosses a wasm32 boundary
/// (<see cref="HostFunctionTable"/>). On wasm32 every pointer and <c>size_t</c> is an i32.</summary>
public enum HostParameterKind
{
    /// <summary>An i32 value (<c>u32</c>, <c>i32</c> or an ABI enum).</summary>
    Value32,

    /// <summary>An i64 value (<c>u64</c>, <c>i64</c>).</summary>
    Value64,

    /// <summary>A byte count (<c>size_t</c>, i32 on wasm32): the size of the <see cref="InputData"/> before it, or a
    /// value such as a buffer offset.</summary>
    Size,

    /// <summary>A pointer to bytes the module hands the host (<c>const u8*</c>, i32 offset); its size is the
    /// <see cref="Size"/> parameter after it.</summary>
    InputData,

    /// <summary>A pointer to the module's slot (4 bytes on wasm32) for the address of a block the host allocates through
    /// the module's allocator (<c>u8**</c>).</summary>
    OutputData,

    /// <summary>A pointer to the module's <c>size_t</c> slot (4 bytes on wasm32) for a returned size.</summary>
    OutputSize,

    /// <summary>A pointer to the module's 4-byte slot for a returned <c>u32</c> or ABI enum.</summary>
    Output32,

    /// <summary>A pointer to the module's 8-byte slot for a returned <c>u64</c>.</summary>
    Output64,
}

/// <summary>One <c>env.proxy_*</c> host function: its import name and parameter kinds, one per ABI parameter. Every host
/// function returns an i32 <see cref="ProxyStatus"/>.</summary>
/// <param name="Name">The import name in module <c>env</c>, e.g. <c>proxy_log</c>.</param>
/// <param name="Parameters">The parameters' kinds, in ABI order.</param>
public sealed record HostFunctionSignature(string Name, IReadOnlyList<HostParameterKind> Parameters);
