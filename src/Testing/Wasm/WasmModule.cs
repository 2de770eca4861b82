using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ProxyWasm.Abi;
using Wasmtime;

namespace ProxyWasm.Testing;

/// <summary>
/// A compiled <c>.wasm</c> Proxy-Wasm module and the verdict of proxy-wasm-cpp-host's load checks on it
/// (<see cref="Report"/>). <see cref="ProxyWasmHost.LoadWasm(WasmModule, HostOptions?, WasmHostOptions?)"/> runs it;
/// one module can be run by many hosts, each with its own instance (one VM each).
/// </summary>
/// <remarks>
/// The checks, in cpp-host's order and with its messages (<c>src/wasm.cc</c> <c>WasmBase::load</c>,
/// <c>getFunctions</c>, and the V8 engine's import and export checks, Envoy's default engine):
/// the ABI marker export (<c>proxy_abi_version_0_2_1</c> or <c>_0_2_0</c>); every import is a function cpp-host
/// registers, with its signature (<c>env.proxy_*</c> of the module's ABI version, <c>env.pthread_equal</c>,
/// <c>env.emscripten_notify_memory_growth</c>, and the WASI preview 1 functions cpp-host implements under
/// <c>wasi_snapshot_preview1</c> and <c>wasi_unstable</c>), so a component-model import such as
/// <c>wasi:cli/environment@0.2.0</c> fails the load naming it; an allocator (<c>malloc</c>, looked up first, else
/// <c>proxy_on_memory_allocate</c>); and the exact signature of every <c>proxy_on_*</c> export and of the start-up
/// functions (<c>_initialize</c>, <c>main</c>, <c>__main_void</c>, <c>_start</c>).
/// </remarks>
public sealed class WasmModule : IDisposable
{
    private WasmModule(string name, Engine engine, Module? module, WasmLoadReport report)
    {
        Name = name;
        Engine = engine;
        Compiled = module;
        Report = report;
    }

    /// <summary>The module's name (its file name, for a file).</summary>
    public string Name { get; }

    /// <summary>What the load checks found: whether Envoy would load the module, and why not.</summary>
    public WasmLoadReport Report { get; }

    internal Engine Engine { get; }

    internal Module? Compiled { get; }

    /// <summary>The period of the engine's epoch clock in milliseconds: a deadline is a number of its ticks.</summary>
    internal const int EpochMilliseconds = 10;

    private readonly object _epochLock = new();
    private Timer? _epoch;

    /// <summary>Starts the engine's epoch clock, once: every instance of the module runs on this engine, so one clock
    /// serves them all (a clock per instance would make the epoch, and every deadline, run as many times as fast).</summary>
    internal void StartEpochClock()
    {
        lock (_epochLock)
        {
            _epoch ??= new Timer(static engine => ((Engine)engine!).IncrementEpoch(), Engine, EpochMilliseconds, EpochMilliseconds);
        }
    }

    /// <summary>Reads and compiles <paramref name="path"/> and checks it. A module that fails a check is still returned
    /// (see <see cref="Report"/>); running it throws <see cref="WasmLoadException"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WasmModule Load(string path) => FromBytes(File.ReadAllBytes(path), Path.GetFileName(path));

    /// <summary>Compiles <paramref name="bytes"/> (a binary wasm module) and checks it; see <see cref="Load"/>.</summary>
    public static WasmModule FromBytes(ReadOnlySpan<byte> bytes, string name)
    {
        var engine = new Engine(new Config().WithEpochInterruption(true).WithMemoryMayMove(false));
        Module module;
        try
        {
            module = Module.FromBytes(engine, name, bytes);
        }
        catch (WasmtimeException ex)
        {
            return new WasmModule(name, engine, null, new WasmLoadReport(null, [$"Failed to load Wasm module: {FirstLine(ex.Message)}"]));
        }

        return new WasmModule(name, engine, module, WasmLoadChecks.Check(module));
    }

    /// <summary>Frees the compiled code.</summary>
    public void Dispose()
    {
        lock (_epochLock)
        {
            // Stop the clock and wait for a tick in flight, so that no tick reaches a disposed engine.
            if (_epoch is not null)
            {
                using var stopped = new ManualResetEvent(false);
                if (_epoch.Dispose(stopped))
                {
                    stopped.WaitOne();
                }

                _epoch = null;
            }
        }

        Compiled?.Dispose();
        Engine.Dispose();
    }

    internal static string FirstLine(string message)
    {
        int end = message.IndexOf('\n');
        return (end < 0 ? message : message[..end]).Trim();
    }
}

/// <summary>The verdict of the load checks on a module (<see cref="WasmModule.Report"/>).</summary>
/// <param name="AbiVersion">The ABI the marker export names (<c>0.2.1</c>, <c>0.2.0</c>, <c>0.1.0</c>), or
/// <see langword="null"/> when the module has none or could not be parsed.</param>
/// <param name="Errors">Each reason Envoy would refuse the module, with cpp-host's message; empty when it would load it.</param>
public sealed record WasmLoadReport(string? AbiVersion, IReadOnlyList<string> Errors)
{
    /// <summary>Whether Envoy (proxy-wasm-cpp-host) would load the module.</summary>
    public bool Loadable => Errors.Count == 0;

    /// <summary>One line: <c>Envoy would load this: yes (ABI 0.2.1)</c>, or <c>no, because …</c> with the first reason.</summary>
    public string Verdict => Loadable
        ? $"Envoy would load this: yes (Proxy-Wasm ABI {AbiVersion})"
        : $"Envoy would load this: no, because {Errors[0]}" + (Errors.Count > 1 ? $" (and {Errors.Count - 1} more)" : string.Empty);
}

/// <summary>The module failed proxy-wasm-cpp-host's load checks (<see cref="WasmLoadReport"/>).</summary>
public sealed class WasmLoadException(WasmLoadReport report) : Exception(report.Verdict)
{
    /// <summary>The checks' verdict, every reason included.</summary>
    public WasmLoadReport Report { get; } = report;
}

/// <summary>proxy-wasm-cpp-host's load checks over a compiled module's imports and exports.</summary>
internal static class WasmLoadChecks
{
    private const string I32 = "i32";

    internal static WasmLoadReport Check(Module module)
    {
        var errors = new List<string>();
        string[] markers = module.Exports.Where(e => e.Name.StartsWith("proxy_abi_version_", StringComparison.Ordinal)).Select(e => e.Name).ToArray();
        string? abi = markers.Length == 1 ? markers[0] switch
        {
            "proxy_abi_version_0_1_0" => "0.1.0",
            "proxy_abi_version_0_2_0" => "0.2.0",
            "proxy_abi_version_0_2_1" => "0.2.1",
            _ => null,
        } : null;
        if (abi is null)
        {
            errors.Add("Missing or unknown Proxy-Wasm ABI version");
        }
        else if (abi == "0.1.0")
        {
            errors.Add("Proxy-Wasm ABI 0.1.0: Envoy loads it with the 0.1.0 callbacks, which this host does not run (it runs 0.2.0 and 0.2.1)");
        }

        Dictionary<string, WasmImportSignature> host = WasmImports.For(abi);
        foreach (Import import in module.Imports)
        {
            string qualified = $"{import.ModuleName}.{import.Name}";
            if (import is not FunctionImport function || !host.TryGetValue(qualified, out WasmImportSignature? expected))
            {
                errors.Add($"Failed to load Wasm module due to a missing import: {qualified}");
                continue;
            }

            string want = Print(function.Parameters), wantResult = Print(function.Results);
            if (want != Print(expected.Parameters) || wantResult != Print(expected.Results))
            {
                errors.Add($"Failed to load Wasm module due to an import type mismatch: {qualified}, want: {want} -> {wantResult}, but host exports: {Print(expected.Parameters)} -> {Print(expected.Results)}");
            }
        }

        var exports = module.Exports.OfType<FunctionExport>().ToDictionary(e => e.Name, StringComparer.Ordinal);
        if (!module.Exports.OfType<MemoryExport>().Any())
        {
            errors.Add("Wasm module exports no memory: the host cannot read or write its linear memory");
        }

        void Expect(string name, int parameters, bool result)
        {
            if (exports.TryGetValue(name, out FunctionExport? export))
            {
                string want = Print(Enumerable.Repeat(ValueKind.Int32, parameters)), wantResult = result ? I32 : "void";
                if (Print(export.Parameters) != want || Print(export.Results) != wantResult)
                {
                    errors.Add($"Bad function signature for: {name}, want: {want} -> {wantResult}, but the module exports: {Print(export.Parameters)} -> {Print(export.Results)}");
                }
            }
        }

        Expect("_initialize", 0, false);
        Expect("main", 2, true);
        Expect("__main_void", 0, true);
        Expect("_start", 0, false);
        Expect("malloc", 1, true);
        if (!exports.ContainsKey("malloc") && !exports.ContainsKey(ProxyCallbacks.MemoryAllocate.Export))
        {
            errors.Add("Wasm module is missing malloc function.");
        }

        foreach (ProxyCallback callback in ProxyCallbacks.All)
        {
            if (callback != ProxyCallbacks.AbiVersion)
            {
                Expect(callback.Export, callback.Arity, callback.Result != CallbackResult.Void);
            }
        }

        return new WasmLoadReport(abi, errors);
    }

    private static string Print(IEnumerable<ValueKind> kinds)
    {
        string[] names = kinds.Select(k => k switch
        {
            ValueKind.Int32 => I32,
            ValueKind.Int64 => "i64",
            ValueKind.Float32 => "f32",
            ValueKind.Float64 => "f64",
            ValueKind.V128 => "v128",
            ValueKind.FuncRef => "funcref",
            _ => "externref",
        }).ToArray();
        return names.Length == 0 ? "void" : string.Join(" ", names);
    }
}
