using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>A filter that reads Envoy's attributes through the typed accessors in its hooks (TestFilters/PropertyFilters.cs)
/// allocates nothing per request, measured with the lean host as for the samples.</summary>
public sealed class PropertyAllocationTests
{
    [Fact]
    public void Reading_properties_in_hooks_allocates_nothing()
    {
        (string, string)[] request = [(":authority", "example.com"), (":path", "/get?x=1"), (":method", "GET"), ("x-multi", "a")];
        using var host = new LeanHost(typeof(PropertyAllocationTests).Assembly, request, [(":status", "200")], "property_reader");
        host.SetProperty("request\0path", PropertyValue.String("/get?x=1"));
        host.SetProperty("request\0method", PropertyValue.String("GET"));
        host.SetProperty("request\0headers", PropertyValue.Map(("x-multi", "a"), (":path", "/get?x=1")));
        host.SetProperty("request\0headers\0x-multi", PropertyValue.String("a"));
        host.SetProperty("request\0time", PropertyValue.Int64(1_700_000_000_000_000_000));
        host.SetProperty("response\0code", PropertyValue.Int64(200));
        host.SetProperty("source\0port", PropertyValue.Int64(5555));
        host.SetProperty("cluster_name", PropertyValue.String("legacy"));

        for (int i = 0; i < 2_000; i++)
        {
            host.RunRequest();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            host.RunRequest();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0L, allocated);
        Assert.Equal(0, HostMemory.LiveBlocks);

        // The hooks ran and read what the host answered.
        string? props = host.RequestHeader("x-request-props");
        Assert.NotNull(props);
        Assert.Contains("path=/get?x=1;", props);
        Assert.Contains("headers=2;", props);
        Assert.Contains("headers.x-multi=a;", props);
        Assert.Contains("code=200;", props);
        Assert.Contains("cluster=legacy;", props);
        Assert.Contains("host=NotFound;", props);
        Assert.Contains("code=200;", host.ResponseHeader("x-response-props"));
    }
}
