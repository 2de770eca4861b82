using System.Collections.Concurrent;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>
/// The C and WAT test modules (modules/*.c, modules/*.wat), compiled once per test run into the output folder
/// (modules/bin/NAME.wasm) and compiled once by Wasmtime (one <see cref="WasmModule"/> each, shared by the tests: a
/// module can be run by many hosts). The C modules need clang, wasm-ld and the wasi-libc sysroot (Debian: clang, lld,
/// wasi-libc, libclang-rt-14-dev-wasm32); the WAT modules need wat2wasm (wabt). When a tool is missing, the tests that
/// need it skip and name the tool and the packages to install.
/// </summary>
internal static class TestModules
{
    /// <summary>The flags of issue 11: a WASI reactor (<c>_initialize</c>, no <c>main</c>), optimised, warnings as errors;
    /// a module named <c>command_*</c> is a WASI command instead (<c>_start</c>, which runs <c>main</c>).</summary>
    private static string[] CFlags(string name) =>
        ["--target=wasm32-wasi", name.StartsWith("command_", StringComparison.Ordinal) ? "-mexec-model=command" : "-mexec-model=reactor", "-O2", "-Wall", "-Werror"];

    private static readonly Lazy<Build> s_build = new(BuildAll, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, Lazy<WasmModule>> s_modules = new(StringComparer.Ordinal);

    /// <summary>The sources' folder (copied next to the test assembly).</summary>
    public static string SourceDirectory => Path.Combine(AppContext.BaseDirectory, "modules");

    /// <summary>The compiled <c>NAME.wasm</c>; skips the test when the tool its source needs is missing.</summary>
    public static string PathOf(string name)
    {
        Build build = s_build.Value;
        if (build.Compiled.TryGetValue(name, out string? path))
        {
            return path;
        }

        if (build.Skipped.TryGetValue(name, out string? why))
        {
            throw new SkipException(why);
        }

        throw new InvalidOperationException(build.Failed.TryGetValue(name, out string? error)
            ? $"modules/{name} did not compile:\n{error}"
            : $"There is no test module modules/{name}.c or modules/{name}.wat.");
    }

    /// <summary>The module compiled by Wasmtime and load-checked (shared; do not dispose).</summary>
    public static WasmModule Module(string name)
    {
        string path = PathOf(name);
        return s_modules.GetOrAdd(name, _ => new Lazy<WasmModule>(() => WasmModule.Load(path))).Value;
    }

    /// <summary>A host running a new instance (VM) of the module.</summary>
    public static ProxyWasmHost Host(string name, HostOptions? options = null, WasmHostOptions? wasm = null)
        => ProxyWasmHost.LoadWasm(Module(name), options, wasm);

    private static Build BuildAll()
    {
        string output = Path.Combine(SourceDirectory, "bin");
        Directory.CreateDirectory(output);
        string? cMissing = MissingCToolchain(out string? clang);
        string? wat2wasm = ProcessRunner.Find("wat2wasm");
        var build = new Build();
        string[] sources = Directory.GetFiles(SourceDirectory, "*.c").Concat(Directory.GetFiles(SourceDirectory, "*.wat")).ToArray();
        Parallel.ForEach(sources, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, source =>
        {
            string name = Path.GetFileNameWithoutExtension(source);
            string wasm = Path.Combine(output, name + ".wasm");
            bool isC = source.EndsWith(".c", StringComparison.Ordinal);
            if (isC && cMissing is not null)
            {
                build.Skipped[name] = cMissing;
                return;
            }

            if (!isC && wat2wasm is null)
            {
                build.Skipped[name] = $"wat2wasm was not found on PATH, so modules/{name}.wat cannot be assembled. Install wabt (Debian/Ubuntu: apt-get install wabt).";
                return;
            }

            ProcessResult result = isC
                ? ProcessRunner.Run(clang!, [.. CFlags(name), "--sysroot=" + Sysroot, "-o", wasm, source], SourceDirectory, TimeSpan.FromMinutes(2))
                : ProcessRunner.Run(wat2wasm!, [source, "-o", wasm], SourceDirectory, TimeSpan.FromMinutes(1));
            if (result.ExitCode == 0 && File.Exists(wasm))
            {
                build.Compiled[name] = wasm;
            }
            else
            {
                build.Failed[name] = result.Describe();
            }
        });
        return build;
    }

    /// <summary>The wasi-libc sysroot: <c>WASI_SYSROOT</c> (e.g. a wasi-sdk's share/wasi-sysroot), else Debian's <c>/usr</c>.</summary>
    private static string Sysroot => Environment.GetEnvironmentVariable("WASI_SYSROOT") is { Length: > 0 } root ? root : "/usr";

    /// <summary>Why the C modules cannot be compiled here, naming the missing pieces and the packages that bring them,
    /// or null when clang, wasm-ld, wasi-libc and the wasm32 compiler-rt builtins are all present.</summary>
    private static string? MissingCToolchain(out string? clang)
    {
        string name = Environment.GetEnvironmentVariable("CLANG") is { Length: > 0 } configured ? configured : "clang";
        clang = File.Exists(name) ? Path.GetFullPath(name) : ProcessRunner.Find(name);
        var missing = new List<string>();
        if (clang is null)
        {
            missing.Add($"{name} (package clang)");
        }

        if (ProcessRunner.Find("wasm-ld") is null)
        {
            missing.Add("wasm-ld (package lld)");
        }

        string triple = "wasm32-wasi";
        if (!File.Exists(Path.Combine(Sysroot, "include", triple, "stdlib.h")) && !File.Exists(Path.Combine(Sysroot, "include", "stdlib.h")))
        {
            missing.Add($"the wasi-libc headers under {Sysroot}/include/{triple} (package wasi-libc)");
        }

        if (!File.Exists(Path.Combine(Sysroot, "lib", triple, "libc.a")) && !File.Exists(Path.Combine(Sysroot, "lib", "libc.a")))
        {
            missing.Add($"the wasi-libc library {Sysroot}/lib/{triple}/libc.a (package wasi-libc)");
        }

        if (clang is not null)
        {
            ProcessResult builtins = ProcessRunner.Run(clang, ["--target=wasm32-wasi", "-print-libgcc-file-name"], SourceDirectory, TimeSpan.FromSeconds(30));
            string file = builtins.StandardOutput.Trim();
            if (builtins.ExitCode != 0 || !File.Exists(file))
            {
                missing.Add($"the wasm32 compiler-rt builtins {file} (package libclang-rt-14-dev-wasm32, for clang 14)");
            }
        }

        return missing.Count == 0
            ? null
            : "The C test modules cannot be compiled to wasm32-wasi here: missing " + string.Join("; ", missing)
              + ". Install them (Debian/Ubuntu: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32; .ci/run does) or set CLANG and WASI_SYSROOT.";
    }

    private sealed class Build
    {
        public ConcurrentDictionary<string, string> Compiled { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, string> Skipped { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, string> Failed { get; } = new(StringComparer.Ordinal);
    }
}
