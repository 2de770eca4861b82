using System.IO;
using BenchmarkDotNet.Attributes;
using ProxyWasm.Testing;

namespace ProxyWasm.Benchmarks;

/// <summary>
/// The wasm-side baseline of the native benchmark (docs/benchmarks.md, "Native benchmark"): the same request lifecycle
/// under the Wasmtime host (<see cref="ProxyWasmHost.LoadWasm(string, HostOptions?, WasmHostOptions?)"/>) for the
/// hand-written C filters of benchmarks/native/filters compiled to wasm32-wasi: <c>empty.c</c> (the ABI marker and the
/// allocator, no callbacks: the host's own cost of a request for a module that does nothing) and <c>hello_world.c</c>
/// (HelloWorld exporting only <c>proxy_on_request_headers</c>), plus the test module
/// tests/ProxyWasm.Wasm.Tests/modules/hello.c (the same work, written against proxy_wasm.h). Hello minus empty is the C
/// HelloWorld's filter-attributable cost under Wasmtime.
/// </summary>
/// <remarks>As in <see cref="WasmHostBenchmarks"/>, the full host records every callback, so each iteration starts a
/// fresh host and runs a fixed number of requests (<see cref="Requests"/>).</remarks>
[MemoryDiagnoser]
public class WasmHostBaselineBenchmarks
{
    // Five times WasmHostBenchmarks' count, so that even an iteration of the empty filter comes near BenchmarkDotNet's
    // recommended 100 ms minimum.
    private const int Requests = 50_000;

    /// <summary>The native benchmark's 10 request headers (bench_host.c, scenario "allow").</summary>
    private static readonly HttpRequest Request = new(new HeaderList(new[]
    {
        (":authority", "example.com"), (":path", "/get"), (":method", "GET"), (":scheme", "http"),
        ("user-agent", "curl/8.5.0"), ("accept", "*/*"), ("x-request-id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"),
        ("x-forwarded-proto", "http"), ("x-envoy-expected-rq-timeout-ms", "15000"), ("allow", "true"),
    }));

    /// <summary>The native benchmark's 5 response headers: the upstream's 200.</summary>
    private static readonly HttpResponse Response = new(new HeaderList(new[]
    {
        (":status", "200"), ("content-type", "application/json"), ("content-length", "2"), ("server", "envoy"),
        ("date", "Wed, 02 Dec 2026 12:00:00 GMT"),
    }), []);

    /// <summary>
    /// The native filters are built as for the native benchmark (run.sh: -fvisibility=hidden, -Wall -Wextra -Werror),
    /// with two wasm-ld options that make the shared source a Proxy-Wasm module without changing it:
    /// <c>--export-dynamic</c> exports exactly the default-visibility symbols (c_filter.h's <c>EXPORT</c>: the marker,
    /// the allocator and the filter's callbacks), which a reactor otherwise drops; <c>--allow-undefined</c> turns the
    /// undefined <c>proxy_*</c> prototypes into imports from module <c>env</c> (wasm-ld's default module), the same
    /// imports hello.c declares with <c>import_module("env")</c>. An import the host does not define still fails at
    /// load time.
    /// </summary>
    private static readonly string[] NativeFilterFlags =
    [
        "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fvisibility=hidden", "-Wl,--export-dynamic", "-Wl,--allow-undefined",
    ];

    private string _empty = null!;
    private string _helloWorld = null!;
    private string _hello = null!;
    private ProxyWasmHost _host = null!;

    [GlobalSetup]
    public void Compile()
    {
        string root = WasmHostBenchmarks.RepositoryRoot();
        string output = Path.Combine(Path.GetTempPath(), "proxywasm-wasm-baseline-" + System.Environment.ProcessId);
        Directory.CreateDirectory(output);
        string filters = Path.Combine(root, "benchmarks", "native", "filters");
        _empty = WasmHostBenchmarks.Clang(Path.Combine(filters, "empty.c"), output, NativeFilterFlags);
        _helloWorld = WasmHostBenchmarks.Clang(Path.Combine(filters, "hello_world.c"), output, NativeFilterFlags);
        _hello = WasmHostBenchmarks.Clang(Path.Combine(root, "tests", "ProxyWasm.Wasm.Tests", "modules", "hello.c"), output);
    }

    [IterationSetup(Target = nameof(EmptyFilter))]
    public void StartEmpty() => Start(_empty);

    [IterationSetup(Target = nameof(CHelloWorldFilter))]
    public void StartHelloWorld() => Start(_helloWorld);

    [IterationSetup(Target = nameof(HelloTestModule))]
    public void StartHello() => Start(_hello);

    [IterationCleanup]
    public void Stop() => _host.Dispose();

    /// <summary>One request through empty.wasm: no callback is exported, so this is the host's own per-request cost
    /// (stream setup, header lists, recording) with a module loaded that does nothing.</summary>
    [Benchmark(OperationsPerInvoke = Requests, Baseline = true), InvocationCount(1)]
    public int EmptyFilter() => SendAll();

    /// <summary>One request through benchmarks/native/filters/hello_world.c built for wasm32: one call of
    /// <c>proxy_on_request_headers</c>, one <c>:authority</c> lookup (returned through the module's allocator) and one
    /// <c>x-hello</c> replace.</summary>
    [Benchmark(OperationsPerInvoke = Requests), InvocationCount(1)]
    public int CHelloWorldFilter() => SendAll();

    /// <summary>One request through tests/ProxyWasm.Wasm.Tests/modules/hello.c: the same work and exports as
    /// hello_world.c, written against proxy_wasm.h.</summary>
    [Benchmark(OperationsPerInvoke = Requests), InvocationCount(1)]
    public int HelloTestModule() => SendAll();

    private void Start(string module)
    {
        _host = ProxyWasmHost.LoadWasm(module);
        _host.StartPlugin();
        HttpExchange check = _host.Send(Request, Response);
        // Each module must do its own work before it is timed: the empty filter leaves the request alone, the HelloWorld
        // filters add x-hello from :authority.
        string? hello = check.Upstream?.Headers.Get("x-hello");
        string? expected = module == _empty ? null : "Hello world from example.com";
        if (check.Upstream is null || hello != expected)
        {
            throw new System.InvalidOperationException($"{Path.GetFileName(module)}: x-hello is '{hello}', expected '{expected}'.");
        }
    }

    private int SendAll()
    {
        int passed = 0;
        for (int i = 0; i < Requests; i++)
        {
            passed += _host.Send(Request, Response).Upstream is null ? 0 : 1;
        }

        return passed;
    }
}
