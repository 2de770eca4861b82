using ProxyWasm.Testing;

namespace ProxyWasm.Samples.Tests;

/// <summary>Request header maps as curl and Envoy produce them.</summary>
internal static class Requests
{
    /// <summary>What Envoy's HTTP connection manager hands the filter chain for `curl http://example.com/get`.</summary>
    public static HeaderList Curl(string authority = "example.com") => new(new[]
    {
        (":authority", authority), (":path", "/get"), (":method", "GET"), (":scheme", "http"),
        ("user-agent", "curl/8.5.0"), ("accept", "*/*"),
        ("x-forwarded-proto", "http"), ("x-request-id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"),
        ("x-envoy-expected-rq-timeout-ms", "15000"),
    });

    /// <summary>A browser-like request through an Istio sidecar.</summary>
    public static HeaderList Istio() => new(new[]
    {
        (":authority", "productpage.bookinfo:9080"), (":path", "/productpage?u=normal"), (":method", "GET"), (":scheme", "http"),
        ("accept", "text/html,application/xhtml+xml"), ("accept-encoding", "gzip, deflate"), ("accept-language", "en-US,en;q=0.9"),
        ("cookie", "session=abc; theme=dark"), ("user-agent", "Mozilla/5.0 (X11; Linux x86_64)"),
        ("x-forwarded-for", "10.0.0.7"), ("x-forwarded-proto", "http"), ("x-request-id", "2c266863-8aac-4b66-9f5d-47c3f5087520"),
        ("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"), ("x-b3-spanid", "e457b5a2e4d86bd1"), ("x-b3-sampled", "1"),
        ("x-envoy-attempt-count", "1"),
    });

    public static HttpRequest Get(HeaderList headers) => new(headers);
}
