namespace ProxyWasm.Cli.Tests.Infrastructure;

/// <summary>What one in-process invocation of the tool printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stderr's lines, without empty ones.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs <c>proxywasm</c> in process through <see cref="ProxyWasm.Cli.Cli.Run"/>.</summary>
internal static class CliRun
{
    public static CliResult Invoke(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = ProxyWasm.Cli.Cli.Run(args, stdout, stderr);
        return new CliResult(exitCode, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
    }

    /// <summary>A path as the tool prints it: relative to the working directory when it is under it.</summary>
    public static string Shown(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
