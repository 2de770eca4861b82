using System;

namespace ProxyWasm.Testing;

/// <summary>How <see cref="ProxyWasmHost.LoadWasm(string, HostOptions?, WasmHostOptions?)"/> runs a <c>.wasm</c> module:
/// the limits proxy-wasm-cpp-host's Wasmtime engine applies in Envoy.</summary>
public sealed class WasmHostOptions
{
    /// <summary>The most linear memory the module may grow to, in bytes. Default 1 GiB (cpp-host
    /// <c>PROXY_WASM_HOST_MAX_WASM_MEMORY_SIZE_BYTES</c>); <c>memory.grow</c> past it returns -1, and a module whose
    /// initial memory is larger fails to instantiate.</summary>
    public long MaxMemoryBytes { get; init; } = 1L << 30;

    /// <summary>How long one call into the module (a callback, the allocator or start-up) may run before it is
    /// interrupted with a trap (an epoch deadline, as cpp-host's Wasmtime engine uses to stop a runaway VM). Default 5 s.</summary>
    public TimeSpan CallbackTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
