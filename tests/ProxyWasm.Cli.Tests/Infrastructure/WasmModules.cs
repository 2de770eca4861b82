using Xunit;

namespace ProxyWasm.Cli.Tests.Infrastructure;

/// <summary>
/// The <c>.wasm</c> modules the run and inspect tests load, built once per test class into a temporary directory
/// (deleted with the fixture): the C hello filter of tests/ProxyWasm.Wasm.Tests/modules (read there, compiled here with
/// clang + wasi-libc), and small modules written in WAT (compiled with wat2wasm). A test skips, saying which tool is
/// missing, where clang, wasi-libc or wat2wasm is not installed.
/// </summary>
public sealed class WasmModules : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _built = new(StringComparer.Ordinal);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("proxywasm-cli-wasm-").FullName;

    /// <summary>samples/HelloWorld in C (x-hello: Hello world from &lt;:authority&gt;), as <c>hello.wasm</c>.</summary>
    public string Hello()
    {
        string? clang = ProcessRunner.Find("clang");
        Skip.If(clang is null, "clang is not on PATH: the C test module is not built (install clang, lld, wasi-libc and libclang-rt-14-dev-wasm32).");
        Skip.IfNot(System.IO.Directory.Exists("/usr/include/wasm32-wasi"), "wasi-libc is not installed (/usr/include/wasm32-wasi): the C test module is not built.");
        string source = Path.Combine(Repo.Root, "tests", "ProxyWasm.Wasm.Tests", "modules", "hello.c");
        Assert.True(System.IO.File.Exists(source), $"{source} does not exist: the C hello filter moved?");
        return Build("hello.wasm", output =>
        {
            ProcessResult compile = ProcessRunner.Run(clang!, ["--target=wasm32-wasi", "--sysroot=/usr", "-mexec-model=reactor", "-O2", "-o", output, source],
                Path.GetDirectoryName(source)!, TimeSpan.FromMinutes(2));
            Assert.True(compile.ExitCode == 0, "clang failed:\n" + compile);
        });
    }

    /// <summary>The module <paramref name="wat"/> (WebAssembly text) as <c><paramref name="name"/>.wasm</c>.</summary>
    public string Wat(string name, string wat)
    {
        string? wat2wasm = ProcessRunner.Find("wat2wasm");
        Skip.If(wat2wasm is null, "wat2wasm (WABT) is not on PATH: the modules written in WAT are not built.");
        return Build(name + ".wasm", output =>
        {
            string source = Path.ChangeExtension(output, ".wat");
            System.IO.File.WriteAllText(source, wat);
            ProcessResult compile = ProcessRunner.Run(wat2wasm!, [source, "-o", output], Directory, TimeSpan.FromMinutes(1));
            Assert.True(compile.ExitCode == 0, "wat2wasm failed:\n" + compile);
        });
    }

    /// <summary>The smallest module Envoy loads, written byte by byte (no tool needed): memory, the ABI marker and
    /// <c>proxy_on_memory_allocate</c> (returning 0), and no callback at all.</summary>
    public static byte[] Minimal =>
    [
        .. "\0asm"u8, 1, 0, 0, 0,
        1, 9, 2, 0x60, 0, 0, 0x60, 1, 0x7F, 1, 0x7F, // types: () -> (), (i32) -> i32
        3, 3, 2, 0, 1, // functions: one of each type
        5, 3, 1, 0, 1, // memory: 1 page
        7, 63, 3, // exports
        23, .. "proxy_abi_version_0_2_1"u8, 0, 0,
        24, .. "proxy_on_memory_allocate"u8, 0, 1,
        6, .. "memory"u8, 2, 0,
        10, 9, 2, 2, 0, 0x0B, 4, 0, 0x41, 0, 0x0B, // code: an empty body; i32.const 0
    ];

    /// <summary>A file named <paramref name="name"/> holding <paramref name="bytes"/>.</summary>
    public string File(string name, byte[] bytes) => Build(name, output => System.IO.File.WriteAllBytes(output, bytes));

    private string Build(string name, Action<string> build)
    {
        lock (_gate)
        {
            if (!_built.TryGetValue(name, out string? path))
            {
                path = Path.Combine(Directory, name);
                build(path);
                _built[name] = path;
            }

            return path;
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}

/// <summary>The WAT sources of the small test modules: each a valid Proxy-Wasm module but for what its name says.</summary>
internal static class Wat
{
    /// <summary>The exports every module here has: ABI marker, memory, allocator (a bump allocator over page 1).</summary>
    private const string Base = """
          (memory (export "memory") 2)
          (global $next (mut i32) (i32.const 65536))
          (func (export "proxy_abi_version_0_2_1"))
          (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
            (global.get $next)
            (global.set $next (i32.add (global.get $next) (local.get $size))))
          (func (export "proxy_on_context_create") (param i32 i32))
        """;

    /// <summary>Logs "about to trap" (info), then traps (<c>unreachable</c>) in <c>proxy_on_request_headers</c>.</summary>
    public const string TrapInRequestHeaders = $"""
        (module
          (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
          {Base}
          (data (i32.const 16) "about to trap")
          (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
            (drop (call $log (i32.const 2) (i32.const 16) (i32.const 13)))
            unreachable))
        """;

    /// <summary>Traps in <c>_initialize</c>, before any callback.</summary>
    public const string TrapInInitialize = $"""
        (module
          {Base}
          (func (export "_initialize") unreachable)
          (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
        """;

    /// <summary><c>proxy_on_configure</c> accepts a non-empty plugin configuration only.</summary>
    public const string NeedsConfiguration = $"""
        (module
          {Base}
          (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
            (i32.ne (local.get $size) (i32.const 0)))
          (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
        """;

    /// <summary>What NativeAOT-LLVM leaves in a module today: component-model (WASI preview 2) imports.</summary>
    public const string Preview2Imports = $"""
        (module
          (import "wasi:cli/environment@0.2.0" "get-environment" (func (param i32)))
          (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush" (func (param i32 i32 i32 i32)))
          {Base})
        """;
}
