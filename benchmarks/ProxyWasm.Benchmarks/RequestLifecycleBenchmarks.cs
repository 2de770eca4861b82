using System.Text;
using BenchmarkDotNet.Attributes;
using ProxyWasm.Samples;
using ProxyWasm.Testing;

namespace ProxyWasm.Benchmarks;

/// <summary>
/// One HTTP stream through a sample module, through its exported entry points: proxy_on_context_create,
/// proxy_on_request_headers, proxy_on_response_headers, proxy_on_done, proxy_on_log, proxy_on_delete; for
/// HttpAuthRandom also the HTTP call the filter dispatches and its answer, proxy_on_http_call_response on the root
/// context, which resumes or answers the stream; HttpHeaders, Metrics and SharedData the ports of the SDK examples of
/// those names (all header pairs logged, a counter incremented, a shared-data CAS increment). The host (<see cref="LeanHost"/>) allocates nothing itself, so
/// "Allocated" is the module's own GC allocation per request.
/// </summary>
/// <remarks>One host drives the module at a time in a process (as one VM thread does), so each benchmark sets up only
/// its own host; BenchmarkDotNet runs each benchmark in its own process.</remarks>
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

    private LeanHost _host = null!;

    [GlobalSetup(Target = nameof(HelloWorld))]
    public void SetupHelloWorld() => _host = new LeanHost(typeof(HelloWorld).Assembly, Request, Response, "hello_world");

    [GlobalSetup(Target = nameof(AddHeader))]
    public void SetupAddHeader() => _host = new LeanHost(typeof(AddHeader).Assembly, Request, Response, "add_header", Encoding.UTF8.GetBytes("goodbye"));

    [GlobalSetup(Target = nameof(HeaderAuthorizationAllowed))]
    public void SetupHeaderAuthorization() => _host = new LeanHost(typeof(HeaderAuthorization).Assembly, Request, Response, "header_authorization");

    [GlobalSetup(Target = nameof(HttpAuthRandomGranted))]
    public void SetupHttpAuthRandomGranted() => _host = HttpAuthRandomHost(firstByte: 2);

    [GlobalSetup(Target = nameof(HttpAuthRandomDenied))]
    public void SetupHttpAuthRandomDenied() => _host = HttpAuthRandomHost(firstByte: 1);

    [GlobalSetup(Target = nameof(HttpHeaders))]
    public void SetupHttpHeaders() => _host = new LeanHost(typeof(HttpHeaders).Assembly, Request, Response, "http_headers");

    [GlobalSetup(Target = nameof(Metrics))]
    public void SetupMetrics() => _host = new LeanHost(typeof(MetricsSample).Assembly, [.. Request, ("my-custom-header", "foo")], Response, "metrics");

    [GlobalSetup(Target = nameof(SharedData))]
    public void SetupSharedData() => _host = new LeanHost(typeof(SharedDataSample).Assembly, Request, Response, "shared_data");

    [GlobalSetup(Target = nameof(ConfiguredHeaders))]
    public void SetupConfiguredHeaders()
    {
        const string configuration = """
            {"request_headers_to_add": [{"name": "x-env", "value": "prod"}],
             "request_headers_to_remove": ["x-debug"],
             "response_headers_to_add": [{"name": "x-served-by", "value": "edge", "append": true}],
             "response_headers_to_remove": ["server"],
             "set_request_id_in_response": true}
            """;
        _host = new LeanHost(typeof(ConfiguredHeaders).Assembly, Request, Response, "configured_headers", Encoding.UTF8.GetBytes(configuration));
        _host.SetProperty("request\0id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"u8.ToArray());
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    /// <summary>HelloWorld: read :authority, build the value on the stack, replace x-hello.</summary>
    [Benchmark(Baseline = true)]
    public uint HelloWorld() => _host.RunRequest();

    /// <summary>AddHeader: add the configured response header from the plugin instance.</summary>
    [Benchmark]
    public uint AddHeader() => _host.RunRequest();

    /// <summary>HeaderAuthorization with allow: true (the pass-through path).</summary>
    [Benchmark]
    public uint HeaderAuthorizationAllowed() => _host.RunRequest();

    /// <summary>HttpAuthRandom, even first byte: dispatch GET /bytes/1, pause, answer on the root context routed back to
    /// the stream, resume, Powered-By on the response.</summary>
    [Benchmark]
    public LeanOutcome HttpAuthRandomGranted() => _host.RunRequestWithCallout();

    /// <summary>HttpAuthRandom, odd first byte: as granted, but the answer sends the local 403, which passes the
    /// response hook.</summary>
    [Benchmark]
    public LeanOutcome HttpAuthRandomDenied() => _host.RunRequestWithCallout();

    /// <summary>HttpHeaders (Rust http_headers): every request and response header logged as <c>#id -> name: value</c>
    /// (all pairs read with <c>proxy_get_header_map_pairs</c>, each line built on the stack), <c>:path</c> checked for
    /// <c>/hello</c>, <c>#id completed.</c> in proxy_on_log.</summary>
    [Benchmark]
    public uint HttpHeaders() => _host.RunRequest();

    /// <summary>Metrics (Go metrics): <c>my-custom-header: foo</c> finds its counter in the plugin's cache and increments
    /// it (<c>proxy_increment_metric</c>).</summary>
    [Benchmark]
    public uint Metrics() => _host.RunRequest();

    /// <summary>SharedData (Go shared_data): read <c>shared_data_key</c> with its CAS token, write the value plus 1 with
    /// the token, log <c>shared value: n</c>.</summary>
    [Benchmark]
    public uint SharedData() => _host.RunRequest();

    /// <summary>ConfiguredHeaders: the typed configuration bound as a parameter of both hooks (read once at configure
    /// time); the response hook also binds <c>[Property("request.id")]</c> and <c>[Header("x-request-id")] bool</c>, the
    /// glue reading each with one host call; remove and add the configured headers, echo the request id.</summary>
    [Benchmark]
    public uint ConfiguredHeaders() => _host.RunRequest();

    private static LeanHost HttpAuthRandomHost(byte firstByte)
    {
        var host = new LeanHost(typeof(HttpAuthRandom).Assembly, Request, Response, "http_auth_random");
        host.SetCalloutAnswer([(":status", "200"), ("content-type", "application/octet-stream")], [firstByte]);
        return host;
    }
}
