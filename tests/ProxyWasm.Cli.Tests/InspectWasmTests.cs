using System.Text;
using System.Text.Json;
using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary><c>proxywasm inspect</c> on wasm modules: one encoded here byte by byte, one compiled from text with
/// wat2wasm (WABT) when it is on PATH.</summary>
public sealed class InspectWasmTests
{
    [Fact]
    public void A_module_written_byte_by_byte_lists_its_exports_and_imports_with_signatures()
    {
        byte[] i32x3ToI32 = [0x60, 3, 0x7F, 0x7F, 0x7F, 1, 0x7F];
        byte[] i32x2ToNothing = [0x60, 2, 0x7F, 0x7F, 0];
        byte[] module =
        [
            .. "\0asm"u8, 1, 0, 0, 0,
            .. Section(0, [.. Name("proxywasm-test"), 1, 2]), // a custom section, skipped
            .. Section(1, [2, .. i32x3ToI32, .. i32x2ToNothing]),
            .. Section(2, [2, .. Name("env"), .. Name("proxy_log"), 0, 0, .. Name("wasi_snapshot_preview1"), .. Name("fd_write"), 0, 0]),
            .. Section(3, [1, 1]),
            .. Section(5, [1, 0, 1]),
            .. Section(7, [2, .. Name("proxy_on_context_create"), 0, 2, .. Name("memory"), 2, 0]),
            .. Section(10, [1, 2, 0, 0x0B]),
        ];
        string path = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-" + Guid.NewGuid().ToString("N") + ".wasm");
        File.WriteAllBytes(path, module);
        try
        {
            CliResult text = CliRun.Invoke("inspect", path);
            Assert.True(text.ExitCode == 0, text.ToString());
            Assert.Equal($"""
                wasm module {path}
                Envoy would load this: no, because Missing or unknown Proxy-Wasm ABI version (and 2 more)
                  Missing or unknown Proxy-Wasm ABI version
                  Failed to load Wasm module due to an import type mismatch: wasi_snapshot_preview1.fd_write, want: i32 i32 i32 -> i32, but host exports: i32 i32 i32 i32 -> i32
                  Wasm module is missing malloc function.

                exports (2):
                  proxy_on_context_create (func (i32, i32))
                  memory (memory)

                imports (2):
                  env.proxy_log (func (i32, i32, i32) -> i32)
                  wasi_snapshot_preview1.fd_write (func (i32, i32, i32) -> i32)

                """, text.Stdout);

            CliResult json = CliRun.Invoke("inspect", path, "--json");
            Assert.True(json.ExitCode == 0, json.ToString());
            using JsonDocument document = JsonDocument.Parse(json.Stdout);
            Assert.Equal("wasm", document.RootElement.GetProperty("kind").GetString());
            JsonElement envoy = document.RootElement.GetProperty("envoy");
            Assert.False(envoy.GetProperty("loadable").GetBoolean());
            Assert.Equal(JsonValueKind.Null, envoy.GetProperty("abi").ValueKind);
            Assert.Equal(3, envoy.GetProperty("errors").GetArrayLength());
            Assert.Equal("Wasm module is missing malloc function.", envoy.GetProperty("errors")[2].GetString());
            JsonElement import = document.RootElement.GetProperty("imports")[0];
            Assert.Equal(("env", "proxy_log", "func", "(i32, i32, i32) -> i32"),
                (import.GetProperty("module").GetString(), import.GetProperty("name").GetString(), import.GetProperty("kind").GetString(), import.GetProperty("signature").GetString()));
            JsonElement memory = document.RootElement.GetProperty("exports")[1];
            Assert.Equal(("memory", "memory"), (memory.GetProperty("name").GetString(), memory.GetProperty("kind").GetString()));
            Assert.Equal(JsonValueKind.Null, memory.GetProperty("signature").ValueKind);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_truncated_module_is_a_usage_error()
    {
        string path = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-" + Guid.NewGuid().ToString("N") + ".wasm");
        File.WriteAllBytes(path, [.. "\0asm"u8, 1, 0, 0, 0, 7, 20, 1]);
        try
        {
            CliResult result = CliRun.Invoke("inspect", path);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Equal([$"proxywasm: {path}: section 7 runs past the end of the file"], result.ErrorLines);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void A_module_compiled_by_wat2wasm_lists_every_kind_of_import_and_export()
    {
        string? wat2wasm = ProcessRunner.Find("wat2wasm");
        Skip.If(wat2wasm is null, "wat2wasm (WABT) is not on PATH: the module compiled from text is not built (the byte-by-byte module above still runs).");

        string directory = Directory.CreateTempSubdirectory("proxywasm-cli-tests-").FullName;
        try
        {
            string source = Path.Combine(directory, "filter.wat");
            string binary = Path.Combine(directory, "filter.wasm");
            File.WriteAllText(source, """
                (module
                  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
                  (import "env" "proxy_get_header_map_value" (func (param i32 i32 i32 i32 i32) (result i32)))
                  (import "env" "memory_base" (global i32))
                  (import "env" "table" (table 1 funcref))
                  (memory (export "memory") 2 16)
                  (global $g (mut i32) (i32.const 0))
                  (export "counter" (global $g))
                  (func (export "proxy_abi_version_0_2_1"))
                  (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 0))
                  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
                """);
            ProcessResult compile = ProcessRunner.Run(wat2wasm!, [source, "-o", binary], directory, TimeSpan.FromMinutes(1));
            Assert.True(compile.ExitCode == 0, compile.ToString());

            CliResult result = CliRun.Invoke("inspect", binary);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal($"""
                wasm module {binary}
                Envoy would load this: no, because Failed to load Wasm module due to a missing import: env.memory_base (and 1 more)
                  Failed to load Wasm module due to a missing import: env.memory_base
                  Failed to load Wasm module due to a missing import: env.table

                exports (5):
                  memory (memory)
                  counter (global)
                  proxy_abi_version_0_2_1 (func ())
                  proxy_on_memory_allocate (func (i32) -> i32)
                  proxy_on_request_headers (func (i32, i32, i32) -> i32)

                imports (4):
                  env.proxy_log (func (i32, i32, i32) -> i32)
                  env.proxy_get_header_map_value (func (i32, i32, i32, i32, i32) -> i32)
                  env.memory_base (global)
                  env.table (table)

                """, result.Stdout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Name(string name) => [.. Leb((uint)Encoding.UTF8.GetByteCount(name)), .. Encoding.UTF8.GetBytes(name)];

    private static byte[] Section(byte id, byte[] content) => [id, .. Leb((uint)content.Length), .. content];

    private static byte[] Leb(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
