using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>
/// Measures GC allocations of the module per request lifecycle (context create, request headers, response headers,
/// done, log, delete; for a filter that calls out, the HTTP call and its answer in between) with a host that allocates
/// nothing itself. The claim: 0 bytes per request in steady state. The BenchmarkDotNet benchmark in benchmarks/
/// measures the same lifecycles with MemoryDiagnoser.
/// </summary>
public sealed class AllocationTests
{
    public static TheoryData<string> Samples() => new() { "hello_world", "header_authorization", "add_header", "response_header", "http_routing" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Steady_state_request_lifecycle_allocates_nothing(string sample)
    {
        (System.Reflection.Assembly module, (string, string)[] extra) = sample switch
        {
            "hello_world" => (typeof(HelloWorld).Assembly, Array.Empty<(string, string)>()),
            "header_authorization" => (typeof(HeaderAuthorization).Assembly, new[] { ("allow", "true") }),
            "add_header" => (typeof(AddHeader).Assembly, Array.Empty<(string, string)>()),
            "http_routing" => (typeof(HttpRouting).Assembly, Array.Empty<(string, string)>()),
            _ => (typeof(ResponseHeader).Assembly, Array.Empty<(string, string)>()),
        };

        (string, string)[] request = [(":authority", "example.com"), (":path", "/get"), (":method", "GET"), ("user-agent", "curl/8.5.0"), .. extra];
        // http_routing reads the first byte as its dice override: 0 means a random number per request.
        byte[] configuration = sample == "http_routing" ? [0] : Encoding.UTF8.GetBytes("configured");
        using var host = new LeanHost(module, request, [(":status", "200"), ("content-length", "0")], sample, configuration);

        for (int i = 0; i < 2_000; i++)
        {
            Assert.Equal(0u, host.RunRequest());
        }

        const int requests = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        uint actions = 0;
        for (int i = 0; i < requests; i++)
        {
            actions += host.RunRequest();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0u, actions);
        Assert.Equal(0L, allocated);
        Assert.Equal(0, HostMemory.LiveBlocks);

        // The lean host saw the filter's work, so the loop measured real requests.
        switch (sample)
        {
            case "hello_world":
                Assert.Equal("Hello world from example.com", host.RequestHeader("x-hello"));
                break;
            case "add_header":
                Assert.Equal("configured", host.ResponseHeader("hello"));
                break;
            case "response_header":
                Assert.Equal("world", host.ResponseHeader("hello"));
                break;
            case "http_routing":
                Assert.Contains(host.RequestHeader(":authority"), new[] { "example.com", "example.com-canary" });
                Assert.Equal(12_000L, host.LogCount); // "value: <n>\n" per request
                break;
        }
    }

    /// <summary>
    /// HttpHeaders (the Rust SDK's http_headers): the <c>:path</c> lookup, for <c>/hello</c> the local 200 with its two
    /// headers (built on the stack) and the response hook on it, the response hook, and the <c>#&lt;id&gt; completed.</c>
    /// line formatted in <c>proxy_on_log</c>, and one log line per request and response header
    /// (<c>proxy_get_header_map_pairs</c>, each line built on the stack): 4 request headers, the 2 upstream response
    /// headers or, for <c>/hello</c>, the 3 headers of the local response (<c>:status</c> and the two it adds), and the
    /// completion.
    /// </summary>
    [Theory]
    [InlineData("/get", false, 7)]
    [InlineData("/hello", true, 8)]
    public void Steady_state_http_headers_lifecycle_allocates_nothing(string path, bool hello, int logsPerRequest)
    {
        (string, string)[] request = [(":authority", "example.com"), (":path", path), (":method", "GET"), ("user-agent", "curl/8.5.0")];
        using var host = new LeanHost(typeof(HttpHeaders).Assembly, request, [(":status", "200"), ("content-length", "0")], "http_headers");
        uint expectedActions = hello ? 1u : 0u; // StopIteration after the local response

        for (int i = 0; i < 2_000; i++)
        {
            Assert.Equal(expectedActions, host.RunRequest());
        }

        const int requests = 10_000;
        long logs = host.LogCount;
        long localResponses = host.LocalResponseCount;
        uint actions = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < requests; i++)
        {
            actions += host.RunRequest();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0L, allocated);
        Assert.Equal(0, HostMemory.LiveBlocks);
        Assert.Equal(expectedActions * requests, actions);
        Assert.Equal((long)logsPerRequest * requests, host.LogCount - logs);
        Assert.Equal(hello ? requests : 0, host.LocalResponseCount - localResponses);
        Assert.Equal(hello ? 200u : 0u, host.LastLocalResponseStatus);
        Assert.Equal(hello ? "proxy-wasm" : null, host.ResponseHeader("Powered-By"));
        Assert.Equal(hello ? "World" : null, host.ResponseHeader("Hello"));
    }

    /// <summary>SharedData: VM start resets <c>shared_data_key</c>; each request reads it with its CAS token, writes the
    /// value plus 1 and logs it (the lean host's fixed shared-data slots, LeanHost.State.cs).</summary>
    [Fact]
    public void Steady_state_shared_data_increment_allocates_nothing()
    {
        (string, string)[] request = [(":authority", "example.com"), (":path", "/get"), (":method", "GET"), ("user-agent", "curl/8.5.0")];
        using var host = new LeanHost(typeof(SharedDataSample).Assembly, request, [(":status", "200")], "shared_data");
        Assert.Equal(Array.Empty<byte>(), host.SharedDataValue("shared_data_key"));

        for (int i = 0; i < 2_000; i++)
        {
            Assert.Equal(0u, host.RunRequest());
        }

        const int requests = 10_000;
        long logs = host.LogCount;
        uint actions = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < requests; i++)
        {
            actions += host.RunRequest();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0u, actions);
        Assert.Equal(0L, allocated);
        Assert.Equal(0, HostMemory.LiveBlocks);

        // Every request counted once and logged "shared value: <n>".
        Assert.Equal(BitConverter.GetBytes(12_000UL), host.SharedDataValue("shared_data_key"));
        Assert.Equal(requests, host.LogCount - logs);
    }

    /// <summary>Metrics: each request with <c>my-custom-header: foo</c> finds the counter the first one defined in the
    /// plugin's fixed cache and increments it (the lean host's fixed metric slots, LeanHost.State.cs).</summary>
    [Fact]
    public void Steady_state_metric_increment_allocates_nothing()
    {
        (string, string)[] request = [(":authority", "example.com"), (":path", "/get"), (":method", "GET"), ("my-custom-header", "foo")];
        using var host = new LeanHost(typeof(MetricsSample).Assembly, request, [(":status", "200")], "metrics");

        (uint actions, long allocated) = SteadyState(host);

        Assert.Equal(0u, actions);
        Assert.Equal(0L, allocated);
        Assert.Equal(0, HostMemory.LiveBlocks);
        Assert.Equal(12_000UL, host.Metric("custom_header_value_counts_value=foo_reporter=wasmgosdk"));
        Assert.Equal(1, host.MetricCount);
        Assert.Equal(0L, host.LogCount);
    }

    /// <summary>HttpAuthRandom: each request dispatches GET /bytes/1, pauses, and is resumed (even first byte) or
    /// answered 403 (odd) in <c>proxy_on_http_call_response</c>, which arrives on the root context and is routed back to
    /// the stream by token (runtime Callouts table, proxy_set_effective_context).</summary>
    [Theory]
    [InlineData((byte)2, true)]
    [InlineData((byte)1, false)]
    public void Steady_state_callout_lifecycle_allocates_nothing(byte firstByte, bool granted)
    {
        (string, string)[] request = [(":authority", "example.com"), (":path", "/get"), (":method", "GET"), ("user-agent", "curl/8.5.0")];
        using var host = new LeanHost(typeof(HttpAuthRandom).Assembly, request, [(":status", "200"), ("content-length", "0")], "http_auth_random");
        host.SetCalloutAnswer([(":status", "200"), ("content-type", "application/octet-stream")], [firstByte]);
        LeanOutcome expected = granted ? LeanOutcome.Resumed : LeanOutcome.LocalResponse;

        for (int i = 0; i < 2_000; i++)
        {
            Assert.Equal(expected, host.RunRequestWithCallout());
        }

        const int requests = 10_000;
        long calls = host.CalloutCount;
        long resumes = host.ResumeCount;
        long localResponses = host.LocalResponseCount;
        long logs = host.LogCount;
        int outcomes = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < requests; i++)
        {
            if (host.RunRequestWithCallout() == expected)
            {
                outcomes++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0L, allocated);
        Assert.Equal(0, HostMemory.LiveBlocks);

        // Every request called out once and was granted or denied as the answer said, so the loop measured real work.
        Assert.Equal(requests, outcomes);
        Assert.Equal(requests, host.CalloutCount - calls);
        Assert.Equal(granted ? requests : 0, host.ResumeCount - resumes);
        Assert.Equal(granted ? 0 : requests, host.LocalResponseCount - localResponses);
        Assert.Equal(requests, host.LogCount - logs); // "Access granted." / "Access forbidden."
        Assert.Equal(4u * (uint)host.CalloutCount, host.LastCalloutToken);
        Assert.Equal(granted ? 0u : 403u, host.LastLocalResponseStatus);
        Assert.Equal(granted ? "200" : "403", host.ResponseHeader(":status"));
        Assert.Equal("proxy-wasm", host.ResponseHeader("Powered-By"));
    }

    [Fact]
    public void Lean_host_callout_answer_is_preset_and_stream_functions_need_the_stream_context()
    {
        (string, string)[] request = [(":authority", "example.com"), (":path", "/get"), (":method", "GET")];
        using var host = new LeanHost(typeof(HttpAuthRandom).Assembly, request, [(":status", "200")], "http_auth_random");

        // No headers: a failed call (Envoy's reset), denied. An empty body: denied. Only the first byte counts.
        host.SetCalloutAnswer([], [2]);
        Assert.Equal(LeanOutcome.LocalResponse, host.RunRequestWithCallout());
        Assert.Equal(403u, host.LastLocalResponseStatus);
        host.SetCalloutAnswer([(":status", "200")], []);
        Assert.Equal(LeanOutcome.LocalResponse, host.RunRequestWithCallout());
        host.SetCalloutAnswer([(":status", "200")], [0, 1]);
        Assert.Equal(LeanOutcome.Resumed, host.RunRequestWithCallout());
        Assert.Equal(1L, host.ResumeCount);
        Assert.Equal(2L, host.LocalResponseCount);
        Assert.Equal(3L, host.CalloutCount);
        Assert.Equal(12u, host.LastCalloutToken);
        Assert.Equal(0, HostMemory.LiveBlocks);

        // The answer arrives on the root context: the stream's functions fail there until the module makes the stream
        // the effective context, so the resumes and local responses counted above were routed back by token.
        var abi = (ProxyWasm.Abi.IProxyHost)host;
        Assert.Equal(ProxyStatus.BadArgument, abi.proxy_continue_stream(StreamType.HttpRequest));
        Assert.Equal(ProxyStatus.BadArgument, abi.proxy_set_effective_context(99));
        Assert.Equal(1L, host.ResumeCount);
    }

    /// <summary>ConfiguredHeaders: a typed JSON configuration read once at configure time; each request removes and adds
    /// the configured request headers, each response removes and adds the configured response headers, reads
    /// <c>request.id</c> (a fixed property of the lean host) and <c>x-request-id</c> of the response (bound parameters,
    /// one host call each) and echoes the id: spans of bytes prepared at configure time only.</summary>
    [Fact]
    public void Steady_state_configured_headers_lifecycle_allocates_nothing()
    {
        const string configuration = """
            {"request_headers_to_add": [{"name": "x-env", "value": "prod"}, {"name": "x-tenant", "value": "blue", "append": true}],
             "request_headers_to_remove": ["x-debug"],
             "response_headers_to_add": [{"name": "x-served-by", "value": "edge", "append": true}],
             "response_headers_to_remove": ["server"],
             "set_request_id_in_response": true}
            """;
        (string, string)[] request = [(":authority", "example.com"), (":path", "/get"), (":method", "GET"), ("user-agent", "curl/8.5.0"), ("x-debug", "1"), ("x-env", "staging")];
        using var host = new LeanHost(typeof(ConfiguredHeaders).Assembly, request, [(":status", "200"), ("server", "gunicorn")], "configured_headers", Encoding.UTF8.GetBytes(configuration));
        host.SetProperty("request\0id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"u8.ToArray());
        Assert.Equal(0L, host.LogCount);

        (uint actions, long allocated) = SteadyState(host);

        Assert.Equal(0u, actions);
        Assert.Equal(0L, allocated);
        Assert.Equal(0, HostMemory.LiveBlocks);
        Assert.Equal(0L, host.LogCount);

        // The lean host saw the filter's edits, so the loop measured real requests.
        Assert.Equal("prod", host.RequestHeader("x-env"));
        Assert.Equal("blue", host.RequestHeader("x-tenant"));
        Assert.Null(host.RequestHeader("x-debug"));
        Assert.Null(host.ResponseHeader("server"));
        Assert.Equal("edge", host.ResponseHeader("x-served-by"));
        Assert.Equal("5f94178e-39d0-4c4d-8b9e-911a26d38040", host.ResponseHeader("x-request-id"));
    }

    /// <summary>2,000 warm-up requests (each must report no action), then the bytes allocated by 10,000 more and the
    /// actions they reported.</summary>
    private static (uint Actions, long Allocated) SteadyState(LeanHost host)
    {
        for (int i = 0; i < 2_000; i++)
        {
            Assert.Equal(0u, host.RunRequest());
        }

        uint actions = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            actions += host.RunRequest();
        }

        return (actions, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
