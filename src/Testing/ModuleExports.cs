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
    /// The v0.2.1 signature of each export the host knows: number of i32 parameters and whether it returns an i32.
    /// proxy-wasm-cpp-host refuses to load a module whose export has another signature ("Bad function signature").
    /// </summary>
    private static readonly Dictionary<string, (int Parameters, bool ReturnsWord)> s_abi = new(StringComparer.Ordinal)
    {
        ["proxy_abi_version_0_2_1"] = (0, false),
        ["proxy_on_context_create"] = (2, false),
        ["proxy_on_done"] = (1, true),
        ["proxy_on_log"] = (1, false),
        ["proxy_on_delete"] = (1, false),
        ["proxy_on_vm_start"] = (2, true),
        ["proxy_on_configure"] = (2, true),
        ["proxy_on_tick"] = (1, false),
        ["proxy_on_new_connection"] = (1, true),
        ["proxy_on_downstream_data"] = (3, true),
        ["proxy_on_upstream_data"] = (3, true),
        ["proxy_on_downstream_connection_close"] = (2, false),
        ["proxy_on_upstream_connection_close"] = (2, false),
        ["proxy_on_request_headers"] = (3, true),
        ["proxy_on_request_body"] = (3, true),
        ["proxy_on_request_trailers"] = (2, true),
        ["proxy_on_response_headers"] = (3, true),
        ["proxy_on_response_body"] = (3, true),
        ["proxy_on_response_trailers"] = (2, true),
        ["proxy_on_http_call_response"] = (5, false),
        ["proxy_on_grpc_receive_initial_metadata"] = (3, false),
        ["proxy_on_grpc_receive"] = (3, false),
        ["proxy_on_grpc_receive_trailing_metadata"] = (3, false),
        ["proxy_on_grpc_close"] = (3, false),
        ["proxy_on_queue_ready"] = (2, false),
        ["proxy_on_foreign_function"] = (3, false),
    };

    private static void CheckSignature(string name, MethodInfo method)
    {
        Type[] parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        bool ok;
        if (name == "proxy_on_memory_allocate")
        {
            // (size_t size) -> void*: i32 -> i32 on wasm32, pointer-sized here.
            ok = parameters.Length == 1 && parameters[0] == typeof(nuint) && (method.ReturnType == typeof(nint) || method.ReturnType.IsPointer);
        }
        else if (s_abi.TryGetValue(name, out (int Parameters, bool ReturnsWord) abi))
        {
            bool Word(Type t) => t == typeof(uint) || t == typeof(int);
            ok = parameters.Length == abi.Parameters && parameters.All(Word)
                && (abi.ReturnsWord ? Word(method.ReturnType) : method.ReturnType == typeof(void));
        }
        else
        {
            throw new InvalidOperationException($"{method.DeclaringType}.{method.Name} exports '{name}', which is not a Proxy-Wasm ABI v0.2.1 export.");
        }

        if (!ok)
        {
            throw new InvalidOperationException($"Bad function signature for: {name} ({method.DeclaringType}.{method.Name}); the ABI v0.2.1 signature differs.");
        }
    }

    /// <summary>Whether the module exports <paramref name="name"/>.</summary>
    public bool Has(string name) => _exports.ContainsKey(name);


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
