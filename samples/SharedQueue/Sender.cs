using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The HTTP side of the Go SDK's <c>shared_queue</c> sender (root id <c>sender</c>, configuration <c>http</c>). On
/// request headers it resolves the queues <c>http_request_headers</c> and <c>http_response_headers</c> in VM id
/// <c>receiver</c> (each failure logs critical <c>error resolving queue id: &lt;err&gt;</c>; the Go example resolves them
/// when the stream is created, this port in its first hook) and enqueues every request header as
/// <c>{"key": "&lt;k&gt;","value": "&lt;v&gt;"}</c> (no escaping), logging info <c>enqueued data: &lt;msg&gt;</c> or
/// critical <c>error queueing: &lt;err&gt;</c>; on response headers the same on the response queue, logging
/// <c>(contextID=&lt;id&gt;) enqueued data: &lt;msg&gt;</c>. Both continue. With another configuration the stream
/// passes untouched (the Go sender creates no HTTP context then).
/// </summary>
[HttpFilter("sender", Plugin = typeof(SenderPlugin))]
public partial class HttpSender
{
    private SharedQueue _requests;
    private SharedQueue _responses;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, SenderPlugin plugin)
    {
        if (!plugin.IsHttp)
        {
            return FilterHeadersStatus.Continue;
        }

        _requests = SenderPlugin.Resolve("http_request_headers"u8);
        _responses = SenderPlugin.Resolve("http_response_headers"u8);
        foreach (HeaderPair header in headers.GetAll())
        {
            SenderPlugin.EnqueueHeader(_requests, header, 0);
        }

        return FilterHeadersStatus.Continue;
    }

    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers, SenderPlugin plugin, HttpStream stream)
    {
        if (!plugin.IsHttp)
        {
            return FilterHeadersStatus.Continue;
        }

        foreach (HeaderPair header in headers.GetAll())
        {
            SenderPlugin.EnqueueHeader(_responses, header, stream.ContextId);
        }

        return FilterHeadersStatus.Continue;
    }
}

/// <summary>
/// The TCP side of the sender (root id <c>sender_tcp</c>, configuration <c>tcp</c>): a new connection resolves
/// <c>tcp_data_hashes</c> in VM id <c>receiver</c> (a failure logs critical <c>error resolving queue id: &lt;err&gt;</c>);
/// each upstream chunk (nothing when the size is 0) is hashed with FNV-1a 128, hex-encoded in lower case (32
/// characters), enqueued and logged as info <c>(contextID=&lt;ctx&gt;) enqueued data: &lt;hex&gt;</c> (critical
/// <c>failed to get upstream data: &lt;err&gt;</c> for a read error other than not found, <c>error queueing:
/// &lt;err&gt;</c> for an enqueue error). Downstream data is not hashed. Every hook continues.
/// </summary>
[NetworkFilter("sender_tcp", Plugin = typeof(SenderPlugin))]
public partial class TcpSender
{
    private SharedQueue _hashes;

    [OnNewConnection]
    public FilterStatus OnNewConnection(SenderPlugin plugin)
    {
        if (plugin.IsTcp)
        {
            _hashes = SenderPlugin.Resolve("tcp_data_hashes"u8);
        }

        return FilterStatus.Continue;
    }

    [OnUpstreamData]
    public FilterStatus OnUpstreamData(UpstreamData data, int size, SenderPlugin plugin, NetworkStream connection)
    {
        if (!plugin.IsTcp || size == 0)
        {
            return FilterStatus.Continue;
        }

        ProxyStatus status = data.TryGetBytes(0, size, out ReadOnlySpan<byte> bytes);
        if (status is not (ProxyStatus.Ok or ProxyStatus.NotFound))
        {
            GoErrors.LogCritical("failed to get upstream data: "u8, status);
            return FilterStatus.Continue;
        }

        Span<byte> hex = stackalloc byte[32];
        Fnv1a128.WriteHex(Fnv1a128.Hash(bytes), hex);
        SenderPlugin.Enqueue(_hashes, hex, connection.ContextId);
        return FilterStatus.Continue;
    }
}

/// <summary>
/// The sender plugin, shared by <see cref="HttpSender"/> and <see cref="TcpSender"/> (one instance per root context):
/// OnPluginStart logs info <c>contextID=&lt;ctx&gt; is configured for &lt;config&gt;</c> and remembers whether the
/// configuration is <c>http</c> or <c>tcp</c>. An empty configuration (read as not found) logs critical
/// <c>failed to get plugin config: &lt;err&gt;</c> and is rejected (the Go example panics).
/// </summary>
public sealed class SenderPlugin
{
    /// <summary>Whether the configuration is <c>http</c>.</summary>
    public bool IsHttp { get; private set; }

    /// <summary>Whether the configuration is <c>tcp</c>.</summary>
    public bool IsTcp { get; private set; }

    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        if (configuration.IsEmpty)
        {
            GoErrors.LogCritical("failed to get plugin config: "u8, ProxyStatus.NotFound);
            return false;
        }

        IsHttp = configuration.SequenceEqual("http"u8);
        IsTcp = configuration.SequenceEqual("tcp"u8);
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("contextID="u8);
        line.Append(Plugin.CurrentContextId);
        line.Append(" is configured for "u8);
        line.Append(configuration);
        Log.Info(line.AsSpan());
        line.Dispose();
        return true;
    }

    /// <summary>Resolves queue <paramref name="name"/> in VM id <c>receiver</c>; a failure is logged and gives queue id 0
    /// (every enqueue to it then fails with not found).</summary>
    internal static SharedQueue Resolve(ReadOnlySpan<byte> name)
    {
        ProxyStatus status = SharedQueue.Resolve("receiver"u8, name, out SharedQueue queue);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("error resolving queue id: "u8, status);
        }

        return queue;
    }

    /// <summary>Enqueues <c>{"key": "&lt;k&gt;","value": "&lt;v&gt;"}</c>; <paramref name="contextId"/> 0 logs without
    /// the <c>(contextID=…)</c> prefix.</summary>
    internal static void EnqueueHeader(SharedQueue queue, HeaderPair header, uint contextId)
    {
        var message = new Utf8ValueBuilder(stackalloc byte[512]);
        message.Append("{\"key\": \""u8);
        message.Append(header.Name);
        message.Append("\",\"value\": \""u8);
        message.Append(header.Value);
        message.Append("\"}"u8);
        Enqueue(queue, message.AsSpan(), contextId);
        message.Dispose();
    }

    /// <summary>Enqueues <paramref name="message"/> and logs <c>[(contextID=&lt;id&gt;) ]enqueued data: &lt;msg&gt;</c>
    /// or critical <c>error queueing: &lt;err&gt;</c>.</summary>
    internal static void Enqueue(SharedQueue queue, ReadOnlySpan<byte> message, uint contextId)
    {
        ProxyStatus status = queue.Enqueue(message);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("error queueing: "u8, status);
            return;
        }

        var line = new Utf8ValueBuilder(stackalloc byte[512]);
        if (contextId != 0)
        {
            line.Append("(contextID="u8);
            line.Append(contextId);
            line.Append(") "u8);
        }

        line.Append("enqueued data: "u8);
        line.Append(message);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}

/// <summary>FNV-1a, 128 bits (offset basis 0x6c62272e07bb014262b821756295c58d, prime 2^88 + 0x13b), as Go's
/// <c>hash/fnv.New128a</c>; no allocation.</summary>
internal static class Fnv1a128
{
    private static readonly UInt128 OffsetBasis = new(0x6c62272e07bb0142UL, 0x62b821756295c58dUL);
    private static readonly UInt128 Prime = new(0x0000000001000000UL, 0x000000000000013bUL);

    /// <summary>The hash of <paramref name="data"/>.</summary>
    public static UInt128 Hash(ReadOnlySpan<byte> data)
    {
        UInt128 hash = OffsetBasis;
        foreach (byte b in data)
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }

    /// <summary>Writes <paramref name="hash"/> big-endian (Go's <c>Sum</c>) as 32 lower-case hex digits.</summary>
    public static void WriteHex(UInt128 hash, Span<byte> destination)
    {
        for (int i = 31; i >= 0; i--)
        {
            int nibble = (int)(ulong)(hash & 0xF);
            destination[i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
            hash >>= 4;
        }
    }
}
