using ProxyWasm;

namespace MyFilter;

#if (network)
#if (plugin)
/// <summary>
/// A network (TCP) filter, root id <c>filter_root_id</c>, one instance per connection: logs each new connection and each
/// chunk of downstream data, and closes a connection whose client sends a chunk larger than the plugin configuration's
/// <see cref="FilterClassConfiguration.MaxChunkBytes"/>. Data passes unchanged otherwise.
/// </summary>
[NetworkFilter("filter_root_id", Plugin = typeof(FilterClassPlugin))]
#else
/// <summary>
/// A network (TCP) filter, root id <c>filter_root_id</c>, one instance per connection: logs each new connection, each
/// chunk of downstream data and the client closing; the data passes unchanged.
/// </summary>
[NetworkFilter("filter_root_id")]
#endif
public partial class FilterClass
{
    [OnNewConnection]
    public FilterStatus OnNewConnection()
    {
        Log.Info("filter_root_id: new connection"u8);
        return FilterStatus.Continue;
    }

    /// <summary><paramref name="size"/> is the number of bytes buffered: this chunk, since the hook returns Continue.</summary>
    [OnDownstreamData]
#if (plugin)
    public FilterStatus OnDownstreamData(DownstreamData data, int size, NetworkStream connection, FilterClassConfiguration configuration)
    {
        if (size > configuration.MaxChunkBytes)
        {
            Log.Warn("filter_root_id: downstream chunk too large, closing the connection"u8);
            connection.CloseDownstream();
            return FilterStatus.StopIteration;
        }

#else
    public FilterStatus OnDownstreamData(DownstreamData data, int size)
    {
#endif
        // Log messages are UTF-8 bytes built on the stack: nothing is allocated per chunk (the hot-path analyzers
        // PXW1xxx report what would be).
        var line = new Utf8ValueBuilder(stackalloc byte[64]);
        line.Append("filter_root_id: "u8);
        line.Append(size);
        line.Append(" bytes from downstream"u8);
        Log.Info(line.AsSpan());
        line.Dispose();
        return FilterStatus.Continue;
    }

    [OnDownstreamConnectionClose]
    public void OnDownstreamConnectionClose() => Log.Info("filter_root_id: downstream closed"u8);
}
#else
#if (plugin)
/// <summary>
/// An HTTP filter, root id <c>filter_root_id</c>, one instance per request: adds the request header named by the plugin
/// configuration (<see cref="FilterClassConfiguration"/>; by default <c>x-filter-header-name: Hello from FilterClass</c>)
/// before the request goes upstream, replacing any value the client sent.
/// </summary>
[HttpFilter("filter_root_id", Plugin = typeof(FilterClassPlugin))]
public partial class FilterClass
{
    /// <summary>Any hook can take the configuration the plugin accepted: the glue passes it without a lookup.</summary>
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, FilterClassConfiguration configuration)
    {
        headers.Replace(configuration.Utf8Header, configuration.Utf8Value);
        return FilterHeadersStatus.Continue;
    }
}
#else
/// <summary>
/// An HTTP filter, root id <c>filter_root_id</c>, one instance per request: adds the request header
/// <c>x-filter-header-name: Hello from FilterClass</c> before the request goes upstream, replacing any value the client
/// sent.
/// </summary>
[HttpFilter("filter_root_id")]
public partial class FilterClass
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)
    {
        // "..."u8 literals are UTF-8 bytes in the module's data: nothing is allocated per request.
        headers.Replace("x-filter-header-name"u8, "Hello from FilterClass"u8);
        return FilterHeadersStatus.Continue;
    }
}
#endif
#endif
