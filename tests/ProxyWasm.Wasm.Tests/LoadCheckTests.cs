using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>proxy-wasm-cpp-host's load checks on the compiled test modules, with its messages.</summary>
public sealed class LoadCheckTests
{
    [SkippableTheory]
    [InlineData("hello")]
    [InlineData("header_authorization")]
    [InlineData("add_header")]
    [InlineData("response_header")]
    [InlineData("hostcalls")]
    [InlineData("restricted_allocator")]
    [InlineData("restricted_start")]
    [InlineData("trap")]
    [InlineData("loop")]
    [InlineData("malloc_export")]
    [InlineData("stdio")]
    [InlineData("tcp")]
    [InlineData("tick")]
    [InlineData("properties")]
    [InlineData("body")]
    [InlineData("callout")]
    public void Well_formed_modules_pass_every_check(string name)
    {
        WasmLoadReport report = TestModules.Module(name).Report;

        Assert.True(report.Loadable, string.Join("\n", report.Errors));
        Assert.Equal("0.2.1", report.AbiVersion);
        Assert.Equal("Envoy would load this: yes (Proxy-Wasm ABI 0.2.1)", report.Verdict);
    }

    [SkippableFact]
    public void A_wasi_command_runs_start_which_runs_main()
    {
        using ProxyWasmHost host = TestModules.Host("command_main");

        Assert.Null(host.VmFailure);
        Assert.True(host.Exports.Has("_start"));
        Assert.False(host.Exports.Has("_initialize"));
        Assert.Equal([new LogEntry(LogLevel.Info, "main: started")], host.Logs);
        Assert.Equal("yes", host.Send(Requests.Get()).Upstream!.Headers.Get("x-main-ran"));
    }

    [SkippableFact]
    public void A_wasi_preview_2_import_fails_the_load_naming_it()
    {
        WasmLoadReport report = TestModules.Module("wasip2").Report;

        Assert.False(report.Loadable);
        Assert.Equal(["Failed to load Wasm module due to a missing import: wasi:cli/environment@0.2.0.get-environment"], report.Errors);
        Assert.Equal("Envoy would load this: no, because Failed to load Wasm module due to a missing import: wasi:cli/environment@0.2.0.get-environment", report.Verdict);

        WasmLoadException refused = Assert.Throws<WasmLoadException>(() => ProxyWasmHost.LoadWasm(TestModules.PathOf("wasip2")));
        Assert.Contains("wasi:cli/environment@0.2.0.get-environment", refused.Message);
        Assert.Equal(report.Errors, refused.Report.Errors);
    }

    [SkippableFact]
    public void An_import_with_the_wrong_signature_and_an_unknown_import_are_both_named()
    {
        WasmLoadReport report = TestModules.Module("bad_import").Report;

        Assert.Equal(
            [
                "Failed to load Wasm module due to an import type mismatch: env.proxy_log, want: i32 i32 -> i32, but host exports: i32 i32 i32 -> i32",
                "Failed to load Wasm module due to a missing import: env.proxy_no_such_function",
            ],
            report.Errors);
        Assert.EndsWith("(and 1 more)", report.Verdict);
    }

    [SkippableFact]
    public void A_module_without_an_allocator_is_refused()
    {
        WasmLoadReport report = TestModules.Module("no_allocator").Report;

        Assert.Equal(["Wasm module is missing malloc function."], report.Errors);
        Assert.Throws<WasmLoadException>(() => TestModules.Host("no_allocator"));
    }

    [SkippableFact]
    public void An_export_with_the_wrong_signature_is_refused()
    {
        WasmLoadReport report = TestModules.Module("bad_signature").Report;

        Assert.Equal(["Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32"], report.Errors);
    }

    [SkippableFact]
    public void A_module_without_the_abi_marker_is_refused()
    {
        WasmLoadReport report = TestModules.Module("no_abi").Report;

        Assert.Null(report.AbiVersion);
        Assert.Equal(["Missing or unknown Proxy-Wasm ABI version"], report.Errors);
        WasmLoadException refused = Assert.Throws<WasmLoadException>(() => TestModules.Host("no_abi"));
        Assert.Equal("Envoy would load this: no, because Missing or unknown Proxy-Wasm ABI version", refused.Message);
    }

    [SkippableFact]
    public void An_abi_0_2_0_module_may_not_import_what_0_2_1_added()
    {
        WasmLoadReport report = TestModules.Module("abi_0_2_0").Report;

        Assert.Equal("0.2.0", report.AbiVersion);
        Assert.Equal(["Failed to load Wasm module due to a missing import: env.proxy_get_log_level"], report.Errors);
    }

    [SkippableFact]
    public void An_abi_0_1_0_module_is_named_as_such()
    {
        WasmLoadReport report = TestModules.Module("abi_0_1_0").Report;

        Assert.Equal("0.1.0", report.AbiVersion);
        Assert.StartsWith("Proxy-Wasm ABI 0.1.0: ", Assert.Single(report.Errors));
    }

    [Fact]
    public void Bytes_that_are_not_a_module_are_refused_with_the_engine_reason()
    {
        using WasmModule module = WasmModule.FromBytes("not wasm"u8, "junk.wasm");

        Assert.False(module.Report.Loadable);
        Assert.StartsWith("Failed to load Wasm module: ", Assert.Single(module.Report.Errors));
        Assert.Throws<WasmLoadException>(() => ProxyWasmHost.LoadWasm(module));
    }
}
