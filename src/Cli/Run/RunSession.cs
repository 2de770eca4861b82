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
    public required string Filter { get; init; }

    public string? RootId { get; init; }

    public required RequestFlags Flags { get; init; }

    public string? Config { get; init; }

    public string? ConfigFile { get; init; }

    public string? VmConfig { get; init; }

    public string? VmConfigFile { get; init; }

    public bool Json { get; init; }
}

/// <summary>Everything one run produced: the module, the plugin's start, the exchange and the log.</summary>
internal sealed record RunOutcome(
    FilterModule Module,
    FilterInfo Filter,
    string? Project,
    IReadOnlyCollection<string> Exports,
    bool? VmStart,
    bool? Configure,
    bool Accepted,
    IReadOnlyList<CallbackRecord> PluginCallbacks,
    HttpRequest Request,
    HttpResponse UpstreamResponse,
    HttpExchange? Exchange,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>0 done, 1 rejected.</summary>
    public int ExitCode => Accepted ? ExitCodes.Ok : ExitCodes.Rejected;

    /// <summary>Which plugin callback returned false.</summary>
    public string RejectedBy => VmStart == false ? ProxyCallbacks.VmStart.Export : ProxyCallbacks.Configure.Export;
}

/// <summary>Runs one request through a filter assembly in the in-process host.</summary>
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

        FilterTarget target = FilterTargets.Resolve(settings.Filter, binaries: false, stderr);
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

        RunOutcome outcome = Drive(module, filter, target.Project, request, upstream, settings.Flags.HasResponse, configuration, vmConfiguration);
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
            stderr.WriteLine($"proxywasm: the plugin was rejected: {outcome.RejectedBy} returned false (see the log)");
        }

        return outcome.ExitCode;
    }

    private static RunOutcome Drive(FilterModule module, FilterInfo filter, string? project, HttpRequest request, HttpResponse upstream, bool customResponse,
        byte[] configuration, byte[] vmConfiguration)
    {
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
                throw Uncontained(module, "running the request", error);
            }

            List<LogEntry> logs = host.Logs.ToList();
            completed = true;
            return new RunOutcome(module, filter, project, host.Exports.Names.ToList(), host.VmStartResult, host.ConfigureResult, accepted,
                pluginCallbacks, request, customResponse ? upstream : HttpResponse.Ok(), exchange, logs);
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
                throw Uncontained(module, "deleting its contexts", error);
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
