using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// A counter (<c>proxy_define_metric(COUNTER)</c>): a value that only goes up. Define it once, in <c>[OnConfigure]</c>
/// or on first use, keep the handle in the plugin, and count on the request path with no allocation. Envoy exposes it
/// as a stat of that name; its convention encodes tags in the name (e.g. <c>my_filter.requests.method.GET</c>, with the
/// tag extraction configured in the bootstrap's <c>stats_config</c>).
/// </summary>
public readonly struct Counter
{
    private Counter(uint id) => Id = id;

    /// <summary>The host's metric id (0: not defined).</summary>
    public uint Id { get; }

    /// <summary>Defines (or finds) the counter <paramref name="name"/> (<c>proxy_define_metric</c>).</summary>
    /// <returns>Ok; BadArgument.</returns>
    public static ProxyStatus Define(ReadOnlySpan<byte> name, out Counter counter)
    {
        ProxyStatus status = Metric.Define(MetricType.Counter, name, out uint id);
        counter = new Counter(id);
        return status;
    }

    /// <summary>Adds <paramref name="offset"/> (<c>proxy_increment_metric</c>).</summary>
    /// <returns>Ok; BadArgument for a negative offset (counters only go up; the host is not called); NotFound.</returns>
    public ProxyStatus Increment(long offset = 1) => offset < 0 ? ProxyStatus.BadArgument : HostCalls.proxy_increment_metric(Id, offset);

    /// <summary>Reads the value (<c>proxy_get_metric</c>).</summary>
    /// <returns>Ok; NotFound.</returns>
    public ProxyStatus Get(out ulong value) => Metric.Get(Id, out value);
}

/// <summary>A gauge (<c>proxy_define_metric(GAUGE)</c>): a value that goes up and down, or is set.</summary>
public readonly struct Gauge
{
    private Gauge(uint id) => Id = id;

    /// <summary>The host's metric id (0: not defined).</summary>
    public uint Id { get; }

    /// <summary>Defines (or finds) the gauge <paramref name="name"/> (<c>proxy_define_metric</c>).</summary>
    /// <returns>Ok; BadArgument.</returns>
    public static ProxyStatus Define(ReadOnlySpan<byte> name, out Gauge gauge)
    {
        ProxyStatus status = Metric.Define(MetricType.Gauge, name, out uint id);
        gauge = new Gauge(id);
        return status;
    }

    /// <summary>Adds <paramref name="delta"/>, which may be negative (<c>proxy_increment_metric</c>).</summary>
    /// <returns>Ok; NotFound.</returns>
    public ProxyStatus Increment(long delta) => HostCalls.proxy_increment_metric(Id, delta);

    /// <summary>Sets the value (<c>proxy_record_metric</c>).</summary>
    /// <returns>Ok; NotFound.</returns>
    public ProxyStatus Set(ulong value) => HostCalls.proxy_record_metric(Id, value);

    /// <summary>Reads the value (<c>proxy_get_metric</c>).</summary>
    /// <returns>Ok; NotFound.</returns>
    public ProxyStatus Get(out ulong value) => Metric.Get(Id, out value);
}

/// <summary>A histogram (<c>proxy_define_metric(HISTOGRAM)</c>): values are recorded, and cannot be read back from the
/// module (Envoy aggregates them into its stats).</summary>
public readonly struct Histogram
{
    private Histogram(uint id) => Id = id;

    /// <summary>The host's metric id (0: not defined).</summary>
    public uint Id { get; }

    /// <summary>Defines (or finds) the histogram <paramref name="name"/> (<c>proxy_define_metric</c>).</summary>
    /// <returns>Ok; BadArgument.</returns>
    public static ProxyStatus Define(ReadOnlySpan<byte> name, out Histogram histogram)
    {
        ProxyStatus status = Metric.Define(MetricType.Histogram, name, out uint id);
        histogram = new Histogram(id);
        return status;
    }

    /// <summary>Records <paramref name="value"/> (<c>proxy_record_metric</c>), in the histogram's unit (e.g. milliseconds).</summary>
    /// <returns>Ok; NotFound.</returns>
    public ProxyStatus Record(ulong value) => HostCalls.proxy_record_metric(Id, value);
}

internal static unsafe class Metric
{
    public static ProxyStatus Define(MetricType type, ReadOnlySpan<byte> name, out uint id)
    {
        uint result = 0;
        ProxyStatus status;
        fixed (byte* data = name)
        {
            status = HostCalls.proxy_define_metric(type, data, (nuint)name.Length, &result);
        }

        id = status == ProxyStatus.Ok ? result : 0;
        return status;
    }

    public static ProxyStatus Get(uint id, out ulong value)
    {
        ulong result = 0;
        ProxyStatus status = HostCalls.proxy_get_metric(id, &result);
        value = status == ProxyStatus.Ok ? result : 0;
        return status;
    }
}
