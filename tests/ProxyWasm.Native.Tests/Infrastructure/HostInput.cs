using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>One event of every TCP connection the host runs (<c>downstream_data</c>, <c>upstream_data</c>,
/// <c>downstream_close</c>, <c>upstream_close</c>).</summary>
internal sealed record ConnectionEvent(string Key, byte[] Data, bool EndOfStream, uint PeerType)
{
    /// <summary>A chunk from the client: one <c>proxy_on_downstream_data</c>.</summary>
    public static ConnectionEvent Downstream(string data, bool endOfStream = false) => new("downstream_data", Encoding.UTF8.GetBytes(data), endOfStream, 0);

    /// <summary>A chunk from the upstream server: one <c>proxy_on_upstream_data</c>.</summary>
    public static ConnectionEvent Upstream(string data, bool endOfStream = false) => new("upstream_data", Encoding.UTF8.GetBytes(data), endOfStream, 0);

    /// <summary>The client connection closes (peer 0 unknown, 1 local, 2 remote); ends the events.</summary>
    public static ConnectionEvent DownstreamClose(uint peerType) => new("downstream_close", [], false, peerType);

    /// <summary>The upstream connection closes.</summary>
    public static ConnectionEvent UpstreamClose(uint peerType) => new("upstream_close", [], false, peerType);
}

/// <summary>What the C host is asked to do: the input file of proxywasm_host (see the comment at the top of
/// host/host.h).</summary>
internal sealed class HostInput
{
    public string? RootId { get; init; }

    public string? PluginConfiguration { get; init; }

    public string? VmConfiguration { get; init; }

    public int? LogLevel { get; init; }

    public int Streams { get; init; } = 1;

    public List<(string Name, string Value)> RequestHeaders { get; init; } = [];

    public List<(string Name, string Value)> ResponseHeaders { get; init; } = [];

    /// <summary>The upstream response body, chunk by chunk, any bytes (<c>response_body</c>, one line a chunk); empty:
    /// the response ends with its headers.</summary>
    public List<byte[]> ResponseBody { get; init; } = [];

    /// <summary>The upstream clusters proxy_http_call, proxy_grpc_call and proxy_grpc_stream accept (<c>cluster</c>);
    /// empty: any.</summary>
    public List<string> Clusters { get; init; } = [];

    /// <summary>The headers of the answer to every HTTP call (<c>callout_response_header</c>); empty: the host answers
    /// with <c>:status: 200</c>.</summary>
    public List<(string Name, string Value)> CalloutResponseHeaders { get; init; } = [];

    /// <summary>The body of that answer (<c>callout_response_body</c>), any bytes; null: empty.</summary>
    public byte[]? CalloutResponseBody { get; init; }

    /// <summary>The trailers of that answer (<c>callout_response_trailer</c>).</summary>
    public List<(string Name, string Value)> CalloutResponseTrailers { get; init; } = [];

    /// <summary>Fail every HTTP call instead (<c>callout_failure</c>): <c>reset</c> or <c>timeout</c>.</summary>
    public string? CalloutFailure { get; init; }

    /// <summary>The message that answers every gRPC call and stream (<c>grpc_response_message</c>), any bytes; null:
    /// the host answers with an empty message.</summary>
    public byte[]? GrpcResponseMessage { get; init; }

    /// <summary>End every unary gRPC call with <c>proxy_on_grpc_close</c> instead, and every stream after its message
    /// (<c>grpc_close</c>): the status code and the message proxy_get_status gives.</summary>
    public (uint Code, string Message)? GrpcClose { get; init; }

    /// <summary>Initial metadata delivered first to every gRPC call (<c>grpc_initial_metadata</c>).</summary>
    public List<(string Name, string Value)> GrpcInitialMetadata { get; init; } = [];

    /// <summary>Trailing metadata of every gRPC call (<c>grpc_trailing_metadata</c>).</summary>
    public List<(string Name, string Value)> GrpcTrailingMetadata { get; init; } = [];

    /// <summary>How many times in all the host calls <c>proxy_on_tick</c> (<c>ticks</c>): one at a time while a stream
    /// is paused with none of its calls left to answer, the rest after the last stream; only while the module has set
    /// a non-zero tick period. Null: none.</summary>
    public int? Ticks { get; init; }

    /// <summary>What <c>proxy_get_current_time_nanoseconds</c> returns (<c>clock</c>), nanoseconds since the Unix
    /// epoch; null: the real time.</summary>
    public ulong? ClockNanoseconds { get; init; }

    /// <summary>The chunks of every stream's request body (<c>request_body</c>), any bytes; empty: no body.</summary>
    public List<byte[]> RequestBody { get; init; } = [];

    /// <summary>Shared-data values another VM wrote before the run (<c>shared_data</c>).</summary>
    public List<(string Key, byte[] Value)> SharedData { get; init; } = [];

    /// <summary>Writes another VM makes right before the module's next conditional write of that key
    /// (<c>shared_data_race</c>), one each.</summary>
    public List<(string Key, byte[] Value)> SharedDataRaces { get; init; } = [];

    /// <summary>Properties for <c>proxy_get_property</c> (<c>property</c>): the path with its segments joined by NUL
    /// (<c>"upstream\0address"</c>), the value any bytes (an int as 8 bytes little-endian, as Envoy encodes it); they
    /// override what the host derives.</summary>
    public List<(string Path, byte[] Value)> Properties { get; init; } = [];

    /// <summary>The VM id (<c>vm_id</c>): <c>plugin_vm_id</c> and the key of this VM's shared queues; null: empty.</summary>
    public string? VmId { get; init; }

    /// <summary>More plugins (<c>plugin</c>): root contexts 2, 3... with their root id and configuration.</summary>
    public List<(string RootId, string Configuration)> Plugins { get; init; } = [];

    /// <summary>The root context of each stream, in order (<c>stream_roots</c>); the last for the rest; empty: 1.</summary>
    public List<uint> StreamRoots { get; init; } = [];

    /// <summary>The root context of each connection (<c>connection_roots</c>).</summary>
    public List<uint> ConnectionRoots { get; init; } = [];

    /// <summary>How many TCP connections to run after the streams (<c>connections</c>), each with <see cref="ConnectionEvents"/>.</summary>
    public int Connections { get; init; }

    /// <summary>What happens on every connection, in order.</summary>
    public List<ConnectionEvent> ConnectionEvents { get; init; } = [];

    /// <summary>Foreign functions (<c>foreign_function</c>): a null result is the identity function, else the fixed result
    /// (any bytes).</summary>
    public List<(string Name, byte[]? FixedResult)> ForeignFunctions { get; init; } = [];

    /// <summary>The host's calls of <c>proxy_on_foreign_function</c> (<c>call_foreign_function</c>).</summary>
    public List<(uint Root, uint FunctionId, string Arguments)> ForeignFunctionCalls { get; init; } = [];

    /// <summary>Queues another VM registered before this one starts (<c>shared_queue</c>), ids 1, 2...</summary>
    public List<(string VmId, string Name)> SharedQueues { get; init; } = [];

    /// <summary>Messages other VMs enqueue after the plugins started (<c>queue_message</c>).</summary>
    public List<(string VmId, string Name, string Message)> QueueMessages { get; init; } = [];

    /// <summary>refuse_local_response: proxy_send_local_response answers InternalFailure (host_faults.c).</summary>
    public bool RefuseLocalResponse { get; init; }

    /// <summary>odd_order lines: callback orders a well-behaved host never uses (host_faults.c).</summary>
    public List<string> OddOrders { get; init; } = [];

    public string Render()
    {
        var text = new StringBuilder();
        void Line(params string[] fields) => text.Append(string.Join('\t', fields.Select(Escape))).Append('\n');
        void Headers(string key, List<(string Name, string Value)> headers)
        {
            foreach ((string name, string value) in headers)
            {
                Line(key, name, value);
            }
        }

        if (RootId is not null)
        {
            Line("root_id", RootId);
        }

        if (VmConfiguration is not null)
        {
            Line("vm_configuration", VmConfiguration);
        }

        if (PluginConfiguration is not null)
        {
            Line("plugin_configuration", PluginConfiguration);
        }

        if (LogLevel is int level)
        {
            Line("log_level", level.ToString(CultureInfo.InvariantCulture));
        }

        Line("streams", Streams.ToString(CultureInfo.InvariantCulture));
        if (RefuseLocalResponse)
        {
            text.Append("refuse_local_response\n");
        }

        foreach (string order in OddOrders)
        {
            Line("odd_order", order);
        }

        foreach ((string path, byte[] value) in Properties)
        {
            text.Append("property\t").Append(EscapeBytes(Encoding.UTF8.GetBytes(path))).Append('\t').Append(EscapeBytes(value)).Append('\n');
        }

        Headers("request_header", RequestHeaders);
        Headers("response_header", ResponseHeaders);
        foreach (byte[] chunk in ResponseBody)
        {
            text.Append("response_body\t").Append(EscapeBytes(chunk)).Append('\n');
        }

        foreach (string cluster in Clusters)
        {
            Line("cluster", cluster);
        }

        Headers("callout_response_header", CalloutResponseHeaders);
        Headers("callout_response_trailer", CalloutResponseTrailers);
        if (CalloutResponseBody is { } body)
        {
            text.Append("callout_response_body\t").Append(EscapeBytes(body)).Append('\n');
        }

        if (CalloutFailure is not null)
        {
            Line("callout_failure", CalloutFailure);
        }

        if (GrpcResponseMessage is { } message)
        {
            text.Append("grpc_response_message\t").Append(EscapeBytes(message)).Append('\n');
        }

        if (GrpcClose is { } close)
        {
            Line("grpc_close", close.Code.ToString(CultureInfo.InvariantCulture), close.Message);
        }

        Headers("grpc_initial_metadata", GrpcInitialMetadata);
        Headers("grpc_trailing_metadata", GrpcTrailingMetadata);
        if (Ticks is int ticks)
        {
            Line("ticks", ticks.ToString(CultureInfo.InvariantCulture));
        }

        if (ClockNanoseconds is ulong clock)
        {
            Line("clock", clock.ToString(CultureInfo.InvariantCulture));
        }

        foreach (byte[] chunk in RequestBody)
        {
            text.Append("request_body\t").Append(EscapeBytes(chunk)).Append('\n');
        }

        foreach ((string key, byte[] value) in SharedData)
        {
            text.Append("shared_data\t").Append(Escape(key)).Append('\t').Append(EscapeBytes(value)).Append('\n');
        }

        foreach ((string key, byte[] value) in SharedDataRaces)
        {
            text.Append("shared_data_race\t").Append(Escape(key)).Append('\t').Append(EscapeBytes(value)).Append('\n');
        }

        if (VmId is not null)
        {
            Line("vm_id", VmId);
        }

        foreach ((string rootId, string configuration) in Plugins)
        {
            Line("plugin", rootId, configuration);
        }

        if (StreamRoots.Count > 0)
        {
            Line("stream_roots", string.Join(',', StreamRoots));
        }

        if (ConnectionRoots.Count > 0)
        {
            Line("connection_roots", string.Join(',', ConnectionRoots));
        }

        if (Connections != 0)
        {
            Line("connections", Connections.ToString(CultureInfo.InvariantCulture));
        }

        foreach (ConnectionEvent e in ConnectionEvents)
        {
            if (e.Key.EndsWith("_data", StringComparison.Ordinal))
            {
                text.Append(e.Key).Append('\t').Append(EscapeBytes(e.Data)).Append('\t').Append(e.EndOfStream ? '1' : '0').Append('\n');
            }
            else
            {
                Line(e.Key, e.PeerType.ToString(CultureInfo.InvariantCulture));
            }
        }

        foreach ((string name, byte[]? result) in ForeignFunctions)
        {
            if (result is null)
            {
                Line("foreign_function", name, "identity");
            }
            else
            {
                text.Append("foreign_function\t").Append(Escape(name)).Append("\tfixed\t").Append(EscapeBytes(result)).Append('\n');
            }
        }

        foreach ((uint root, uint id, string arguments) in ForeignFunctionCalls)
        {
            Line("call_foreign_function", root.ToString(CultureInfo.InvariantCulture), id.ToString(CultureInfo.InvariantCulture), arguments);
        }

        foreach ((string vmId, string name) in SharedQueues)
        {
            Line("shared_queue", vmId, name);
        }

        foreach ((string vmId, string name, string value) in QueueMessages)
        {
            Line("queue_message", vmId, name, value);
        }

        return text.ToString();
    }

    /// <summary>A map in the pairs format (count, sizes, NUL-terminated names and values), the encoding of a map
    /// property such as cluster metadata.</summary>
    public static byte[] Pairs(params (string Name, string Value)[] pairs)
    {
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes(pairs.Length));
        foreach ((string name, string value) in pairs)
        {
            bytes.AddRange(BitConverter.GetBytes(Encoding.UTF8.GetByteCount(name)));
            bytes.AddRange(BitConverter.GetBytes(Encoding.UTF8.GetByteCount(value)));
        }

        foreach ((string name, string value) in pairs)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(name));
            bytes.Add(0);
            bytes.AddRange(Encoding.UTF8.GetBytes(value));
            bytes.Add(0);
        }

        return [.. bytes];
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");

    /// <summary>Printable ASCII as is (backslash doubled), every other byte as <c>\xHH</c>.</summary>
    private static string EscapeBytes(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            if (b == (byte)'\\')
            {
                text.Append("\\\\");
            }
            else if (b >= 0x20 && b < 0x7f)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
