using System.Text.Json;
using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary><c>proxywasm run</c> on <c>.wasm</c> modules, run with Wasmtime through ProxyWasm.Testing: the C hello
/// filter (the same exchange as samples/HelloWorld's assembly), modules that trap, a plugin that needs its
/// configuration, and modules Envoy would not load.</summary>
public sealed class RunWasmTests(WasmModules modules) : IClassFixture<WasmModules>
{
    [SkippableFact]
    public void The_C_hello_filter_prints_the_request_before_and_after_it_as_the_assembly_does()
    {
        string hello = modules.Hello();

        CliResult wasm = CliRun.Invoke("run", hello);
        CliResult assembly = CliRun.Invoke("run", Repo.Sample("HelloWorld"));

        Assert.True(wasm.ExitCode == 0, wasm.ToString());
        Assert.Equal("", wasm.Stderr);
        string[] lines = wasm.Stdout.Split('\n');
        Assert.Equal("wasm module hello.wasm (Proxy-Wasm ABI 0.2.1, run with Wasmtime), root id \"\"", lines[0]);
        Assert.Equal("exports: _initialize, proxy_abi_version_0_2_1, proxy_on_memory_allocate, proxy_on_request_headers", lines[1]);
        Assert.Equal("plugin started: vm_start=not exported, configure=not exported", lines[2]);
        Assert.Contains("""
            request sent upstream (+ added or changed, - removed):
              :method: GET
              :scheme: http
              :authority: example.com
              :path: /get
              user-agent: curl/8.5.0
              accept: */*
              x-request-id: 0b9e911a-26d3-4b4d-9b1d-5f94178e39d0
            + x-hello: Hello world from example.com

            """, wasm.Stdout);

        // From the request on, the .wasm's report is the assembly's: the same callbacks, the same headers, the same log.
        Assert.True(assembly.ExitCode == 0, assembly.ToString());
        Assert.Equal(FromRequest(assembly.Stdout), FromRequest(wasm.Stdout));
    }

    [SkippableFact]
    public void Wasm_option_and_request_flags_work_as_for_an_assembly()
    {
        string hello = modules.Hello();

        CliResult positional = CliRun.Invoke("run", hello, "--authority", "api.example.org", "-H", "x-hello: from the client");
        CliResult option = CliRun.Invoke("run", "--wasm", hello, "--authority", "api.example.org", "-H", "x-hello: from the client");

        Assert.True(positional.ExitCode == 0, positional.ToString());
        Assert.Equal(positional.Stdout, option.Stdout);
        Assert.Contains("+ x-hello: Hello world from api.example.org\n", positional.Stdout);
        Assert.DoesNotContain("  x-hello: from the client\n+", positional.Stdout);
    }

    [SkippableFact]
    public void Wasm_reads_a_module_whatever_its_file_name()
    {
        string blob = modules.File("sha256-layer", File.ReadAllBytes(modules.Hello()));

        CliResult result = CliRun.Invoke("run", "--wasm", blob);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("wasm module sha256-layer (Proxy-Wasm ABI 0.2.1, run with Wasmtime)", result.Stdout);
    }

    [SkippableFact]
    public void Json_describes_the_wasm_module_and_the_exchange()
    {
        string hello = modules.Hello();

        CliResult result = CliRun.Invoke("run", hello, "--json", "--root-id", "my_root");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        JsonElement module = root.GetProperty("module");
        Assert.Equal(("wasm", "hello.wasm", hello, "0.2.1"),
            (module.GetProperty("kind").GetString(), module.GetProperty("name").GetString(), module.GetProperty("path").GetString(), module.GetProperty("abi").GetString()));
        Assert.Equal(JsonValueKind.Null, module.GetProperty("runtime").ValueKind);
        Assert.Equal("my_root", root.GetProperty("rootId").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("filter").ValueKind);
        Assert.Contains("_initialize", root.GetProperty("exports").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("plugin").GetProperty("accepted").GetBoolean());
        // hello.c mirrors HelloWorld's untracked glue: no context create or delete.
        Assert.Equal(["proxy_on_request_headers"],
            root.GetProperty("callbacks").EnumerateArray().Select(c => c.GetProperty("export").GetString()));
        JsonElement added = root.GetProperty("upstream").GetProperty("headers").EnumerateArray().Last();
        Assert.Equal(("x-hello", "Hello world from example.com"), (added.GetProperty("name").GetString(), added.GetProperty("value").GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("vmFailure").ValueKind);
        Assert.False(root.GetProperty("failOpen").GetBoolean());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
    }

    [SkippableFact]
    public void A_trap_fails_the_VM_and_the_stream_fails_closed_with_a_503()
    {
        string trap = modules.Wat("trap", Wat.TrapInRequestHeaders);

        CliResult result = CliRun.Invoke("run", trap);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("""
            callbacks:
              proxy_on_context_create(2) -> void
              proxy_on_request_headers(2) -> StopAllIterationAndWatermark (4)

            vm failed: Function: proxy_on_request_headers failed: wasm trap: wasm `unreachable` instruction executed
              failure policy: fail closed: the stream gets a local 503 (wasm_fail_stream), later streams too

            request sent upstream: none, the VM failed and the host failed the stream closed

            local response from the host (the VM failed, fail closed): 503 (wasm_fail_stream)
            response to the client (+ added or changed by the filter):
              :status: 503

            log:
              [Info] about to trap

            """, result.Stdout);
        Assert.Equal(["proxywasm: warning: the VM failed: Function: proxy_on_request_headers failed: wasm trap: wasm `unreachable` instruction executed; the stream failed closed (local 503)"],
            result.ErrorLines);

        CliResult json = CliRun.Invoke("run", trap, "--json");
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        JsonElement failure = document.RootElement.GetProperty("vmFailure");
        Assert.Equal(("proxy_on_request_headers", "wasm trap: wasm `unreachable` instruction executed"),
            (failure.GetProperty("function").GetString(), failure.GetProperty("reason").GetString()));
        JsonElement local = document.RootElement.GetProperty("localResponse");
        Assert.Equal((503, "wasm_fail_stream", 14),
            (local.GetProperty("status").GetInt32(), local.GetProperty("details").GetString(), local.GetProperty("grpcStatus").GetInt32()));
    }

    [SkippableFact]
    public void Fail_open_lets_the_stream_go_on_without_the_failed_VM()
    {
        string trap = modules.Wat("trap", Wat.TrapInRequestHeaders);

        CliResult result = CliRun.Invoke("run", trap, "--fail-open");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("""
              proxy_on_request_headers(2) -> Continue (0)

            vm failed: Function: proxy_on_request_headers failed: wasm trap: wasm `unreachable` instruction executed
              failure policy: fail open (--fail-open): the stream goes on without the filter, later streams too

            request sent upstream (+ added or changed, - removed):
            """, result.Stdout);
        Assert.Contains("response to the client (+ added or changed by the filter):\n  :status: 200\n", result.Stdout);
        Assert.DoesNotContain("local response", result.Stdout);
        Assert.Equal(["proxywasm: warning: the VM failed: Function: proxy_on_request_headers failed: wasm trap: wasm `unreachable` instruction executed; the stream went on without the filter (--fail-open)"],
            result.ErrorLines);

        using JsonDocument json = JsonDocument.Parse(CliRun.Invoke("run", trap, "--fail-open", "--json").Stdout);
        Assert.True(json.RootElement.GetProperty("failOpen").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("localResponse").ValueKind);
    }

    [SkippableFact]
    public void A_trap_during_start_up_rejects_the_plugin()
    {
        string trap = modules.Wat("trap-initialize", Wat.TrapInInitialize);

        CliResult result = CliRun.Invoke("run", trap);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("the plugin was rejected (the VM failed: Function: _initialize failed: wasm trap: wasm `unreachable` instruction executed): Envoy would not use it, no request was sent", result.Stdout);
        Assert.Equal(["proxywasm: the plugin was rejected: the VM failed: Function: _initialize failed: wasm trap: wasm `unreachable` instruction executed (see the log)"], result.ErrorLines);
    }

    [SkippableFact]
    public void The_plugin_configuration_reaches_proxy_on_configure()
    {
        string module = modules.Wat("needs-configuration", Wat.NeedsConfiguration);

        CliResult rejected = CliRun.Invoke("run", module);
        CliResult accepted = CliRun.Invoke("run", module, "--config", "{}");

        Assert.True(rejected.ExitCode == 1, rejected.ToString());
        Assert.Contains("plugin started: vm_start=not exported, configure=false  (rejected)\n", rejected.Stdout);
        Assert.Equal(["proxywasm: the plugin was rejected: proxy_on_configure returned false (see the log)"], rejected.ErrorLines);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Contains("plugin started: vm_start=not exported, configure=true\n", accepted.Stdout);
    }

    [SkippableFact]
    public void A_module_Envoy_would_not_load_exits_1_with_cpp_hosts_reason()
    {
        string preview2 = modules.Wat("preview2", Wat.Preview2Imports);

        CliResult result = CliRun.Invoke("run", preview2, "-H", "x-a: b");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal([$"proxywasm: Envoy would not load {preview2}: Failed to load Wasm module due to a missing import: wasi:cli/environment@0.2.0.get-environment (and 1 more: 'proxywasm inspect {preview2}' lists them)"],
            result.ErrorLines);
    }

    [Fact]
    public void A_module_without_callbacks_passes_the_request_on_as_cpp_host_would()
    {
        // Every proxy_on_* is optional in cpp-host, proxy_on_context_create included.
        string module = modules.File("minimal.wasm", WasmModules.Minimal);

        CliResult result = CliRun.Invoke("run", module);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        Assert.StartsWith("""
            wasm module minimal.wasm (Proxy-Wasm ABI 0.2.1, run with Wasmtime), root id ""
            exports: proxy_abi_version_0_2_1, proxy_on_memory_allocate
            plugin started: vm_start=not exported, configure=not exported

            """, result.Stdout);
        Assert.Contains("\ncallbacks: (none)\n\nrequest sent upstream (+ added or changed, - removed):\n", result.Stdout);
        Assert.Contains("response to the client (+ added or changed by the filter):\n  :status: 200\n", result.Stdout);
    }

    [Fact]
    public void A_file_that_is_not_wasm_exits_1_as_Envoy_would_not_load_it()
    {
        string text = modules.File("not-a-module.wasm", "hello"u8.ToArray());

        CliResult result = CliRun.Invoke("run", text);

        Assert.True(result.ExitCode == 1, result.ToString());
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"proxywasm: Envoy would not load {text}: Failed to load Wasm module: ", line);
    }

    /// <summary>The report from "request from the client:" on (the lines before name the module and its exports).</summary>
    private static string FromRequest(string report) => report[report.IndexOf("request from the client:", StringComparison.Ordinal)..];
}
