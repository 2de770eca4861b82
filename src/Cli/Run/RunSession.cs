using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ProxyWasm.Abi;
using ProxyWasm.Cli.Loading;
using ProxyWasm.Cli.Output;
using ProxyWasm.Testing;

namespace ProxyWasm.Cli.Run;

/// <summary>What <c>proxywasm run</c> was asked to do, from its command line.</summary>
internal sealed class RunSettings
{
    /// <summary>The positional argument: an assembly, a project or a <c>.wasm</c> file; null when only <c>--wasm</c> is given.</summary>
    public string? Filter { get; init; }

    /// <summary><c>--wasm FILE</c>: a wasm module, whatever its file name.</summary>
    public string? Wasm { get; init; }

    public string? RootId { get; init; }

    public required RequestFlags Flags { get; init; }

    public string? Config { get; init; }

    public string? ConfigFile { get; init; }

    public string? VmConfig { get; init; }

    public string? VmConfigFile { get; init; }

    /// <summary><c>--fail-open</c>: Envoy's failure policy for a failed VM (<see cref="HostOptions.FailOpen"/>); .wasm only.</summary>
    public bool FailOpen { get; init; }

    public bool Json { get; init; }
}

/// <summary>The module that was run: a filter assembly (and the filter chosen in it) or a <c>.wasm</c> module.</summary>
/// <param name="Kind"><c>assembly</c> or <c>wasm</c>.</param>
/// <param name="Name">The assembly's name, or the wasm file's name.</param>
/// <param name="Path">The full path of the file run.</param>
/// <param name="Project">The project the assembly was built from, or null.</param>
/// <param name="RootId">The root id run (Envoy's <c>root_id</c>; property <c>plugin_root_id</c>).</param>
/// <param name="FilterType">The filter type's display name (assemblies), or null.</param>
/// <param name="Runtime">The ProxyWasm.Runtime version the assembly references, or null.</param>
/// <param name="Abi">The Proxy-Wasm ABI version a wasm module's marker export names, or null.</param>
internal sealed record RunModule(string Kind, string Name, string Path, string? Project, string RootId, string? FilterType, Version? Runtime, string? Abi)
{
    public bool IsWasm => Kind == "wasm";
}

/// <summary>Everything one run produced: the module, the plugin's start, the exchange and the log.</summary>
internal sealed record RunOutcome(
    RunModule Module,
    IReadOnlyCollection<string> Exports,
    bool? VmStart,
    bool? Configure,
    bool Accepted,
    IReadOnlyList<CallbackRecord> PluginCallbacks,
    HttpRequest Request,
    HttpResponse UpstreamResponse,
    HttpExchange? Exchange,
    IReadOnlyList<LogEntry> Logs,
    WasmTrapException? VmFailure,
    bool FailOpen)
{
    /// <summary>0 done, 1 rejected.</summary>
    public int ExitCode => Accepted ? ExitCodes.Ok : ExitCodes.Rejected;

    /// <summary>Why the plugin was rejected: the VM failed, or which plugin callback returned false.</summary>
    public string RejectedBecause => VmFailure is { } failure
        ? $"the VM failed: {failure.Message}"
        : (VmStart == false ? ProxyCallbacks.VmStart.Export : ProxyCallbacks.Configure.Export) + " returned false";
}

/// <summary>Runs one request through a filter assembly in the in-process host, or through a <c>.wasm</c> module
/// under Wasmtime (<see cref="WasmRun"/>).</summary>
internal static class RunSession
{
    /// <summary>Runs <paramref name="settings"/>, printing the report; returns the exit code.</summary>
    public static int Execute(RunSettings settings, TextWriter stdout, TextWriter stderr)
    {
        // Flags first: a usage error should not wait for a build.
        HttpRequest request = settings.Flags.BuildRequest();
        HttpResponse upstream = settings.Flags.BuildResponse();
        byte[] configuration = RequestFlags.Bytes("--config", settings.Config, "--config-file", settings.ConfigFile) ?? [];
        byte[] vmConfiguration = RequestFlags.Bytes("--vm-config", settings.VmConfig, "--vm-config-file", settings.VmConfigFile) ?? [];

        RunOutcome outcome;
        if (WasmRun.Target(settings) is { } wasmPath)
        {
            var options = new HostOptions
            {
                RootId = settings.RootId ?? string.Empty,
                PluginConfiguration = configuration,
                VmConfiguration = vmConfiguration,
                FailOpen = settings.FailOpen,
            };
            outcome = WasmRun.Run(wasmPath, options, request, upstream, settings.Flags.HasResponse);
        }
        else
        {
            if (settings.FailOpen)
            {
                throw CliException.Usage("--fail-open is the failure policy for a failed wasm VM (give a .wasm module); an assembly's is its filter attribute's OnError");
            }

            outcome = RunAssembly(settings, request, upstream, configuration, vmConfiguration, stderr);
        }

        if (settings.Json)
        {
            stdout.WriteLine(Text.Json(RunReport.ToJson(outcome)));
        }
        else
        {
            RunReport.WriteText(outcome, stdout);
        }

        if (!outcome.Accepted)
        {
            stderr.WriteLine($"proxywasm: the plugin was rejected: {outcome.RejectedBecause} (see the log)");
        }
        else if (outcome.VmFailure is { } failure)
        {
            stderr.WriteLine($"proxywasm: warning: the VM failed: {failure.Message}; " + (outcome.FailOpen
                ? "the stream went on without the filter (--fail-open)"
                : "the stream failed closed (local 503)"));
        }

        return outcome.ExitCode;
    }

    private static RunOutcome RunAssembly(RunSettings settings, HttpRequest request, HttpResponse upstream, byte[] configuration, byte[] vmConfiguration, TextWriter stderr)
    {
        FilterTarget target = FilterTargets.Resolve(settings.Filter!, binaries: false, stderr);
        FilterModule module = FilterModule.Load(target.Path);
        if (module.RuntimeMismatch is { } mismatch)
        {
            stderr.WriteLine("proxywasm: warning: " + mismatch);
        }

        FilterInfo filter = module.Select(settings.RootId);
        if (filter.Kind != FilterKind.Http)
        {
            throw CliException.Usage($"root id \"{filter.RootId}\" is a network filter ({TypeNames.Display(filter.Type)}): run sends an HTTP request, so it needs an [HttpFilter] root id");
        }

        var described = new RunModule("assembly", module.Name, module.Path, target.Project, filter.RootId, TypeNames.Display(filter.Type), module.ReferencedRuntime, null);
        var options = new HostOptions { RootId = filter.RootId, PluginConfiguration = configuration, VmConfiguration = vmConfiguration };
        ProxyWasmHost host;
        try
        {
            host = new ProxyWasmHost(module.Assembly, options);
        }
        catch (ArgumentException error)
        {
            throw CliException.Usage(error.Message);
        }
        catch (InvalidOperationException error)
        {
            // An export whose signature is not the ABI's: proxy-wasm-cpp-host refuses such a module too.
            throw CliException.Internal($"{module.Name}'s exports do not match ABI v0.2.1: {error.Message}", error);
        }
        catch (Exception error) when (error is TypeLoadException or MissingMemberException or TargetInvocationException)
        {
            throw Uncontained(module, "loading its exports", error);
        }

        return Drive(host, described, request, upstream, settings.Flags.HasResponse, (during, error) => Uncontained(module, during, error));
    }

    /// <summary>Starts the plugin, sends the request when it was accepted, and disposes the host (completing the
    /// contexts). <paramref name="uncontained"/> turns a failure that escaped the host into the exit-4 error.</summary>
    internal static RunOutcome Drive(ProxyWasmHost host, RunModule module, HttpRequest request, HttpResponse upstream, bool customResponse,
        Func<string, Exception, CliException> uncontained)
    {
        bool completed = false;
        try
        {
            bool accepted;
            List<CallbackRecord> pluginCallbacks;
            HttpExchange? exchange = null;
            try
            {
                accepted = host.StartPlugin();
                pluginCallbacks = host.Callbacks.ToList();
                if (accepted)
                {
                    exchange = host.Send(request, customResponse ? upstream : null);
                }
            }
            catch (Exception error) when (error is not CliException)
            {
                throw uncontained("running the request", error);
            }

            List<LogEntry> logs = host.Logs.ToList();
            completed = true;
            return new RunOutcome(module, host.Exports.Names.ToList(), host.VmStartResult, host.ConfigureResult, accepted,
                pluginCallbacks, request, customResponse ? upstream : HttpResponse.Ok(), exchange, logs, host.VmFailure, host.Options.FailOpen);
        }
        finally
        {
            try
            {
                host.Dispose();
            }
            catch (Exception error) when (completed && error is not CliException)
            {
                // The exchange is complete; a failure while deleting the contexts is still one the host could not contain.
                throw uncontained("deleting its contexts", error);
            }
            catch (Exception) when (!completed)
            {
                // The first failure is the one to report.
            }
        }
    }

    /// <summary>Exit 4: something escaped the glue's and the host's handling (a host limitation, a module built
    /// against another runtime, a broken module).</summary>
    private static CliException Uncontained(FilterModule module, string during, Exception error)
    {
        Exception inner = error is TargetInvocationException { InnerException: { } cause } ? cause : error;
        string message = $"{module.Name} failed while {during}, in a way the host could not contain: {inner.GetType().Name}: {inner.Message}";
        if (inner is TypeLoadException or MissingMemberException or BadImageFormatException && module.RuntimeMismatch is not null)
        {
            message += $" (the filter was built against ProxyWasm.Runtime {module.ReferencedRuntime}, this proxywasm carries {FilterModule.ToolRuntime})";
        }

        return CliException.Internal(message, inner);
    }
}
