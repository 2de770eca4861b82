using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary>Every usage error of <c>proxywasm run</c>: exit 2, one <c>proxywasm: ...</c> line on stderr, nothing on
/// stdout, no stack trace.</summary>
public sealed class RunUsageErrorTests
{
    public static TheoryData<string[], string> Cases()
    {
        string hello = Repo.Sample("HelloWorld");
        string queue = Repo.Sample("SharedQueue");
        string missing = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-missing-" + Guid.NewGuid().ToString("N"));
        return new TheoryData<string[], string>
        {
            { ["run", hello, "--no-such-flag"], "proxywasm: Unrecognized command or argument '--no-such-flag' (see 'proxywasm run --help')" },
            { ["run", hello, "--root-id"], "proxywasm: Required argument missing for option: '--root-id' (see 'proxywasm run --help')" },
            { ["run", hello, "-H", "foo"], "proxywasm: -H 'foo' is not 'name: value'" },
            { ["run", hello, "-H", ": value"], "proxywasm: -H ': value' is not 'name: value'" },
            { ["run", hello, "-H", "two words: value"], "proxywasm: -H 'two words: value' is not 'name: value'" },
            { ["run", hello, "--response-header", "nocolon"], "proxywasm: --response-header 'nocolon' is not 'name: value'" },
            { ["run", hello, "--response-status", "abc"], "proxywasm: --response-status 'abc' is not an HTTP status (100-999)" },
            { ["run", hello, "--response-status", "42"], "proxywasm: --response-status '42' is not an HTTP status (100-999)" },
            { ["run", hello, "-X", "GET POST"], "proxywasm: -X/--method 'GET POST' is empty or has spaces" },
            { ["run", hello, "-d", "a", "--data-file", missing], "proxywasm: -d/--data and --data-file both give the same thing: use one" },
            { ["run", hello, "--config", "a", "--config-file", missing], "proxywasm: --config and --config-file both give the same thing: use one" },
            { ["run", hello, "--data-file", missing], $"proxywasm: --data-file {missing}: no such file" },
            { ["run", hello, "--config-file", missing], $"proxywasm: --config-file {missing}: no such file" },
            { ["run", hello, "--vm-config-file", missing], $"proxywasm: --vm-config-file {missing}: no such file" },
            { ["run", missing + ".dll"], $"proxywasm: {missing}.dll: no such file or directory" },
            { ["run", hello, "--root-id", "nope"], "proxywasm: HelloWorld has no filter with root id \"nope\" (its root ids: \"hello_world\")" },
            { ["run", queue], "proxywasm: SharedQueue has 3 root ids (\"receiver\", \"sender\", \"sender_tcp\"): choose one with --root-id" },
            { ["run", queue, "--root-id", "sender_tcp"], "proxywasm: root id \"sender_tcp\" is a network filter (ProxyWasm.Samples.TcpSender): run sends an HTTP request, so it needs an [HttpFilter] root id" },
            { ["run", Path.ChangeExtension(hello, ".deps.json")], $"proxywasm: {Path.ChangeExtension(hello, ".deps.json")} is not a filter assembly (.dll), a project (.csproj, or a directory holding one) or a wasm module (.wasm)" },
            { ["run"], "proxywasm: no filter: give a filter assembly (.dll), a project, or a wasm module (.wasm, or --wasm FILE)" },
            { ["run", hello, "--wasm", missing + ".wasm"], $"proxywasm: give the filter ({hello}) or --wasm {missing}.wasm, not both" },
            { ["run", "--wasm", missing + ".wasm"], $"proxywasm: --wasm {missing}.wasm: no such file or directory" },
            { ["run", "--wasm", Path.GetTempPath()], $"proxywasm: --wasm {Path.GetTempPath()} is a directory, not a wasm module" },
            { ["run", missing + ".wasm"], $"proxywasm: {missing}.wasm: no such file or directory" },
            { ["run", hello, "--fail-open"], "proxywasm: --fail-open is the failure policy for a failed wasm VM (give a .wasm module); an assembly's is its filter attribute's OnError" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exits_2_with_one_line(string[] args, string message)
    {
        CliResult result = CliRun.Invoke(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal([message], result.ErrorLines);
    }

    [Fact]
    public void A_native_module_is_for_inspect()
    {
        string so = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-" + Guid.NewGuid().ToString("N") + ".so");
        File.WriteAllBytes(so, [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        try
        {
            CliResult result = CliRun.Invoke("run", so);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Equal([$"proxywasm: {so} is a built module: run needs the filter assembly (.dll), its project or its .wasm module ('proxywasm inspect' reads .so files)"], result.ErrorLines);
        }
        finally
        {
            File.Delete(so);
        }
    }

    [Fact]
    public void An_assembly_without_filters_is_a_usage_error()
    {
        // xunit's own assembly: a .NET assembly that does not reference ProxyWasm.Runtime.
        string xunit = typeof(Assert).Assembly.Location;
        CliResult result = CliRun.Invoke("run", xunit);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal([$"proxywasm: {CliRun.Shown(xunit)} has no Proxy-Wasm filter: it does not reference ProxyWasm.Runtime"], result.ErrorLines);
    }

    [Fact]
    public void An_assembly_that_references_the_runtime_but_declares_no_filter_is_a_usage_error()
    {
        // ProxyWasm.Testing references ProxyWasm.Runtime and declares no filter.
        string testing = typeof(ProxyWasm.Testing.ProxyWasmHost).Assembly.Location;
        CliResult result = CliRun.Invoke("run", testing);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal([$"proxywasm: {CliRun.Shown(testing)} has no Proxy-Wasm filter: no [HttpFilter] or [NetworkFilter] type"], result.ErrorLines);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_a_usage_error()
    {
        string fake = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-" + Guid.NewGuid().ToString("N") + ".dll");
        File.WriteAllText(fake, "not a PE file");
        try
        {
            CliResult result = CliRun.Invoke("run", fake);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Equal([$"proxywasm: {fake} is not a .NET assembly"], result.ErrorLines);
        }
        finally
        {
            File.Delete(fake);
        }
    }

    [Fact]
    public void A_directory_without_a_project_is_a_usage_error()
    {
        string directory = Directory.CreateTempSubdirectory("proxywasm-cli-tests-").FullName;
        try
        {
            CliResult result = CliRun.Invoke("run", directory);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Equal([$"proxywasm: {directory} is a directory without a project file (.csproj): give a project or a filter assembly (.dll)"], result.ErrorLines);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        CliResult result = CliRun.Invoke();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(["proxywasm: Required command was not provided (see 'proxywasm --help')"], result.ErrorLines);
    }

    [Fact]
    public void Help_lists_every_option_and_exits_0()
    {
        CliResult result = CliRun.Invoke("run", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string option in new[] { "--root-id", "-H, --header", "-X, --method", "--path", "--authority", "--scheme", "-d, --data", "--data-file",
            "--response-status", "--response-header", "--response-body", "--config", "--config-file", "--vm-config", "--vm-config-file", "--json" })
        {
            Assert.Contains(option, result.Stdout);
        }
    }

    [Fact]
    public void A_filter_built_against_another_runtime_gets_a_clear_warning()
    {
        Assert.Null(ProxyWasm.Cli.Loading.FilterModule.DescribeMismatch("HelloWorld", new Version(0, 1, 0, 0), new Version(0, 1, 0, 0)));
        Assert.Null(ProxyWasm.Cli.Loading.FilterModule.DescribeMismatch("HelloWorld", null, new Version(0, 1, 0, 0)));
        Assert.Equal(
            "HelloWorld was built against ProxyWasm.Runtime 0.2.0.0, but this proxywasm carries ProxyWasm.Runtime 0.1.0.0 and runs the filter on it "
            + "(the host and the filter must share one runtime); use the proxywasm version that matches the filter's ProxyWasm.Runtime package",
            ProxyWasm.Cli.Loading.FilterModule.DescribeMismatch("HelloWorld", new Version(0, 2, 0, 0), new Version(0, 1, 0, 0)));
    }
}
