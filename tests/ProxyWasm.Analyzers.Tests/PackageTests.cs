using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ProxyWasm.Analyzers.Tests.Harness;
using Xunit;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>The one ProxyWasm.Runtime package reference brings the generator, the analyzers and the code fixes.</summary>
public class PackageTests
{
    [Fact]
    public async System.Threading.Tasks.Task Runtime_package_carries_generator_analyzers_and_code_fixes()
    {
        string root = AnalyzerHarness.RepoRoot();
        string work = Path.Combine(Path.GetTempPath(), "pxw-analyzers-pack-test");
        string output = Path.Combine(work, "out");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "pack", Path.Combine("src", "Runtime", "ProxyWasm.Runtime.csproj"), "-o", output,
                     "--artifacts-path", Path.Combine(work, "artifacts"), "-nologo", "-p:ContinuousIntegrationBuild=false" })
        {
            start.ArgumentList.Add(arg);
        }

        // The test host's MSBuild variables would point the child build at the running SDK's internals.
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
        {
            start.Environment.Remove(name);
        }

        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(8)), "dotnet pack timed out");
        string stdoutText = await stdout;
        Assert.True(process.ExitCode == 0, $"dotnet pack failed ({process.ExitCode}):\n{stdoutText}\n{stderr}");

        string package = Assert.Single(Directory.GetFiles(output, "ProxyWasm.Runtime.*.nupkg"));
        using ZipArchive zip = ZipFile.OpenRead(package);
        string[] analyzers = zip.Entries.Select(e => e.FullName).Where(n => n.StartsWith("analyzers/", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "analyzers/dotnet/cs/ProxyWasm.Analyzers.dll",
            "analyzers/dotnet/cs/ProxyWasm.CodeFixes.dll",
            "analyzers/dotnet/cs/ProxyWasm.Generators.dll",
        }, analyzers);
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/ProxyWasm.Runtime.dll");

        // Build-order references only: the package depends on nothing of ours.
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string manifest = nuspec.ReadToEnd();
        Assert.DoesNotContain("ProxyWasm.Analyzers", manifest);
        Assert.DoesNotContain("ProxyWasm.CodeFixes", manifest);
    }
}
