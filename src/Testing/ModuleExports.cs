using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// The <c>proxy_*</c> exports of a filter module, found the way a wasm host finds them: by export name, here the
/// <see cref="UnmanagedCallersOnlyAttribute.EntryPoint"/> of the generated methods. Each is called through an unmanaged
/// function pointer, so the module runs through exactly the entry points the wasm and native builds export.
/// </summary>
public sealed unsafe class ModuleExports
{
    private readonly Dictionary<string, nint> _exports;

    private ModuleExports(Assembly module, Dictionary<string, nint> exports)
    {
        Module = module;
        _exports = exports;
    }

    /// <summary>The filter assembly.</summary>
    public Assembly Module { get; }

    /// <summary>Every export name.</summary>
    public IReadOnlyCollection<string> Names => _exports.Keys;

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

        return new ModuleExports(module, exports);
    }

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
    public bool Has(string name) => _exports.ContainsKey(name);


    internal bool TryGet(string name, out nint pointer) => _exports.TryGetValue(name, out pointer);

    internal nint Require(string name) => _exports.TryGetValue(name, out nint pointer)
        ? pointer
        : throw new InvalidOperationException($"The module does not export {name}.");

    // A void callback the module does not export is skipped, as proxy-wasm-cpp-host skips it (a module whose streams
    // are untracked exports no proxy_on_context_create or proxy_on_delete).
    internal void Call(string name, uint a)
    {
        if (_exports.TryGetValue(name, out nint pointer))
        {
            ((delegate* unmanaged<uint, void>)pointer)(a);
        }
    }

    internal void Call(string name, uint a, uint b)
    {
        if (_exports.TryGetValue(name, out nint pointer))
        {
            ((delegate* unmanaged<uint, uint, void>)pointer)(a, b);
        }
    }

    internal uint CallWord(string name, uint a)
        => ((delegate* unmanaged<uint, uint>)Require(name))(a);

    internal uint CallWord(string name, uint a, uint b)
        => ((delegate* unmanaged<uint, uint, uint>)Require(name))(a, b);

    internal uint CallWord(string name, uint a, uint b, uint c)
        => ((delegate* unmanaged<uint, uint, uint, uint>)Require(name))(a, b, c);

    internal byte* Allocate(nuint size) => (byte*)((delegate* unmanaged<nuint, nint>)Require(ProxyCallbacks.MemoryAllocate.Export))(size);

    /// <summary>Hands data to the module as a wasm host does: allocate with the module's <c>proxy_on_memory_allocate</c>,
    /// copy, write the pointer and size. Empty data is returned as (null, 0) without allocating, as cpp-host does.</summary>
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
