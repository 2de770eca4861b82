using System;
using System.IO;
using ProxyWasm.Cli.Loading;
using ProxyWasm.Cli.Output;
using ProxyWasm.Testing;

namespace ProxyWasm.Cli.Run;

/// <summary>
/// <c>proxywasm run</c> on a <c>.wasm</c> module: loaded with <see cref="WasmModule.Load"/> (Wasmtime, and
/// proxy-wasm-cpp-host's load checks), run through <see cref="ProxyWasmHost.LoadWasm(WasmModule, HostOptions?, WasmHostOptions?)"/>,
/// the same host and report as for an assembly. A module Envoy would refuse exits 1 with cpp-host's reason.
/// </summary>
internal static class WasmRun
{
    /// <summary>The wasm module to run, or null when the target is an assembly or a project: <c>--wasm FILE</c>
    /// (any file name), or a positional argument ending in <c>.wasm</c>. Usage errors (exit 2): both or neither given,
    /// a missing file.</summary>
    public static string? Target(RunSettings settings)
    {
        if (settings.Wasm is not null && settings.Filter is not null)
        {
            throw CliException.Usage($"give the filter ({settings.Filter}) or --wasm {settings.Wasm}, not both");
        }

        if (settings.Wasm is null && settings.Filter is null)
        {
            throw CliException.Usage("no filter: give a filter assembly (.dll), a project, or a wasm module (.wasm, or --wasm FILE)");
        }

        if (settings.Wasm is { } wasm)
        {
            return Existing("--wasm " + wasm, wasm);
        }

        string filter = settings.Filter!;
        return filter.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(filter) ? Existing(filter, filter) : null;
    }

    /// <summary>Loads and checks <paramref name="path"/>, runs the request through it and returns what happened.</summary>
    public static RunOutcome Run(string path, HostOptions options, HttpRequest request, HttpResponse upstream, bool customResponse)
    {
        string shown = FilterTargets.Relative(path);
        using WasmModule module = WasmChecks.Load(path);
        if (!module.Report.Loadable)
        {
            throw Refused(shown, module.Report);
        }

        ProxyWasmHost host;
        try
        {
            host = ProxyWasmHost.LoadWasm(module, options);
        }
        catch (WasmLoadException error)
        {
            // Instantiation failed (an initial memory over the 1 GiB cap, a data segment out of bounds): Envoy's
            // "Failed to create new Wasm instance".
            throw Refused(shown, error.Report);
        }

        var described = new RunModule("wasm", module.Name, path, null, options.RootId, null, null, module.Report.AbiVersion);
        return RunSession.Drive(host, described, request, upstream, customResponse, (during, error) => CliException.Internal(
            $"{module.Name} failed while {during}, in a way the host could not contain: {error.GetType().Name}: {error.Message}", error));
    }

    /// <summary>Exit 1: Envoy (proxy-wasm-cpp-host) would not load the module; the first reason, in cpp-host's words.</summary>
    private static CliException Refused(string shown, WasmLoadReport report)
    {
        string more = report.Errors.Count > 1 ? $" (and {report.Errors.Count - 1} more: 'proxywasm inspect {shown}' lists them)" : string.Empty;
        return new CliException(ExitCodes.Rejected, $"Envoy would not load {shown}: {report.Errors[0]}{more}");
    }

    private static string Existing(string shown, string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw CliException.Usage($"{shown} is a directory, not a wasm module");
        }

        return File.Exists(full) ? full : throw CliException.Usage($"{shown}: no such file or directory");
    }
}
