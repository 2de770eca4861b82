using System.Text;
using BenchmarkDotNet.Attributes;
using ProxyWasm.Samples;
using ProxyWasm.Testing;

namespace ProxyWasm.Benchmarks;

/// <summary>
/// One HTTP stream through a sample module, through its exported entry points: proxy_on_context_create,
/// proxy_on_request_headers, proxy_on_response_headers, proxy_on_done, proxy_on_log, proxy_on_delete. The host
/// (<see cref="LeanHost"/>) allocates nothing itself, so "Allocated" is the module's own GC allocation per request.
/// </summary>
[MemoryDiagnoser]
public class RequestLifecycleBenchmarks
{
    private static readonly (string, string)[] Request =
    [
        (":authority", "example.com"), (":path", "/get"), (":method", "GET"), (":scheme", "http"),
        ("user-agent", "curl/8.5.0"), ("accept", "*/*"), ("x-request-id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"),
        ("allow", "true"),
    ];

    private static readonly (string, string)[] Response = [(":status", "200"), ("content-type", "application/json"), ("content-length", "2")];

    private LeanHost _helloWorld = null!;
    private LeanHost _addHeader = null!;
    private LeanHost _headerAuthorization = null!;

    [GlobalSetup]
    public void Setup()
    {
        _helloWorld = new LeanHost(typeof(HelloWorld).Assembly, Request, Response, "hello_world");
        _addHeader = new LeanHost(typeof(AddHeader).Assembly, Request, Response, "add_header", Encoding.UTF8.GetBytes("goodbye"));
        _headerAuthorization = new LeanHost(typeof(HeaderAuthorization).Assembly, Request, Response, "header_authorization");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _helloWorld.Dispose();
        _addHeader.Dispose();
        _headerAuthorization.Dispose();
    }

    /// <summary>HelloWorld: read :authority, build the value on the stack, replace x-hello.</summary>
    [Benchmark(Baseline = true)]
    public uint HelloWorld() => _helloWorld.RunRequest();

    /// <summary>AddHeader: add the configured response header from the plugin instance.</summary>
    [Benchmark]
    public uint AddHeader() => _addHeader.RunRequest();

    /// <summary>HeaderAuthorization with allow: true (the pass-through path).</summary>
    [Benchmark]
    public uint HeaderAuthorizationAllowed() => _headerAuthorization.RunRequest();
}
