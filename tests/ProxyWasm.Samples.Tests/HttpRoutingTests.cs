using System.Globalization;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's http_routing (samples/HttpRouting), in the in-process host: the dice override from the
/// configuration's first byte, random numbers otherwise, and the <c>-canary</c> authority for even numbers.</summary>
public sealed class HttpRoutingTests
{
    private static ProxyWasmHost Host(byte[]? configuration = null, Func<DateTimeOffset>? clock = null) => new(typeof(HttpRouting).Assembly, new HostOptions
    {
        RootId = "http_routing",
        PluginConfiguration = configuration ?? [],
        Clock = clock ?? (() => DateTimeOffset.UtcNow),
    });

    private static HttpRequest Request(string authority = "my-host.com") => Requests.Get(new HeaderList(new[] { (":authority", authority), (":path", "/"), (":method", "GET") }));

    [Fact]
    public void An_even_override_routes_to_the_canary()
    {
        // The Go unit test: config {2}, :authority my-host.com -> Continue, and the one header is my-host.com-canary.
        using ProxyWasmHost host = Host([2]);
        Assert.True(host.StartPlugin());
        HttpStreamContext stream = host.CreateHttpStream();
        var headers = new HeaderList(new[] { (":authority", "my-host.com") });
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(headers, endOfStream: true));
        Assert.Equal(new[] { (":authority", "my-host.com-canary") }, headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal(new[] { new LogEntry(LogLevel.Info, "value: 2\n") }, host.Logs);
        stream.Complete();
    }

    [Theory]
    [InlineData((byte)1)]
    [InlineData((byte)255)]
    public void An_odd_override_leaves_the_authority(byte dice)
    {
        using ProxyWasmHost host = Host([dice]);
        HttpExchange exchange = host.Send(Request());
        Assert.Equal(new[] { (":authority", "my-host.com"), (":path", "/"), (":method", "GET") }, exchange.Upstream!.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal(new[] { new LogEntry(LogLevel.Info, $"value: {dice}\n") }, exchange.Logs);
    }

    [Fact]
    public void Only_the_first_byte_of_the_configuration_counts()
    {
        using ProxyWasmHost host = Host([4, 1, 1]);
        HttpExchange exchange = host.Send(Request("a.example"));
        Assert.Equal("a.example-canary", exchange.Upstream!.Headers.Get(":authority"));
        Assert.Equal("value: 4\n", exchange.Logs.Single().Message);

        // Every request uses it.
        Assert.Equal("b.example-canary", host.Send(Request("b.example")).Upstream!.Headers.Get(":authority"));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0, 2 })]
    public void Without_an_override_each_request_draws_a_random_number_and_even_ones_go_to_the_canary(byte[] configuration)
    {
        using ProxyWasmHost host = Host(configuration);
        Assert.True(host.StartPlugin());
        var values = new List<uint>();
        for (int i = 0; i < 200; i++)
        {
            HttpExchange exchange = host.Send(Request());
            LogEntry log = Assert.Single(exchange.Logs);
            Assert.Equal(LogLevel.Info, log.Level);
            Assert.StartsWith("value: ", log.Message, StringComparison.Ordinal);
            Assert.EndsWith("\n", log.Message, StringComparison.Ordinal);
            uint value = uint.Parse(log.Message["value: ".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture);
            values.Add(value);
            Assert.Equal(value % 2 == 0 ? "my-host.com-canary" : "my-host.com", exchange.Upstream!.Headers.Get(":authority"));
        }

        // Both routes are taken, the numbers vary over the whole 32-bit range.
        Assert.Contains(values, v => v % 2 == 0);
        Assert.Contains(values, v => v % 2 == 1);
        Assert.True(values.Distinct().Count() > 190);
        Assert.Contains(values, v => v > uint.MaxValue / 2);
        Assert.Contains(values, v => v > 255);
    }

    [Fact]
    public void The_sequence_follows_the_host_clock_so_a_fixed_clock_repeats_it_and_another_clock_changes_it()
    {
        DateTimeOffset fixedTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        uint[] Draw(DateTimeOffset time)
        {
            using ProxyWasmHost host = Host(clock: () => time);
            return Enumerable.Range(0, 20).Select(_ => uint.Parse(host.Send(Request()).Logs.Single().Message.TrimEnd('\n')["value: ".Length..], CultureInfo.InvariantCulture)).ToArray();
        }

        Assert.Equal(Draw(fixedTime), Draw(fixedTime));
        Assert.NotEqual(Draw(fixedTime), Draw(fixedTime.AddMilliseconds(1)));
    }

    [Fact]
    public void An_even_number_without_authority_logs_critical_and_pauses_the_request()
    {
        using ProxyWasmHost host = Host([2]);
        HttpStreamContext stream = host.CreateHttpStream();
        var headers = new HeaderList(new[] { (":path", "/") });
        Assert.Equal(FilterHeadersStatus.StopIteration, stream.OnRequestHeaders(headers, endOfStream: true));
        Assert.Equal(new[] { new LogEntry(LogLevel.Info, "value: 2\n"), new LogEntry(LogLevel.Critical, "failed to get request header: ':authority'") }, host.Logs);
        Assert.Equal(new[] { (":path", "/") }, headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Null(stream.LocalResponse);
        Assert.Equal(0, stream.RequestResumeCount);
        stream.Complete();
    }

    [Fact]
    public void An_odd_number_without_authority_continues()
    {
        using ProxyWasmHost host = Host([3]);
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(new HeaderList(new[] { (":path", "/") }), endOfStream: true));
        Assert.Equal(new[] { new LogEntry(LogLevel.Info, "value: 3\n") }, host.Logs);
        stream.Complete();
    }

    [Fact]
    public void An_empty_or_long_authority_gets_the_suffix_too()
    {
        using ProxyWasmHost host = Host([2]);
        Assert.Equal("-canary", host.Send(Request("")).Upstream!.Headers.Get(":authority"));
        string longAuthority = new('a', 1000);
        Assert.Equal(longAuthority + "-canary", host.Send(Request(longAuthority)).Upstream!.Headers.Get(":authority"));
        Assert.Equal(0, HostMemory.LiveBlocks);
    }
}
