using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>
/// Measures GC allocations of the module per request lifecycle (context create, request headers, response headers,
/// done, log, delete) with a host that allocates nothing itself. The claim: 0 bytes per request in steady state.
/// The BenchmarkDotNet benchmark in benchmarks/ measures the same lifecycle with MemoryDiagnoser.
/// </summary>
public sealed class AllocationTests
{
    public static TheoryData<string> Samples() => new() { "hello_world", "header_authorization", "add_header", "response_header" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Steady_state_request_lifecycle_allocates_nothing(string sample)
    {
        (System.Reflection.Assembly module, (string, string)[] extra) = sample switch
        {
            "hello_world" => (typeof(HelloWorld).Assembly, Array.Empty<(string, string)>()),
            "header_authorization" => (typeof(HeaderAuthorization).Assembly, new[] { ("allow", "true") }),
            "add_header" => (typeof(AddHeader).Assembly, Array.Empty<(string, string)>()),
            _ => (typeof(ResponseHeader).Assembly, Array.Empty<(string, string)>()),
        };

        (string, string)[] request = [(":authority", "example.com"), (":path", "/get"), (":method", "GET"), ("user-agent", "curl/8.5.0"), .. extra];
        using var host = new LeanHost(module, request, [(":status", "200"), ("content-length", "0")], sample, Encoding.UTF8.GetBytes("configured"));

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
        }
    }
}
