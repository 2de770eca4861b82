using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>network</c> example, a network filter in front of <c>tcp_proxy</c>:
/// <list type="bullet">
/// <item>new connection: info <c>new connection!</c>, Continue;</item>
/// <item>downstream data (nothing when the size is 0): reads <c>[0, size)</c> (an error other than not found logs
/// critical <c>failed to get downstream data: &lt;err&gt;</c>) and logs info
/// <c>&gt;&gt;&gt;&gt;&gt;&gt; downstream data received &gt;&gt;&gt;&gt;&gt;&gt;⏎&lt;data&gt;</c>;</item>
/// <item>downstream close: info <c>downstream connection close!</c>;</item>
/// <item>upstream data (nothing when the size is 0): property <c>upstream</c>/<c>address</c> (a failure logs warn
/// <c>failed to get upstream remote address: &lt;err&gt;</c>), always info <c>remote address: &lt;addr&gt;</c>; the
/// property map <c>cluster_metadata</c>/<c>filter_metadata</c>/<c>location</c> (a failure logs warn
/// <c>failed to get upstream location metadata: &lt;err&gt;</c>), info
/// <c>upstream cluster metadata location[&lt;k&gt;]=&lt;v&gt;</c> per pair; the data (an error other than not found logs
/// critical <c>failed to get upstream data: &lt;err&gt;</c>), info
/// <c>&lt;&lt;&lt;&lt;&lt;&lt; upstream data received &lt;&lt;&lt;&lt;&lt;&lt;⏎&lt;data&gt;</c>; Continue;</item>
/// <item>the end (<c>[OnLog]</c>: the Go SDK runs OnStreamDone on <c>proxy_on_log</c>): adds 1 to
/// <c>proxy_wasm_go.connection_counter</c> and logs info <c>connection complete!</c>.</item>
/// </list>
/// </summary>
[NetworkFilter("network", Plugin = typeof(NetworkPlugin))]
public partial class Network
{
    private static ReadOnlySpan<byte> UpstreamAddress => "upstream\0address"u8;

    private static ReadOnlySpan<byte> LocationMetadata => "cluster_metadata\0filter_metadata\0location"u8;

    [OnNewConnection]
    public FilterStatus OnNewConnection()
    {
        Log.Info("new connection!"u8);
        return FilterStatus.Continue;
    }

    [OnDownstreamData]
    public FilterStatus OnDownstreamData(DownstreamData data, int size)
    {
        if (size == 0)
        {
            return FilterStatus.Continue;
        }

        ProxyStatus status = data.TryGetBytes(0, size, out ReadOnlySpan<byte> bytes);
        if (status is not (ProxyStatus.Ok or ProxyStatus.NotFound))
        {
            GoErrors.LogCritical("failed to get downstream data: "u8, status);
            return FilterStatus.Continue;
        }

        LogData(">>>>>> downstream data received >>>>>>\n"u8, bytes);
        return FilterStatus.Continue;
    }

    [OnDownstreamConnectionClose]
    public void OnDownstreamClose() => Log.Info("downstream connection close!"u8);

    [OnUpstreamData]
    public FilterStatus OnUpstreamData(UpstreamData data, int size)
    {
        if (size == 0)
        {
            return FilterStatus.Continue;
        }

        ProxyStatus status = Properties.TryGet(UpstreamAddress, out ReadOnlySpan<byte> address);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.Log(LogLevel.Warn, "failed to get upstream remote address: "u8, status);
            address = default;
        }

        LogData("remote address: "u8, address);

        status = Properties.TryGet(LocationMetadata, out ReadOnlySpan<byte> serialized);
        if (status == ProxyStatus.Ok && HeaderPairs.TryParse(serialized, out HeaderPairs location) == PairsError.None)
        {
            foreach (HeaderPair pair in location)
            {
                LogLocation(pair.Name, pair.Value);
            }
        }
        else
        {
            // A map the module cannot parse is reported as the host's serialization failure.
            GoErrors.Log(LogLevel.Warn, "failed to get upstream location metadata: "u8, status == ProxyStatus.Ok ? ProxyStatus.SerializationFailure : status);
        }

        status = data.TryGetBytes(0, size, out ReadOnlySpan<byte> bytes);
        if (status is not (ProxyStatus.Ok or ProxyStatus.NotFound))
        {
            GoErrors.LogCritical("failed to get upstream data: "u8, status);
            return FilterStatus.Continue;
        }

        LogData("<<<<<< upstream data received <<<<<<\n"u8, bytes);
        return FilterStatus.Continue;
    }

    /// <summary>The Go example's OnStreamDone.</summary>
    [OnLog]
    public void OnLog(NetworkPlugin plugin)
    {
        plugin.ConnectionCompleted();
        Log.Info("connection complete!"u8);
    }

    private static void LogLocation(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("upstream cluster metadata location["u8);
        line.Append(key);
        line.Append("]="u8);
        line.Append(value);
        Log.Info(line.AsSpan());
        line.Dispose();
    }

    private static void LogData(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[512]);
        line.Append(prefix);
        line.Append(data);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}

/// <summary>The plugin of <see cref="Network"/>: defines the counter <c>proxy_wasm_go.connection_counter</c> once per
/// root context (a failure logs critical <c>failed to define counter: &lt;err&gt;</c> and rejects the
/// configuration: the Go example panics) and counts completed connections.</summary>
public sealed class NetworkPlugin
{
    private Counter _connections;

    [OnConfigure]
    public bool OnConfigure()
    {
        ProxyStatus status = Counter.Define("proxy_wasm_go.connection_counter"u8, out _connections);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("failed to define counter: "u8, status);
            return false;
        }

        return true;
    }

    /// <summary>Adds 1 to the connection counter.</summary>
    internal void ConnectionCompleted() => _connections.Increment();
}
