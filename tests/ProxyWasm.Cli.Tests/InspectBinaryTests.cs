using System.Text.Json;
using System.Text.RegularExpressions;
using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary><c>proxywasm inspect</c> on what a build produces: the NativeAOT shared library of HelloWorld (published
/// here with the documented command into a temporary folder) and a project directory, which inspect builds.</summary>
[Collection(BuildCollection.Name)]
public sealed class InspectBinaryTests
{
    [SkippableFact]
    public void The_published_HelloWorld_so_exports_the_callbacks_and_imports_the_host_functions_the_IL_walk_found()
    {
        string artifacts = Directory.CreateTempSubdirectory("proxywasm-cli-tests-publish-").FullName;
        try
        {
            // dotnet publish samples/HelloWorld -c Release -r linux-x64 (docs/native.md), outside the source tree.
            ProcessResult publish = ProcessRunner.Run(ProcessRunner.Dotnet(),
                ["publish", Repo.SampleDirectory("HelloWorld"), "-c", "Release", "-r", "linux-x64", "--artifacts-path", artifacts, "--disable-build-servers", "-nologo"],
                Repo.Root, TimeSpan.FromMinutes(15));
            SkipIfNoToolchain(publish);
            Assert.True(publish.ExitCode == 0, publish.ToString());
            string library = Directory.GetFiles(Path.Combine(artifacts, "publish"), "HelloWorld.so", SearchOption.AllDirectories).Single();

            CliResult result = CliRun.Invoke("inspect", library, "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            using JsonDocument json = JsonDocument.Parse(result.Stdout);
            JsonElement root = json.RootElement;
            Assert.Equal("native", root.GetProperty("kind").GetString());
            Assert.Equal(InspectTests.HelloWorldExports, InspectTests.Strings(root.GetProperty("exports")));
            Assert.Equal(InspectTests.HelloWorldHostFunctions, InspectTests.Strings(root.GetProperty("imports")));
            Assert.Empty(root.GetProperty("otherExports").EnumerateArray());

            // The reader agrees with binutils, when it is here.
            if (ProcessRunner.Find("nm") is { } nm)
            {
                Assert.Equal(InspectTests.HelloWorldExports, Nm(nm, "--defined-only", library));
                Assert.Equal(InspectTests.HelloWorldHostFunctions, Nm(nm, "--undefined-only", library));
            }

            CliResult text = CliRun.Invoke("inspect", library);
            Assert.True(text.ExitCode == 0, text.ToString());
            Assert.StartsWith($"native module {library} (ELF shared library, dynamic symbols)\n\nexports (3):\n", text.Stdout);
            Assert.Contains("imports: undefined host functions (6):\n  proxy_close_stream\n", text.Stdout);
            Assert.EndsWith("other exports: (none)\n", text.Stdout);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    [Fact]
    public void A_project_directory_is_built_then_inspected()
    {
        using var project = new TempProject("Inspected", """
            using System;
            using System.Text.Json.Serialization;
            using ProxyWasm;

            namespace Temporary;

            [HttpFilter("inspected", Plugin = typeof(InspectedPlugin), OnError = FailurePolicy.FailOpen)]
            public partial class InspectedFilter
            {
                [OnResponseHeaders]
                public void OnResponseHeaders(ResponseHeaders headers) => headers.Remove("server"u8);
            }

            public sealed class InspectedPlugin
            {
                [OnVmStart]
                public bool Start(ReadOnlySpan<byte> vm) => vm.Length < 100;

                [OnConfigure]
                public bool Configure(InspectedSettings settings) => settings.Limit > 0;
            }

            public sealed class InspectedSettings
            {
                public int Limit { get; set; } = 1;
            }

            [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
            [JsonSerializable(typeof(InspectedSettings))]
            internal sealed partial class InspectedJson : JsonSerializerContext;
            """);

        CliResult result = CliRun.Invoke("inspect", project.Directory, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"proxywasm: building {Path.Combine(project.Directory, "Inspected.csproj")} (dotnet build -c Debug)"], result.ErrorLines);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement filter = Assert.Single(json.RootElement.GetProperty("filters").EnumerateArray());
        Assert.Equal("inspected", filter.GetProperty("rootId").GetString());
        Assert.Equal("FailOpen", filter.GetProperty("onError").GetString());
        Assert.Equal("Temporary.InspectedPlugin", filter.GetProperty("plugin").GetString());
        Assert.Equal("Temporary.InspectedSettings", filter.GetProperty("configuration").GetString());
        Assert.Equal("ReadOnlySpan<byte>", filter.GetProperty("vmConfiguration").GetString());
        Assert.Equal(
            ["InspectedFilter.OnResponseHeaders -> proxy_on_response_headers", "InspectedPlugin.Start -> proxy_on_vm_start", "InspectedPlugin.Configure -> proxy_on_configure"],
            filter.GetProperty("hooks").EnumerateArray().Select(h => $"{h.GetProperty("type").GetString()!["Temporary.".Length..]}.{h.GetProperty("method").GetString()} -> {h.GetProperty("export").GetString()}").ToArray());
        Assert.Contains("proxy_remove_header_map_value", InspectTests.Strings(json.RootElement.GetProperty("hostFunctions")));
        Assert.Equal(Path.Combine(project.Directory, "Inspected.csproj"), json.RootElement.GetProperty("project").GetString());

        // The same project runs (built already: the second build is incremental); its typed configuration is checked.
        CliResult accepted = CliRun.Invoke("run", project.Directory, "--config", """{"limit": 3}""", "--response-header", "server: upstream");
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Contains("plugin started: vm_start=true, configure=true\n", accepted.Stdout);
        Assert.Contains("- server: upstream\n", accepted.Stdout);

        CliResult rejected = CliRun.Invoke("run", project.Directory, "--config", """{"limit": 0}""");
        Assert.True(rejected.ExitCode == 1, rejected.ToString());
        Assert.Equal("proxywasm: the plugin was rejected: proxy_on_configure returned false (see the log)", rejected.ErrorLines[^1]);
    }

    private static string[] Nm(string nm, string which, string library)
    {
        ProcessResult run = ProcessRunner.Run(nm, ["-D", which, library], Repo.Root, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split(' ').Last().Split('@')[0])
            .Where(name => name.StartsWith("proxy_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>NativeAOT needs its compiler package (runtime.linux-x64.Microsoft.DotNet.ILCompiler, from the registry)
    /// and a C toolchain (clang or gcc, objcopy); without them the .so cannot be made here.</summary>
    private static void SkipIfNoToolchain(ProcessResult publish)
    {
        if (publish.ExitCode == 0)
        {
            return;
        }

        string output = publish.StandardOutput + "\n" + publish.StandardError;
        string[] reasons = output.Split('\n')
            .Where(line => (Regex.IsMatch(line, @"error NU1(10[0-3]|301)\b") && line.Contains("ILCompiler", StringComparison.OrdinalIgnoreCase))
                || line.Contains("Platform linker (", StringComparison.Ordinal)
                || line.Contains("Requested linker (", StringComparison.Ordinal)
                || line.Contains("Symbol stripping tool", StringComparison.Ordinal))
            .Select(line => line.Trim())
            .Distinct()
            .ToArray();
        Skip.If(reasons.Length > 0,
            "dotnet publish samples/HelloWorld -c Release -r linux-x64 cannot build the NativeAOT library here (no ILCompiler package or no C toolchain):\n" + string.Join("\n", reasons));
    }
}
