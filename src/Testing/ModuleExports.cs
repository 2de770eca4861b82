using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// The <c>proxy_*</c> exports of a filter module, found the way a wasm host finds them: by export name. Two bindings:
/// an assembly with generated glue (<see cref="Load(Assembly)"/>: the <see cref="UnmanagedCallersOnlyAttribute.EntryPoint"/>
/// methods, called through unmanaged function pointers, so the module runs through exactly the entry points the wasm
/// and native builds export), and a <c>.wasm</c> module instantiated with Wasmtime (<see cref="WasmModule"/>, through
/// <see cref="ProxyWasmHost.LoadWasm(string, HostOptions?, WasmHostOptions?)"/>).
/// </summary>
public sealed unsafe class ModuleExports
{
    private readonly ExportBinding _binding;

    private ModuleExports(Assembly? module, ExportBinding binding)
    {
        Module = module;
        _binding = binding;
    }

    /// <summary>The filter assembly, or <see langword="null"/> for a <c>.wasm</c> module.</summary>
    public Assembly? Module { get; }

    /// <summary>The <c>.wasm</c> module, or <see langword="null"/> for an assembly.</summary>
    public WasmModule? Wasm => (_binding as WasmBinding)?.Module;

    /// <summary>Every export name (functions only).</summary>
    public IReadOnlyCollection<string> Names => _binding.Names;

    /// <summary>Whether the module runs in this process (an assembly): its state is static and the runtime's host-memory
    /// record is shared, so one host at a time drives it.</summary>
    internal bool InProcess => _binding is FunctionPointerBinding;

    /// <summary>The first trap of a <c>.wasm</c> module's VM, or <see langword="null"/> (an assembly's VM never traps).</summary>
    internal WasmTrapException? Failure => _binding.Failure;

    /// <summary>Takes the module for one host (an assembly: the process-wide host lock).</summary>
    internal void Acquire() => _binding.Acquire();

    /// <summary>Gives the module up (an assembly: the lock; a <c>.wasm</c> instance: its store).</summary>
    internal void Release() => _binding.Release();

    /// <summary>Runs <paramref name="call"/> into the module with its host calls reaching <paramref name="host"/>.</summary>
    internal uint? Run(IProxyHost host, Func<uint?> call) => _binding.Run(host, call);

    /// <summary>Finds the exports of <paramref name="module"/>.</summary>
    /// <exception cref="ArgumentException">The assembly has no <c>ProxyWasm.Generated.ProxyWasmModule</c> (no [HttpFilter] type, or the generator did not run).</exception>
    public static ModuleExports Load(Assembly module)
    {
        Type? type = module.GetType("ProxyWasm.Generated.ProxyWasmModule", throwOnError: false);
        if (type is null)
        {
            throw new ArgumentException($"{module.GetName().Name} has no generated ProxyWasm.Generated.ProxyWasmModule: does it declare an [HttpFilter] type, and does it reference ProxyWasm.Generators?", nameof(module));
        }

        var exports = new Dictionary<string, nint>(StringComparer.Ordinal);
        foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
        {
            if (method.GetCustomAttribute<UnmanagedCallersOnlyAttribute>() is { EntryPoint: { } name })
            {
                CheckSignature(name, method);
                exports[name] = method.MethodHandle.GetFunctionPointer();
            }
        }

        return new ModuleExports(module, new FunctionPointerBinding(exports));
    }

    internal static ModuleExports Bind(WasmBinding binding) => new(null, binding);

    /// <summary>
    /// Checks an export against its row of the callback table (ProxyCallbacks: the same rows the generator emits from):
    /// the number of i32 parameters and whether it returns an i32. proxy-wasm-cpp-host refuses to load a module whose
    /// export has another signature ("Bad function signature").
    /// </summary>
    private static void CheckSignature(string name, MethodInfo method)
    {
        if (ProxyCallbacks.ForExport(name) is not { } callback)
        {
            throw new InvalidOperationException($"{method.DeclaringType}.{method.Name} exports '{name}', which is not a Proxy-Wasm ABI v0.2.1 export.");
        }

        Type[] parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        bool Word(Type t) => t == typeof(uint) || t == typeof(int);
        bool ok = callback.Result == CallbackResult.Pointer
            // (size_t size) -> void*: i32 -> i32 on wasm32, pointer-sized here.
            ? parameters.Length == 1 && parameters[0] == typeof(nuint) && (method.ReturnType == typeof(nint) || method.ReturnType.IsPointer)
            : parameters.Length == callback.Arity && parameters.All(Word)
              && (callback.Result == CallbackResult.Void ? method.ReturnType == typeof(void) : Word(method.ReturnType));
        if (!ok)
        {
            throw new InvalidOperationException($"Bad function signature for: {name} ({method.DeclaringType}.{method.Name}); the ABI v0.2.1 signature is {name}{callback.Signature}.");
        }
    }

    /// <summary>Whether the module exports <paramref name="name"/>.</summary>
    public bool Has(string name) => _binding.Has(name);

    /// <summary>The function pointer of an in-process export (LeanHost calls them directly).</summary>
    internal bool TryGetPointer(string name, out nint pointer)
    {
        pointer = 0;
        return _binding is FunctionPointerBinding binding && binding.TryGet(name, out pointer);
    }

    /// <summary>Calls export <paramref name="name"/> with any number of i32 arguments its shape allows.</summary>
    internal uint Invoke(string name, ReadOnlySpan<uint> arguments, bool returnsWord) => _binding.Invoke(name, arguments, returnsWord);

    // A void callback the module does not export is skipped, as proxy-wasm-cpp-host skips it (a module whose streams
    // are untracked exports no proxy_on_context_create or proxy_on_delete).
    private void CallVoid(string name, ReadOnlySpan<uint> arguments)
    {
        if (_binding.Has(name))
        {
            _binding.Invoke(name, arguments, returnsWord: false);
        }
    }

    internal void Call(string name, uint a) => CallVoid(name, [a]);

    internal void Call(string name, uint a, uint b) => CallVoid(name, [a, b]);

    internal void Call(string name, uint a, uint b, uint c) => CallVoid(name, [a, b, c]);

    internal void Call(string name, uint a, uint b, uint c, uint d, uint e) => CallVoid(name, [a, b, c, d, e]);

    internal uint CallWord(string name, uint a) => _binding.Invoke(name, [a], returnsWord: true);

    internal uint CallWord(string name, uint a, uint b) => _binding.Invoke(name, [a, b], returnsWord: true);

    internal uint CallWord(string name, uint a, uint b, uint c) => _binding.Invoke(name, [a, b, c], returnsWord: true);

    /// <summary>Allocates <paramref name="size"/> bytes with the module's allocator (cpp-host: <c>malloc</c>, else
    /// <c>proxy_on_memory_allocate</c>); the address in this process, or null when the module refused.</summary>
    internal byte* Allocate(nuint size) => _binding.Allocate(size);

    /// <summary>Hands data to the module as a wasm host does: allocate with the module's allocator, copy, write the
    /// pointer and size. Empty data is returned as (null, 0) without allocating, as cpp-host does.</summary>
    internal ProxyStatus CopyOut(ReadOnlySpan<byte> data, byte** returnData, nuint* returnSize)
    {
        if (data.IsEmpty)
        {
            *returnData = null;
            *returnSize = 0;
            return ProxyStatus.Ok;
        }

        byte* block = Allocate((nuint)data.Length);
        if (block is null)
        {
            return ProxyStatus.InvalidMemoryAccess;
        }

        data.CopyTo(new Span<byte>(block, data.Length));
        *returnData = block;
        *returnSize = (nuint)data.Length;
        return ProxyStatus.Ok;
    }
}

/// <summary>How a host reaches a module's exports: function pointers in this process, or Wasmtime.</summary>
internal abstract unsafe class ExportBinding
{
    public abstract IReadOnlyCollection<string> Names { get; }

    public abstract bool Has(string name);

    /// <summary>Calls export <paramref name="name"/> with i32 arguments; its i32 result, or 0 when it returns nothing.</summary>
    public abstract uint Invoke(string name, ReadOnlySpan<uint> arguments, bool returnsWord);

    public abstract byte* Allocate(nuint size);

    /// <summary>The first trap of the VM, if it can trap.</summary>
    public virtual WasmTrapException? Failure => null;

    public abstract void Acquire();

    public abstract void Release();

    /// <summary>Runs a call into the module with its host calls reaching <paramref name="host"/>.</summary>
    public abstract uint? Run(IProxyHost host, Func<uint?> call);
}

/// <summary>The exports of an assembly with generated glue, called through unmanaged function pointers.</summary>
internal sealed unsafe class FunctionPointerBinding(Dictionary<string, nint> exports) : ExportBinding
{
    public override IReadOnlyCollection<string> Names => exports.Keys;

    public override bool Has(string name) => exports.ContainsKey(name);

    public bool TryGet(string name, out nint pointer) => exports.TryGetValue(name, out pointer);

    public override uint Invoke(string name, ReadOnlySpan<uint> a, bool returnsWord)
    {
        nint f = exports.TryGetValue(name, out nint pointer) ? pointer : throw new InvalidOperationException($"The module does not export {name}.");
        if (!returnsWord)
        {
            switch (a.Length)
            {
                case 1: ((delegate* unmanaged<uint, void>)f)(a[0]); return 0;
                case 2: ((delegate* unmanaged<uint, uint, void>)f)(a[0], a[1]); return 0;
                case 3: ((delegate* unmanaged<uint, uint, uint, void>)f)(a[0], a[1], a[2]); return 0;
                case 4: ((delegate* unmanaged<uint, uint, uint, uint, void>)f)(a[0], a[1], a[2], a[3]); return 0;
                case 5: ((delegate* unmanaged<uint, uint, uint, uint, uint, void>)f)(a[0], a[1], a[2], a[3], a[4]); return 0;
            }
        }
        else
        {
            switch (a.Length)
            {
                case 1: return ((delegate* unmanaged<uint, uint>)f)(a[0]);
                case 2: return ((delegate* unmanaged<uint, uint, uint>)f)(a[0], a[1]);
                case 3: return ((delegate* unmanaged<uint, uint, uint, uint>)f)(a[0], a[1], a[2]);
            }
        }

        throw new NotSupportedException($"No call shape for {name} with {a.Length} arguments.");
    }

    public override byte* Allocate(nuint size)
        => (byte*)((delegate* unmanaged<nuint, nint>)exports[ProxyCallbacks.MemoryAllocate.Export])(size);

    // The module's state is static and HostMemory is process-wide: one host drives an assembly at a time.
    public override void Acquire() => HostLock.Enter();

    public override void Release() => HostLock.Exit();

    public override uint? Run(IProxyHost host, Func<uint?> call)
    {
        using (InProcessHost.Enter(host))
        {
            return call();
        }
    }
}
