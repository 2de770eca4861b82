// Corpus: local rate limiting with the plugin tick (the Go SDK "dispatch_call_on_tick" / token bucket examples):
// the tick refills the bucket; each request takes a token or is answered 429.
using System;
using ProxyWasm;

namespace Corpus.LocalRateLimit;

public sealed class RateLimitPlugin
{
    public int Capacity = 100;
    public int Tokens = 100;

    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        if (System.Buffers.Text.Utf8Parser.TryParse(configuration, out int capacity, out _) && capacity > 0)
        {
            Capacity = capacity;
            Tokens = capacity;
        }

        Plugin.SetTickPeriod(1000);
        return true;
    }

    [OnTick]
    public void OnTick() => Tokens = Capacity;
}

[HttpFilter("rate_limit", Plugin = typeof(RateLimitPlugin))]
public partial class LocalRateLimit
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, RateLimitPlugin plugin, HttpStream stream)
    {
        if (plugin.Tokens > 0)
        {
            plugin.Tokens--;
            return FilterHeadersStatus.Continue;
        }

        Span<byte> buffer = stackalloc byte[48];
        var responseHeaders = new PairsWriter(buffer, count: 1);
        responseHeaders.Add("retry-after"u8, "1"u8);
        stream.SendLocalResponse(429, "rate limited\n"u8, responseHeaders.WrittenSpan);
        return FilterHeadersStatus.StopIteration;
    }
}
