using System;
using System.CommandLine;
using System.Collections.Generic;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.IO;
using System.Linq;
using ProxyWasm.Cli.Commands;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli;

/// <summary>
/// The <c>proxywasm</c> tool: <c>run</c>, <c>inspect</c>, <c>oci</c> and <c>manifests</c> (docs/cli.md). Every command
/// writes to the writers <see cref="Run"/> is given, so tests run the tool in process and read what it printed.
/// </summary>
public static class Cli
{
    /// <summary>The environment variable that makes internal errors (exit 4) print their stack trace.</summary>
    public const string DebugVariable = "PROXYWASM_DEBUG";

    /// <summary>The process entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command, writing its output to <paramref name="stdout"/> and errors
    /// to <paramref name="stderr"/>.
    /// </summary>
    /// <returns>The exit code: 0 done, 1 plugin rejected (or a .wasm module Envoy would not load), 2 usage error, 3 build failed, 4 internal error.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var root = new RootCommand("proxywasm: run, inspect, package and deploy C# Proxy-Wasm filters (docs/cli.md).")
        {
            RunCommand.Create(),
            InspectCommand.Create(),
            OciCommand.Create(),
            ManifestsCommand.Create(),
        };

        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction && parse.Errors.Count > 0)
        {
            // One line, like every other usage error; `--help` shows the options.
            string command = string.Join(' ', CommandPath(parse.CommandResult));
            stderr.WriteLine($"proxywasm: {string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct())} (see '{command} --help')");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (CliException error)
        {
            stderr.WriteLine("proxywasm: " + error.Message);
            if (error.ExitCode == ExitCodes.Internal)
            {
                WriteDebug(error.InnerException ?? error, stderr);
            }

            return error.ExitCode;
        }
        catch (Exception error)
        {
            stderr.WriteLine($"proxywasm: internal error: {error.GetType().Name}: {error.Message}");
            WriteDebug(error, stderr);
            return ExitCodes.Internal;
        }
    }

    /// <summary>The command's full name, <c>proxywasm run</c> (the root command is named after the executable).</summary>
    private static IEnumerable<string> CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult { Command: { } command })
            {
                names.Add(command is RootCommand ? "proxywasm" : command.Name);
            }
        }

        names.Reverse();
        return names;
    }

    private static void WriteDebug(Exception error, TextWriter stderr)
    {
        if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
        {
            stderr.WriteLine(error.ToString());
        }
    }
}
