using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// REAL BUILD: runs <c>dotnet build</c> on a generated filter project (about 30 s or more: it builds the runtime, the
/// generator and the analyzers into a temporary artifacts folder). Filter with
/// <c>dotnet test --filter Category!=RealBuild</c> to skip it.
/// </summary>
[Trait("Category", "RealBuild")]
public sealed class RealBuildTests
{
    [Fact]
    public async Task Real_dotnet_build_reports_PXW0001_for_a_filter_that_is_not_partial()
    {
        (int exitCode, string output) = await BuildFilterAsync("NotPartialFilter", """
            using ProxyWasm;

            namespace RealBuild;

            [HttpFilter("not_partial")]
            public class NotPartialFilter
            {
                [OnRequestHeaders]
                public FilterHeadersStatus Headers() => FilterHeadersStatus.Continue;
            }
            """);

        Assert.True(exitCode != 0, "dotnet build succeeded although the filter is not partial:\n" + output);
        Assert.Contains("error PXW0001", output);
        Assert.Contains("'NotPartialFilter' must be partial for the generator to add its glue: declare it 'public partial class NotPartialFilter'", output);
    }

    /// <summary>Issue "Analyzers": a hook that concatenates strings, uses LINQ, captures a lambda, calls HttpClient and
    /// starts a Task shows each as a diagnostic with its ID in the build output, naming the hook.</summary>
    [Fact]
    public async Task Real_dotnet_build_reports_hot_path_and_sandbox_rules_in_a_hook()
    {
        (int exitCode, string output) = await BuildFilterAsync("CarelessFilter", """
            using System;
            using System.Linq;
            using System.Net.Http;
            using System.Threading.Tasks;
            using ProxyWasm;

            namespace RealBuild;

            [HttpFilter("careless")]
            public partial class CarelessFilter
            {
                [OnRequestHeaders]
                public FilterHeadersStatus Headers(RequestHeaders headers, int count)
                {
                    string greeting = "Hello " + count.ToString();
                    int[] sizes = { 1, 2, count };
                    int total = sizes.Where(s => s > 1).Sum();
                    Func<int> capture = () => count + total;
                    Task.Run(static () => new HttpClient().GetAsync("http://example.com"));
                    return greeting.Length + capture() > 0 ? FilterHeadersStatus.Continue : FilterHeadersStatus.StopIteration;
                }
            }
            """);

        Assert.True(exitCode != 0, "dotnet build succeeded although the hook uses HttpClient and Task.Run:\n" + output);
        Assert.Contains("warning PXW1010: String concatenation allocates a new string in OnRequestHeaders", output);
        Assert.Contains("warning PXW1016: LINQ 'Where' allocates", output);
        Assert.Contains("warning PXW1016: LINQ 'Sum' allocates", output);
        Assert.Contains("warning PXW1006: Lambda captures", output);
        Assert.Contains("error PXW2003: 'new HttpClient' opens network connections", output);
        Assert.Contains("error PXW2001: 'Task.Run' runs work on another thread", output);
    }

    /// <summary>Issue "Callouts": a filter that pauses a stream nothing resumes shows PXW0016 in a real build, from the
    /// analyzer the runtime package carries next to the generator.</summary>
    [Fact]
    public async Task Real_dotnet_build_warns_about_a_paused_stream_nothing_resumes()
    {
        (int exitCode, string output) = await BuildFilterAsync("HangingFilter", """
            using ProxyWasm;

            namespace RealBuild;

            [HttpFilter("hanging")]
            public partial class HangingFilter
            {
                [OnRequestHeaders]
                public FilterHeadersStatus Headers()
                {
                    HttpCall.Dispatch("auth"u8, "GET"u8, "/check"u8, "auth.local"u8, 500, out _);
                    return FilterHeadersStatus.StopIteration;
                }
            }
            """);

        Assert.True(exitCode == 0, "the build failed:\n" + output);
        Assert.Contains("warning PXW0016: 'Headers' returns FilterHeadersStatus.StopIteration, but nothing in 'HangingFilter' or its plugin resumes", output);
    }

    private static async Task<(int ExitCode, string Output)> BuildFilterAsync(string name, string source)
    {
        string root = Path.Combine(Path.GetTempPath(), "pxw-realbuild-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            string props = Path.Combine(TestPaths.RepoRoot, "build", "ProxyWasm.Filter.props");
            string project = Path.Combine(root, name + ".csproj");
            File.WriteAllText(project, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                  </PropertyGroup>
                  <Import Project="{props}" />
                </Project>
                """);
            File.WriteAllText(Path.Combine(root, name + ".cs"), source);

            return await RunAsync(
                DotNet(),
                $"build \"{project}\" --artifacts-path \"{Path.Combine(root, "artifacts")}\" --disable-build-servers -nologo -p:TreatWarningsAsErrors=false",
                root,
                TimeSpan.FromMinutes(8));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not a test failure.
            }
        }
    }

    private static string DotNet()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The test runs inside `dotnet test`; its MSBuild settings must not leak into the child build.
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + fileName);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(timeout)) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
