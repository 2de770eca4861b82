using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's metrics (samples/Metrics), in the in-process host: one counter per value of
/// <c>my-custom-header</c>, named after it, incremented once per request; other requests define nothing.</summary>
public sealed class MetricsSampleTests
{
    private static ProxyWasmHost Host() => new(typeof(MetricsSample).Assembly, new HostOptions { RootId = "metrics" });

    private static string Name(string value) => $"custom_header_value_counts_value={value}_reporter=wasmgosdk";

    private static HttpRequest WithHeader(string value)
    {
        HeaderList headers = Requests.Curl();
        headers.Add("my-custom-header", value);
        return Requests.Get(headers);
    }

    [Fact]
    public void Three_requests_with_foo_count_three()
    {
        // The Go unit test: StartVM, 3 x my-custom-header: foo -> Continue each; the counter is 3.
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        for (int i = 0; i < 3; i++)
        {
            HttpStreamContext stream = host.CreateHttpStream();
            Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(new HeaderList(new[] { ("my-custom-header", "foo") }), endOfStream: true));
            stream.Complete();
        }

        Assert.Equal(3ul, host.GetMetric(Name("foo")));
        Assert.Empty(host.Logs);
    }

    [Fact]
    public void Each_value_has_its_own_counter()
    {
        // The e2e test: 3 requests with foo and 5 with bar.
        using ProxyWasmHost host = Host();
        string[] values = ["foo", "bar", "bar", "foo", "bar", "bar", "foo", "bar"];
        foreach (string value in values)
        {
            HttpExchange exchange = host.Send(WithHeader(value));
            Assert.NotNull(exchange.Upstream);
            Assert.Equal(value, exchange.Upstream!.Headers.Get("my-custom-header"));
        }

        Assert.Equal(3ul, host.GetMetric(Name("foo")));
        Assert.Equal(5ul, host.GetMetric(Name("bar")));
        Assert.Null(host.GetMetric(Name("Foo")));
        Assert.Empty(host.Logs);
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void A_request_without_the_header_defines_and_counts_nothing()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.NotNull(exchange.Upstream);
        Assert.Null(host.GetMetric(Name("")));
        Assert.Null(host.GetMetric(Name("foo")));
        Assert.Empty(host.Logs);

        host.Send(WithHeader("foo"));
        Assert.Equal(1ul, host.GetMetric(Name("foo")));
    }

    [Fact]
    public void An_empty_value_is_a_value()
    {
        using ProxyWasmHost host = Host();
        host.Send(WithHeader(""));
        host.Send(WithHeader(""));
        Assert.Equal(2ul, host.GetMetric(Name("")));
    }

    [Fact]
    public void Values_are_compared_byte_for_byte()
    {
        using ProxyWasmHost host = Host();
        foreach (string value in new[] { "foo", "Foo", "foo ", "fo", "foo" })
        {
            host.Send(WithHeader(value));
        }

        Assert.Equal(2ul, host.GetMetric(Name("foo")));
        Assert.Equal(1ul, host.GetMetric(Name("Foo")));
        Assert.Equal(1ul, host.GetMetric(Name("foo ")));
        Assert.Equal(1ul, host.GetMetric(Name("fo")));
    }

    [Fact]
    public void More_values_than_the_cache_holds_and_values_longer_than_its_buffer_still_count_right()
    {
        using ProxyWasmHost host = Host();
        string[] values = Enumerable.Range(0, MetricsSamplePlugin.Capacity + 10).Select(i => "v" + i).Append(new string('x', MetricsSamplePlugin.ArenaSize + 1)).ToArray();
        for (int round = 0; round < 3; round++)
        {
            foreach (string value in values)
            {
                host.Send(WithHeader(value));
            }
        }

        Assert.All(values, value => Assert.Equal(3ul, host.GetMetric(Name(value))));
        Assert.Empty(host.Logs);
    }
}
