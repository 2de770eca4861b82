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
            ProcessResult publish = Processes.Run(Processes.Dotnet(),
                ["publish", Repo.SampleDirectory("HelloWorld"), "-c", "Release", "-r", "linux-x64", "--artifacts-path", artifacts, "--disable-build-servers", "-nologo"],
                TimeSpan.FromMinutes(15));
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
            if (Processes.Find("nm") is { } nm)
            {
                Assert.Equal(InspectTests.HelloWorldExports, Nm(nm, "--defined-only", library));
                Assert.Equal(InspectTests.HelloWorldHostFunctions, Nm(nm, "--undefined-only", library));
            }

            CliResult text = CliRun.Invoke("inspect", library);
            Assert.True(text.ExitCode == 0, text.ToString());
            Assert.StartsWith($"native module {library} (ELF shared library, dynamic symbols)\n\nexports (5):\n", text.Stdout);
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
            using ProxyWasm;

            namespace Temporary;

            [HttpFilter("inspected", OnError = FailurePolicy.FailOpen)]
            public partial class InspectedFilter
            {
                [OnResponseHeaders]
                public void OnResponseHeaders(ResponseHeaders headers) => headers.Remove("server"u8);
            }
            """);

        CliResult result = CliRun.Invoke("inspect", project.Directory, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"proxywasm: building {Path.Combine(project.Directory, "Inspected.csproj")} (dotnet build -c Debug)"], result.ErrorLines);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement filter = Assert.Single(json.RootElement.GetProperty("filters").EnumerateArray());
        Assert.Equal("inspected", filter.GetProperty("rootId").GetString());
        Assert.Equal("FailOpen", filter.GetProperty("onError").GetString());
        Assert.Equal("proxy_on_response_headers", Assert.Single(filter.GetProperty("hooks").EnumerateArray()).GetProperty("export").GetString());
        Assert.Contains("proxy_remove_header_map_value", InspectTests.Strings(json.RootElement.GetProperty("hostFunctions")));
        Assert.Equal(Path.Combine(project.Directory, "Inspected.csproj"), json.RootElement.GetProperty("project").GetString());
    }

    private static string[] Nm(string nm, string which, string library)
    {
        ProcessResult run = Processes.Run(nm, ["-D", which, library], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
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

        string output = publish.Stdout + "\n" + publish.Stderr;
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
