using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ProxyWasm.Cli.Loading;
using ProxyWasm.Cli.Output;
using ProxyWasm.Testing;

namespace ProxyWasm.Cli.Inspect;

/// <summary>What <c>inspect</c> found in a filter assembly: its ABI manifest.</summary>
internal sealed record AssemblyManifest(
    FilterModule Module,
    string? Project,
    IReadOnlyList<(FilterInfo Filter, IReadOnlyList<string> HostFunctions)> Filters,
    IReadOnlyList<string> Exports,
    IReadOnlyList<string> HostFunctions);

/// <summary>What <c>inspect</c> found in a native module (.so): its <c>proxy_*</c> dynamic symbols.</summary>
internal sealed record NativeManifest(string Path, IReadOnlyList<string> Exports, IReadOnlyList<string> Imports, IReadOnlyList<string> OtherExports);

/// <summary>What <c>inspect</c> found in a wasm module: its exports and imports, and whether Envoy would load it
/// (proxy-wasm-cpp-host's load checks, as <c>run</c> applies them).</summary>
internal sealed record WasmManifest(string Path, WasmModule Module, WasmLoadReport Envoy);

/// <summary>Runs <c>proxywasm inspect</c>.</summary>
internal static class InspectSession
{
    /// <summary>Inspects <paramref name="target"/> and prints the manifest; returns the exit code.</summary>
    public static int Execute(string target, bool json, TextWriter stdout, TextWriter stderr)
    {
        FilterTarget resolved = FilterTargets.Resolve(target, binaries: true, stderr);
        switch (resolved.Kind)
        {
            case TargetKind.NativeLibrary:
                NativeManifest native = Native(resolved.Path);
                Write(json, stdout, () => InspectReport.ToJson(native), () => InspectReport.WriteText(native, stdout));
                break;
            case TargetKind.Wasm:
                WasmManifest wasm = Wasm(resolved.Path);
                Write(json, stdout, () => InspectReport.ToJson(wasm), () => InspectReport.WriteText(wasm, stdout));
                break;
            default:
                AssemblyManifest manifest = Assembly(resolved);
                if (manifest.Module.RuntimeMismatch is { } mismatch)
                {
                    stderr.WriteLine("proxywasm: warning: " + mismatch);
                }

                Write(json, stdout, () => InspectReport.ToJson(manifest), () => InspectReport.WriteText(manifest, stdout));
                break;
        }

        return ExitCodes.Ok;
    }

    private static void Write(bool json, TextWriter stdout, Func<System.Text.Json.Nodes.JsonNode> toJson, Action writeText)
    {
        if (json)
        {
            stdout.WriteLine(Text.Json(toJson()));
        }
        else
        {
            writeText();
        }
    }

    internal static AssemblyManifest Assembly(FilterTarget target)
    {
        FilterModule module = FilterModule.Load(target.Path);
        IReadOnlyList<string> exports;
        try
        {
            exports = Text.Sorted(ModuleExports.Load(module.Assembly).Names).ToList();
        }
        catch (ArgumentException error)
        {
            throw CliException.Usage(error.Message);
        }
        catch (InvalidOperationException error)
        {
            throw CliException.Internal($"{module.Name}'s exports do not match ABI v0.2.1: {error.Message}", error);
        }

        try
        {
            using var graph = new HostCallGraph(target.Path, FilterLoadContext.ToolRuntime.Location);
            var filters = module.Filters
                .Select(f => (f, (IReadOnlyList<string>)graph.FromTypes(new[] { f.Type.FullName!, f.Plugin?.FullName }.OfType<string>())))
                .ToList();
            return new AssemblyManifest(module, target.Project, filters, exports, graph.FromAssembly());
        }
        catch (Exception error) when (error is BadImageFormatException or InvalidDataException)
        {
            throw CliException.Internal($"could not read the IL of {module.Name}: {error.Message}", error);
        }
    }

    internal static NativeManifest Native(string path)
    {
        byte[] bytes = Read(path);
        if (!ElfSymbols.IsElf(bytes))
        {
            throw CliException.Usage($"{FilterTargets.Relative(path)} is not an ELF shared library");
        }

        IReadOnlyList<ElfSymbol> symbols;
        try
        {
            symbols = ElfSymbols.Read(bytes);
        }
        catch (InvalidDataException error)
        {
            throw CliException.Usage($"{FilterTargets.Relative(path)}: {error.Message}");
        }

        static bool Proxy(ElfSymbol s) => s.Name.StartsWith("proxy_", StringComparison.Ordinal);
        return new NativeManifest(
            path,
            Text.Sorted(symbols.Where(s => s.Defined && Proxy(s)).Select(s => s.Name).Distinct()).ToList(),
            Text.Sorted(symbols.Where(s => !s.Defined && Proxy(s)).Select(s => s.Name).Distinct()).ToList(),
            Text.Sorted(symbols.Where(s => s.Defined && !Proxy(s)).Select(s => s.Name).Distinct()).ToList());
    }

    internal static WasmManifest Wasm(string path)
    {
        byte[] bytes = Read(path);
        WasmModule module;
        try
        {
            module = WasmModule.Read(bytes);
        }
        catch (Exception error) when (error is InvalidDataException or OverflowException)
        {
            throw CliException.Usage($"{FilterTargets.Relative(path)}: {error.Message}");
        }

        // The verdict: compiled by Wasmtime and checked as cpp-host does (a refused module is a result, exit 0).
        using ProxyWasm.Testing.WasmModule compiled = WasmChecks.Load(path);
        return new WasmManifest(path, module, compiled.Report);
    }

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"{FilterTargets.Relative(path)}: {error.Message}");
        }
    }
}
