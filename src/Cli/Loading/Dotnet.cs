using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Loading;

/// <summary>What a finished process wrote and returned.</summary>
internal sealed record ProcessOutput(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Finds the <c>dotnet</c> executable and runs it.</summary>
internal static class Dotnet
{
    /// <summary>The dotnet host: DOTNET_HOST_PATH, this process when it is dotnet, DOTNET_ROOT, then PATH.</summary>
    public static string Executable()
    {
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.ProcessPath is { } self && string.Equals(Path.GetFileName(self), name, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, name)))
        {
            return Path.Combine(root, name);
        }

        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CliException(ExitCodes.BuildFailed, "building a project needs the .NET SDK, and dotnet was not found (DOTNET_HOST_PATH, DOTNET_ROOT, PATH)");
    }

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, capturing its output.
    /// MSBuild settings a parent build may have exported are removed, so the nested build resolves its SDK afresh.
    /// </summary>
    public static ProcessOutput Run(IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using Process process = Process.Start(start) ?? throw CliException.Internal("could not start " + start.FileName);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ProcessOutput(process.ExitCode, stdout.Result, stderr.Result);
    }
}
