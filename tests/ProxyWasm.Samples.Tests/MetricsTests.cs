using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>Counter, gauge and histogram handles with Envoy's rules: counters only go up, gauges go both ways,
/// histograms record and cannot be read.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void Handles_defined_at_configure_count_every_request()
    {
        using var host = new ProxyWasmHost(typeof(MetricsTests).Assembly, new HostOptions { RootId = "metered" });
        Assert.True(host.StartPlugin());
        for (int i = 0; i < 3; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
            Assert.Equal(((int)ProxyStatus.BadArgument).ToString(System.Globalization.CultureInfo.InvariantCulture), exchange.Upstream!.Headers.Get("x-negative-increment"));
        }

        Assert.Equal(3ul, host.GetMetric("metered.requests"));
        Assert.Equal(0ul, host.GetMetric("metered.active"));
        Assert.Equal(new ulong[] { 9, 9, 9 }, host.GetHistogram("metered.header_count"));
    }

    [Fact]
    public void A_gauge_stays_up_while_a_stream_is_live()
    {
        using var host = new ProxyWasmHost(typeof(MetricsTests).Assembly, new HostOptions { RootId = "metered" });
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        Assert.Equal(1ul, host.GetMetric("metered.active"));
        stream.Complete();
        Assert.Equal(0ul, host.GetMetric("metered.active"));
    }
}
