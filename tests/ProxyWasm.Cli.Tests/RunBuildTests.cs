using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary><c>proxywasm run</c> on projects, which it builds first; and the README's first command as a process.</summary>
[Collection(BuildCollection.Name)]
public sealed class RunBuildTests
{
    private const string Filter = """
        using ProxyWasm;

        namespace Temporary;

        [HttpFilter("temporary")]
        public partial class TemporaryFilter
        {
            [OnRequestHeaders]
            public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)
            {
                headers.Replace("x-built"u8, "by proxywasm run"u8);
                return FilterHeadersStatus.Continue;
            }
        }
        """;

    [Fact]
    public void A_project_directory_is_built_then_run()
    {
        using var project = new TempProject("Temporary", Filter);

        CliResult result = CliRun.Invoke("run", project.Directory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"proxywasm: building {Path.Combine(project.Directory, "Temporary.csproj")} (dotnet build -c Debug)"], result.ErrorLines);
        Assert.StartsWith("module Temporary, root id \"temporary\"\n", result.Stdout);
        Assert.Contains("+ x-built: by proxywasm run\n", result.Stdout);
        Assert.True(File.Exists(Path.Combine(project.Directory, "bin", "Debug", "net10.0", "Temporary.dll")));

        // The project file itself works too, and a second build is incremental.
        result = CliRun.Invoke("run", Path.Combine(project.Directory, "Temporary.csproj"), "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"name\": \"x-built\"", result.Stdout);
    }

    [Fact]
    public void A_project_that_does_not_build_exits_3_with_the_compiler_errors()
    {
        using var project = new TempProject("Broken", Filter.Replace("return FilterHeadersStatus.Continue;", "return FilterHeadersStatus.Continue", StringComparison.Ordinal));

        CliResult result = CliRun.Invoke("run", project.Directory);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("", result.Stdout);
        string csproj = Path.Combine(project.Directory, "Broken.csproj");
        Assert.Equal($"proxywasm: building {csproj} (dotnet build -c Debug)", result.ErrorLines[0]);
        Assert.Contains(result.ErrorLines, line => line.Contains("Broken.cs(", StringComparison.Ordinal) && line.Contains("error CS1002", StringComparison.Ordinal));
        Assert.Equal($"proxywasm: the build of {csproj} failed (dotnet build exited with 1)", result.ErrorLines[^1]);
        Assert.DoesNotContain(result.ErrorLines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_module_whose_exports_break_the_abi_exits_4_for_run_and_inspect()
    {
        // Written by hand, without the generator: proxy_on_request_headers takes one argument instead of three.
        using var project = new TempProject("BadExports", """
            using System.Runtime.InteropServices;
            using ProxyWasm;

            namespace Temporary
            {
                [HttpFilter("bad_exports")]
                public class BadExportsFilter
                {
                }
            }

            namespace ProxyWasm.Generated
            {
                internal static class ProxyWasmModule
                {
                    [UnmanagedCallersOnly(EntryPoint = "proxy_on_request_headers")]
                    private static uint OnRequestHeaders(uint contextId) => 0;
                }
            }
            """, TempProject.RuntimeOnly);

        const string Message = "proxywasm: BadExports's exports do not match ABI v0.2.1: Bad function signature for: proxy_on_request_headers "
            + "(ProxyWasm.Generated.ProxyWasmModule.OnRequestHeaders); the ABI v0.2.1 signature is "
            + "proxy_on_request_headers(context_id, num_headers, end_of_stream) -> FilterHeadersStatus.";

        CliResult run = CliRun.Invoke("run", project.Directory);
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Equal(Message, run.ErrorLines[^1]);

        CliResult inspect = CliRun.Invoke("inspect", project.Directory);
        Assert.True(inspect.ExitCode == 4, inspect.ToString());
        Assert.Equal(Message, inspect.ErrorLines[^1]);
    }

    [Fact]
    public void Filter_types_without_generated_glue_are_a_usage_error()
    {
        using var project = new TempProject("NoGlue", """
            using ProxyWasm;

            namespace Temporary;

            [HttpFilter("no_glue")]
            public class NoGlueFilter
            {
            }
            """, TempProject.RuntimeOnly);

        CliResult result = CliRun.Invoke("run", project.Directory);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.EndsWith("NoGlue.dll declares filters but has no generated glue (ProxyWasm.Generated.ProxyWasmModule): does the project reference the ProxyWasm.Generators generator?", result.ErrorLines[^1]);
    }

    [Fact]
    public void The_readme_command_builds_the_sample_and_runs_it()
    {
        // README: dotnet run --project src/Cli -- run samples/HelloWorld
        ProcessResult run = ProcessRunner.Run(ProcessRunner.Dotnet(),
            ["run", "--project", "src/Cli", "--disable-build-servers", "--", "run", "samples/HelloWorld"],
            Repo.Root, TimeSpan.FromMinutes(10));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("module HelloWorld, root id \"hello_world\"\n", run.StandardOutput.Replace("\r\n", "\n"));
        Assert.Contains("+ x-hello: Hello world from example.com\n", run.StandardOutput.Replace("\r\n", "\n"));
        Assert.Contains("proxywasm: building", run.StandardError);
    }
}
