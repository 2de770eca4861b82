using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using ProxyWasm.Samples;
using ProxyWasm.Testing;

namespace ProxyWasm.Benchmarks;

/// <summary>
/// The Wasmtime host (<see cref="ProxyWasmHost.LoadWasm(string, HostOptions?, WasmHostOptions?)"/>): one request through
/// the C HelloWorld module (tests/ProxyWasm.Wasm.Tests/modules/hello.c) beside the same request through the HelloWorld
/// assembly in the same host (the difference is what running the module under Wasmtime costs), an empty callback into
/// the module, one host call from inside the module, and one host call that returns data through the module's allocator
/// (a call back into the module inside the host call). The C modules are compiled in the global setup with clang
/// (<c>clang lld wasi-libc libclang-rt-14-dev-wasm32</c>).
/// </summary>
/// <remarks>The full host records every callback, so each iteration starts a fresh host and runs a fixed number of
/// requests (<see cref="Requests"/>).</remarks>
[MemoryDiagnoser]
public class WasmHostBenchmarks
{
    private const int Requests = 10_000;
    private const int Crossings = 100_000;

    private static readonly HttpRequest Request = new(new HeaderList(new[]
    {
        (":authority", "example.com"), (":path", "/get"), (":method", "GET"), (":scheme", "http"),
        ("user-agent", "curl/8.5.0"), ("accept", "*/*"), ("x-request-id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"),
    }));

    private string _hello = null!;
    private string _bench = null!;
    private ProxyWasmHost _host = null!;

    [GlobalSetup]
    public void Compile()
    {
        string root = RepositoryRoot();
        string output = Path.Combine(Path.GetTempPath(), "proxywasm-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(output);
        _hello = Clang(Path.Combine(root, "tests", "ProxyWasm.Wasm.Tests", "modules", "hello.c"), output);
        _bench = Clang(Path.Combine(root, "benchmarks", "ProxyWasm.Benchmarks", "wasm", "bench.c"), output);
    }

    [IterationSetup(Targets = [nameof(CHelloWasmRequest)])]
    public void StartWasmHello() => Start(ProxyWasmHost.LoadWasm(_hello));

    [IterationSetup(Targets = [nameof(HelloWorldInProcessRequest)])]
    public void StartInProcessHello() => Start(new ProxyWasmHost(typeof(HelloWorld).Assembly));

    [IterationSetup(Targets = [nameof(EmptyCallback), nameof(HostCall), nameof(HostCallWithAllocation)])]
    public void StartBench() => Start(ProxyWasmHost.LoadWasm(_bench, new HostOptions { PluginConfiguration = Encoding.UTF8.GetBytes("hello world") }));

    [IterationCleanup]
    public void Stop() => _host.Dispose();

    /// <summary>One request (context create, request headers, delete) through hello.wasm in the full host.</summary>
    [Benchmark(OperationsPerInvoke = Requests), InvocationCount(1)]
    public int CHelloWasmRequest() => SendAll();

    /// <summary>The same request through the HelloWorld assembly in the same host (function pointers, in process).</summary>
    [Benchmark(OperationsPerInvoke = Requests, Baseline = true), InvocationCount(1)]
    public int HelloWorldInProcessRequest() => SendAll();

    /// <summary>One call into the module that does nothing (<c>proxy_on_context_create</c>): the .NET to wasm crossing.</summary>
    [Benchmark(OperationsPerInvoke = Crossings), InvocationCount(1)]
    public uint EmptyCallback()
    {
        uint sum = 0;
        for (uint i = 0; i < Crossings; i++)
        {
            _host.Exports.Call("proxy_on_context_create", i + 2, 1);
            sum += i;
        }

        return sum;
    }

    /// <summary>One <c>proxy_get_log_level</c> from inside the module: wasm to .NET, the bounds-checked translation,
    /// the host's implementation, the output written back.</summary>
    [Benchmark(OperationsPerInvoke = Crossings), InvocationCount(1)]
    public uint HostCall() => _host.Exports.CallWord("bench_log_level", Crossings);

    /// <summary>One <c>proxy_get_buffer_bytes</c> of 11 bytes from inside the module: the host call plus the allocator
    /// round trip (the host calls the module's <c>malloc</c> inside it) and the module's <c>free</c>.</summary>
    [Benchmark(OperationsPerInvoke = Crossings), InvocationCount(1)]
    public uint HostCallWithAllocation() => _host.Exports.CallWord("bench_read_configuration", Crossings);

    private void Start(ProxyWasmHost host)
    {
        _host = host;
        _host.StartPlugin();
    }

    private int SendAll()
    {
        int passed = 0;
        for (int i = 0; i < Requests; i++)
        {
            passed += _host.Send(Request).Upstream is null ? 0 : 1;
        }

        return passed;
    }

    /// <summary>Compiles <paramref name="source"/> to a wasm32-wasi reactor module in <paramref name="output"/>, with any
    /// <paramref name="flags"/> added to the command line; shared with <see cref="WasmHostBaselineBenchmarks"/>.</summary>
    internal static string Clang(string source, string output, params string[] flags)
    {
        string wasm = Path.Combine(output, Path.GetFileNameWithoutExtension(source) + ".wasm");
        var start = new ProcessStartInfo("clang", ["--target=wasm32-wasi", "--sysroot=/usr", "-mexec-model=reactor", "-O2", .. flags, "-o", wasm, source])
        {
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("clang did not start");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? wasm
            : throw new InvalidOperationException($"clang failed on {source} (needs clang lld wasi-libc libclang-rt-14-dev-wasm32): {errors}");
    }

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProxyWasm.Generators.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository (ProxyWasm.Generators.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
