using System.Diagnostics;
using System.Text;

namespace ProxyWasm.Cli.Tests.Infrastructure;

/// <summary>The output of a finished process.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"`{Command}` exited with {ExitCode}.\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs external tools (dotnet, wat2wasm) to completion.</summary>
internal static class Processes
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>The dotnet running this build (DOTNET_HOST_PATH), else dotnet on PATH.</summary>
    public static string Dotnet()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host : Find("dotnet") ?? "dotnet";

    /// <summary>Runs a process, killing it (and only its own tree) after <paramref name="timeout"/>. MSBuild settings
    /// of the test host's environment are removed, so nested builds resolve their SDK afresh.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repo.Root,
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
        string command = fileName + " " + string.Join(' ', start.ArgumentList.Select(a => a.Contains(' ') ? $"'{a}'" : a));
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + command);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{command}` did not finish within {timeout}.\n{stdout.Result}\n{stderr.Result}");
        }

        process.WaitForExit();
        return new ProcessResult(command, process.ExitCode, stdout.Result, stderr.Result);
    }
}
