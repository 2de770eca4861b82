using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary>Runs a command of the tool in process, with its output captured.</summary>
internal static class CommandRun
{
    public static (int Exit, string Out, string Err) Run(Command command, params string[] args)
    {
        var root = new RootCommand("test") { command };
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = root.Parse([command.Name, .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}

/// <summary>An external program the tests check the output with (skopeo, umoci, wat2wasm).</summary>
internal static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Skips the test, saying what to install, when <paramref name="name"/> is not on PATH.</summary>
    public static string Require(string name)
    {
        string? path = Find(name);
        Skip.If(path is null, $"{name} is not installed (not on PATH): apt-get install {name} (.ci/run installs it when run as root)");
        return path!;
    }

    /// <summary>Runs the program and returns its exit code and output.</summary>
    public static (int Exit, string Out, string Err) Run(string path, params string[] args)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{path} {string.Join(' ', args)} did not finish in 120 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The version line of a tool, for messages.</summary>
    public static string Version(string path) => Run(path, "--version").Out.Trim();
}

/// <summary>A temporary directory, deleted when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "proxywasm-cli-" + Guid.NewGuid().ToString("N"));

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Wasm modules to package.</summary>
internal static class TestModules
{
    /// <summary>The smallest valid module: magic and version.</summary>
    public static byte[] Empty => [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>
    /// A module with one function exported as <c>proxy_abi_version_0_2_1</c> (as the generated glue exports it):
    /// type, function, export and code sections, written by hand.
    /// </summary>
    public static byte[] WithAbiExport
    {
        get
        {
            byte[] name = "proxy_abi_version_0_2_1"u8.ToArray();
            var bytes = new List<byte>(Empty);
            bytes.AddRange([0x01, 0x04, 0x01, 0x60, 0x00, 0x00]); // type section: () -> ()
            bytes.AddRange([0x03, 0x02, 0x01, 0x00]); // function section: one function of type 0
            bytes.AddRange([0x07, (byte)(name.Length + 4), 0x01, (byte)name.Length]);
            bytes.AddRange(name);
            bytes.AddRange([0x00, 0x00]); // export kind func, index 0
            bytes.AddRange([0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B]); // code section: one empty body
            return bytes.ToArray();
        }
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
