using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace ProxyWasm.Testing;

/// <summary>
/// The <c>proxy_*</c> exports of a filter module, found the way a wasm host finds them: by export name, here the
/// <see cref="UnmanagedCallersOnlyAttribute.EntryPoint"/> of the generated methods. Each is called through an unmanaged
/// function pointer, so the module runs through exactly the entry points the wasm and native builds export.
/// </summary>
public sealed unsafe class ModuleExports
{
    private static readonly Dictionary<Assembly, SemaphoreSlim> s_moduleLocks = new();
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
                exports[name] = method.MethodHandle.GetFunctionPointer();
            }
        }

        return new ModuleExports(module, exports);
    }

    /// <summary>Whether the module exports <paramref name="name"/>.</summary>
    public bool Has(string name) => _exports.ContainsKey(name);

    internal static SemaphoreSlim LockFor(Assembly module)
    {
        lock (s_moduleLocks)
        {
            if (!s_moduleLocks.TryGetValue(module, out SemaphoreSlim? gate))
            {
                gate = new SemaphoreSlim(1, 1);
                s_moduleLocks[module] = gate;
            }

            return gate;
        }
    }

    internal bool TryGet(string name, out nint pointer) => _exports.TryGetValue(name, out pointer);

    internal nint Require(string name) => _exports.TryGetValue(name, out nint pointer)
        ? pointer
        : throw new InvalidOperationException($"The module does not export {name}.");

    internal void Call(string name, uint a)
        => ((delegate* unmanaged<uint, void>)Require(name))(a);

    internal void Call(string name, uint a, uint b)
        => ((delegate* unmanaged<uint, uint, void>)Require(name))(a, b);

    internal uint CallWord(string name, uint a)
        => ((delegate* unmanaged<uint, uint>)Require(name))(a);

    internal uint CallWord(string name, uint a, uint b)
        => ((delegate* unmanaged<uint, uint, uint>)Require(name))(a, b);

    internal uint CallWord(string name, uint a, uint b, uint c)
        => ((delegate* unmanaged<uint, uint, uint, uint>)Require(name))(a, b, c);

    internal byte* Allocate(nuint size) => (byte*)((delegate* unmanaged<nuint, nint>)Require("proxy_on_memory_allocate"))(size);

    /// <summary>Names of the exports that are Proxy-Wasm callbacks (<c>proxy_on_*</c>), sorted.</summary>
    public IReadOnlyList<string> Callbacks => _exports.Keys.Where(n => n.StartsWith("proxy_on_", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal).ToList();
}
