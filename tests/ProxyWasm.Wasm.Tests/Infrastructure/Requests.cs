using ProxyWasm.Testing;

namespace ProxyWasm.Wasm.Tests;

/// <summary>Request header maps as Envoy hands them to the filter chain.</summary>
internal static class Requests
{
    /// <summary>`curl http://example.com/get` through Envoy's HTTP connection manager, plus <paramref name="extra"/>.</summary>
    public static HeaderList Curl(string authority = "example.com", params (string Name, string Value)[] extra)
    {
        var headers = new HeaderList(new[]
        {
            (":authority", authority), (":path", "/get"), (":method", "GET"), (":scheme", "http"),
            ("user-agent", "curl/8.5.0"), ("accept", "*/*"), ("x-forwarded-proto", "http"),
            ("x-request-id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"),
        });
        foreach ((string name, string value) in extra)
        {
            headers.Add(name, value);
        }

        return headers;
    }

    public static HttpRequest Get(params (string Name, string Value)[] extra) => new(Curl("example.com", extra));

    /// <summary>The headers as "name: value" lines, in order (for comparing maps).</summary>
    public static string[] Lines(HeaderList? headers) => headers?.Select(h => h.ToString()).ToArray() ?? [];
}
