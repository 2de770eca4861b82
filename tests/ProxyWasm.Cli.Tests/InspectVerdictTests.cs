using System.Text.Json;
using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary><c>proxywasm inspect FILE.wasm</c>: Envoy's verdict from proxy-wasm-cpp-host's load checks (ProxyWasm.Testing's
/// <c>WasmModule.Report</c>, the checks <c>run</c> applies), under the first line, and in the JSON as <c>envoy</c>.
/// A module Envoy would refuse is a result: exit 0.</summary>
public sealed class InspectVerdictTests(WasmModules modules) : IClassFixture<WasmModules>
{
    [SkippableFact]
    public void The_C_hello_filter_would_load()
    {
        string hello = modules.Hello();

        CliResult text = CliRun.Invoke("inspect", hello);
        CliResult json = CliRun.Invoke("inspect", hello, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.StartsWith($"wasm module {hello}\nEnvoy would load this: yes (Proxy-Wasm ABI 0.2.1)\n\nexports (", text.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        JsonElement envoy = document.RootElement.GetProperty("envoy");
        Assert.True(envoy.GetProperty("loadable").GetBoolean());
        Assert.Equal("0.2.1", envoy.GetProperty("abi").GetString());
        Assert.Equal("Envoy would load this: yes (Proxy-Wasm ABI 0.2.1)", envoy.GetProperty("verdict").GetString());
        Assert.Empty(envoy.GetProperty("errors").EnumerateArray());
    }

    [SkippableFact]
    public void WASI_preview_2_imports_would_not_load_and_each_is_named()
    {
        string preview2 = modules.Wat("preview2", Wat.Preview2Imports);

        CliResult text = CliRun.Invoke("inspect", preview2);
        CliResult json = CliRun.Invoke("inspect", preview2, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Equal("", text.Stderr);
        Assert.StartsWith($"""
            wasm module {preview2}
            Envoy would load this: no, because Failed to load Wasm module due to a missing import: wasi:cli/environment@0.2.0.get-environment (and 1 more)
              Failed to load Wasm module due to a missing import: wasi:cli/environment@0.2.0.get-environment
              Failed to load Wasm module due to a missing import: wasi:io/streams@0.2.0.[method]output-stream.blocking-write-and-flush

            exports (4):
            """, text.Stdout);
        // The wasm reader's listing is still there.
        Assert.Contains("imports (2):\n  wasi:cli/environment@0.2.0.get-environment (func (i32))\n", text.Stdout);

        Assert.True(json.ExitCode == 0, json.ToString());
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        JsonElement envoy = document.RootElement.GetProperty("envoy");
        Assert.False(envoy.GetProperty("loadable").GetBoolean());
        Assert.Equal("0.2.1", envoy.GetProperty("abi").GetString());
        Assert.Equal(
            [
                "Failed to load Wasm module due to a missing import: wasi:cli/environment@0.2.0.get-environment",
                "Failed to load Wasm module due to a missing import: wasi:io/streams@0.2.0.[method]output-stream.blocking-write-and-flush",
            ],
            envoy.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, document.RootElement.GetProperty("imports").GetArrayLength());
    }

    [SkippableFact]
    public void An_export_with_the_wrong_signature_is_named_with_both_signatures()
    {
        string module = modules.Wat("bad-signature", """
            (module
              (memory (export "memory") 1)
              (func (export "proxy_abi_version_0_2_0"))
              (func (export "malloc") (param i32) (result i32) (i32.const 0))
              (func (export "proxy_on_request_headers") (param i32 i32) (result i32) (i32.const 0)))
            """);

        CliResult result = CliRun.Invoke("inspect", module);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"""
            wasm module {module}
            Envoy would load this: no, because Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32
              Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32

            """, result.Stdout);
    }

    [SkippableFact]
    public void An_ABI_0_2_0_module_with_malloc_would_load()
    {
        string module = modules.Wat("abi-0-2-0", """
            (module
              (import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "proxy_abi_version_0_2_0"))
              (func (export "malloc") (param i32) (result i32) (i32.const 0))
              (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
            """);

        CliResult result = CliRun.Invoke("inspect", module);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"wasm module {module}\nEnvoy would load this: yes (Proxy-Wasm ABI 0.2.0)\n\n", result.Stdout);
    }
}
