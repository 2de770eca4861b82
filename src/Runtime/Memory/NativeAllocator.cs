using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProxyWasm;

/// <summary>
/// Whether this module's <c>proxy_on_memory_allocate</c> is the native allocator (build/native/proxywasm_allocator.c)
/// instead of a managed export: the feature switch <c>ProxyWasm.HostMemory.NativeAllocator</c>, which
/// ProxyWasm.Native.targets turns on when it links that allocator into a NativeAOT module (linux-x64).
/// </summary>
/// <remarks>
/// <para>With the native allocator, the host never runs managed code during a host call: the allocator was the only
/// way back into the module from inside one (Envoy defers what a host call starts: a local response, a stream's
/// continuation). So every import can skip its GC transition (<c>[SuppressGCTransition]</c>), the data-returning ones
/// included, and the generated <c>HostCalls</c> of the runtime's Aot flavor (the one a module compiled ahead of
/// time references) choose those imports when <see cref="IsEnabled"/> is true. ILC treats
/// <see cref="IsEnabled"/> as a constant, so only one set of imports is compiled into a module.</para>
/// <para>Off in process (the JIT; the allocator is the managed one the in-process host calls) and in wasm builds, where
/// the managed <c>proxy_on_memory_allocate</c> export remains.</para>
/// </remarks>
public static unsafe class NativeAllocator
{
    /// <summary>The feature switch name.</summary>
    public const string FeatureSwitchName = "ProxyWasm.HostMemory.NativeAllocator";

    /// <summary>Whether the module's allocator is the native one (feature switch <see cref="FeatureSwitchName"/>, off unless
    /// set).</summary>
    [FeatureSwitchDefinition(FeatureSwitchName)]
    public static bool IsEnabled { get; } = AppContext.TryGetSwitch(FeatureSwitchName, out bool enabled) && enabled;

    /// <summary>The native allocator's record of live blocks (<c>proxywasm_host_memory_record</c>); only called when
    /// <see cref="IsEnabled"/>, where the build links the allocator and binds this import directly.</summary>
    internal static HostMemory.Record* Record() => proxywasm_host_memory_record();

    /// <summary>Frees every block of the native record allocated since <paramref name="mark"/> (a block count)
    /// (<c>proxywasm_host_memory_release</c>: a loop of <c>free</c>, so no GC transition).</summary>
    /// <remarks>Not inlined in the default flavor: the JIT binds a <c>[SuppressGCTransition]</c> import when it compiles
    /// the method that calls it, and in process (where this is never called) the library does not exist. The Aot
    /// flavor, which only ILC compiles, inlines it (no stub between <c>HostMemory.Exit</c> and the C function).</remarks>
#if PROXYWASM_AOT_FLAVOR
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
#else
    [MethodImpl(MethodImplOptions.NoInlining)]
#endif
    internal static void Release(int mark) => proxywasm_host_memory_release(mark);

    /// <summary>A block from the native allocator (its <c>proxy_on_memory_allocate</c>, a direct call into the object the
    /// build links): what <see cref="HostMemory.Allocate"/> answers when <see cref="IsEnabled"/>, so a module has one
    /// allocator. <see langword="null"/> over <see cref="HostMemory.MaxBlockSize"/> or when memory is exhausted.</summary>
    /// <remarks>Not inlined, as <see cref="Release"/>.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static byte* Allocate(nuint size) => proxy_on_memory_allocate(size);

    [DllImport("proxywasm_native", ExactSpelling = true)]
    private static extern HostMemory.Record* proxywasm_host_memory_record();

    [SuppressGCTransition]
    [DllImport("proxywasm_native", ExactSpelling = true)]
    private static extern byte* proxy_on_memory_allocate(nuint size);

    [SuppressGCTransition]
    [DllImport("proxywasm_native", ExactSpelling = true)]
    private static extern void proxywasm_host_memory_release(int mark);
}
