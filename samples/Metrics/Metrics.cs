using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>metrics</c>: a request whose headers hold <c>my-custom-header: &lt;v&gt;</c> adds 1 to the counter
/// <c>custom_header_value_counts_value=&lt;v&gt;_reporter=wasmgosdk</c>, defined (<c>proxy_define_metric</c>, type
/// counter) the first time a value is seen and then taken from the plugin's cache
/// (<see cref="MetricsSamplePlugin"/>). Without the header nothing happens. The request always continues. Envoy's
/// <c>stats_config.stats_tags</c> in the example's bootstrap turns <c>value</c> and <c>reporter</c> into tags, so
/// Prometheus shows <c>custom_header_value_counts{value="foo",reporter="wasmgosdk"}</c>.
/// </summary>
/// <remarks>
/// Where the port differs: the Go example caches the counters in a package-global map shared by every plugin context
/// of the VM; here the cache is the plugin's (a hook that writes static state is PXW2009), so a second plugin context
/// defines the same names once more, which Envoy answers with the same stat. A failed definition, on which the Go
/// example panics, is not cached and nothing is counted. Nothing allocates per request: the cache is a fixed table
/// created with the plugin.
/// </remarks>
[HttpFilter("metrics", Plugin = typeof(MetricsSamplePlugin))]
public partial class MetricsSample
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, MetricsSamplePlugin plugin)
    {
        if (headers.TryGetValue("my-custom-header"u8, out ReadOnlySpan<byte> value) && plugin.CounterFor(value, out Counter counter))
        {
            counter.Increment();
        }

        return FilterHeadersStatus.Continue;
    }
}

/// <summary>
/// The plugin (one per root context) of <see cref="MetricsSample"/>: the counters defined so far, by header value, in a
/// fixed table of <see cref="Capacity"/> entries whose values share one <see cref="ArenaSize"/>-byte buffer, all created
/// with the plugin. A value seen for the first time is defined and cached while there is room; once the table is full
/// (or for a value longer than the space left), the counter is defined again on every such request (Envoy finds the
/// stat of that name), so counting stays right and nothing allocates.
/// </summary>
public sealed class MetricsSamplePlugin
{
    /// <summary>How many distinct header values are cached.</summary>
    public const int Capacity = 64;

    /// <summary>Bytes of header values the cache holds in all.</summary>
    public const int ArenaSize = 4096;

    private readonly byte[] _arena = new byte[ArenaSize];
    private readonly int[] _offsets = new int[Capacity];
    private readonly int[] _lengths = new int[Capacity];
    private readonly Counter[] _counters = new Counter[Capacity];
    private int _count;
    private int _used;

    /// <summary>How many header values are cached.</summary>
    public int CachedCount => _count;

    /// <summary>The counter of header value <paramref name="value"/>: cached, or defined now.</summary>
    /// <returns><see langword="false"/> when the host refused to define it.</returns>
    internal bool CounterFor(ReadOnlySpan<byte> value, out Counter counter)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_arena.AsSpan(_offsets[i], _lengths[i]).SequenceEqual(value))
            {
                counter = _counters[i];
                return true;
            }
        }

        var name = new Utf8ValueBuilder(stackalloc byte[128]);
        name.Append("custom_header_value_counts_value="u8);
        name.Append(value);
        name.Append("_reporter=wasmgosdk"u8);
        ProxyStatus status = Counter.Define(name.AsSpan(), out counter);
        name.Dispose();
        if (status != ProxyStatus.Ok)
        {
            return false;
        }

        if (_count < Capacity && value.Length <= ArenaSize - _used)
        {
            value.CopyTo(_arena.AsSpan(_used));
            _offsets[_count] = _used;
            _lengths[_count] = value.Length;
            _counters[_count] = counter;
            _used += value.Length;
            _count++;
        }

        return true;
    }
}
