// Corpus: metrics (the Rust SDK "http_headers" + metrics examples): counters defined once per configuration,
// incremented per request and per response class; a gauge of in-flight requests.
using System;
using ProxyWasm;
using ProxyWasm.Abi;

namespace Corpus.Metrics;

public sealed unsafe class MetricsPlugin
{
    public uint Requests;
    public uint Responses5xx;
    public uint InFlight;

    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration) =>
        Define(MetricType.Counter, "corpus_requests_total"u8, out Requests)
        && Define(MetricType.Counter, "corpus_responses_5xx_total"u8, out Responses5xx)
        && Define(MetricType.Gauge, "corpus_requests_in_flight"u8, out InFlight);

    private static bool Define(MetricType type, ReadOnlySpan<byte> name, out uint id)
    {
        uint metric = 0;
        fixed (byte* data = name)
        {
            ProxyStatus status = HostCalls.proxy_define_metric(type, data, (nuint)name.Length, &metric);
            id = metric;
            return status == ProxyStatus.Ok;
        }
    }
}

[HttpFilter("metrics", Plugin = typeof(MetricsPlugin), OnError = FailurePolicy.FailOpen)]
public partial class Metrics
{
    private bool _counted;

    [OnRequestHeaders]
    public void OnRequestHeaders(MetricsPlugin plugin)
    {
        HostCalls.proxy_increment_metric(plugin.Requests, 1);
        HostCalls.proxy_increment_metric(plugin.InFlight, 1);
        _counted = true;
    }

    [OnResponseHeaders]
    public void OnResponseHeaders(ResponseHeaders headers, MetricsPlugin plugin)
    {
        ReadOnlySpan<byte> status = headers.GetValue(":status"u8);
        if (status.Length == 3 && status[0] == (byte)'5')
        {
            HostCalls.proxy_increment_metric(plugin.Responses5xx, 1);
        }
    }

    [OnStreamDone]
    public bool OnStreamDone(MetricsPlugin plugin)
    {
        if (_counted)
        {
            HostCalls.proxy_increment_metric(plugin.InFlight, -1);
            _counted = false;
        }

        return true;
    }
}
