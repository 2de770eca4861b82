using System;
using ProxyWasm;

namespace ProxyWasm.Samples.Tests.TestFilters;

/// <summary>
/// A line-buffering network filter: downstream data is held (StopIteration) until the buffered bytes end in a
/// newline, then edited by its first byte — <c>R</c> replaces the buffer with <c>replaced⏎</c>, <c>A</c> appends
/// <c>+appended</c>, <c>P</c> prepends <c>prepended+</c>, <c>C</c> closes the downstream side, <c>U</c> closes the
/// upstream side, <c>X</c> throws — and continued. Each call logs <c>downstream &lt;size&gt;/&lt;buffer size&gt;</c>.
/// Upstream data gets <c>&gt; </c> prepended. Closes log <c>downstream closed &lt;peer&gt;</c> / <c>upstream closed
/// &lt;peer&gt;</c>; the end logs <c>done</c> and <c>log</c>.
/// </summary>
[NetworkFilter("tcp_lines")]
public partial class LineFilter
{
    [OnNewConnection]
    public FilterStatus Opened(NetworkStream connection)
    {
        Log.Info("opened"u8);
        return FilterStatus.Continue;
    }

    [OnDownstreamData]
    public FilterStatus Downstream(DownstreamData data, int size, NetworkStream connection)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[64]);
        line.Append("downstream "u8);
        line.Append(size);
        line.Append("/"u8);
        line.Append(data.GetSize());
        Log.Info(line.AsSpan());
        line.Dispose();

        ReadOnlySpan<byte> bytes = data.GetBytes();
        if (bytes.IsEmpty || bytes[^1] != (byte)'\n')
        {
            return FilterStatus.StopIteration;
        }

        switch (bytes[0])
        {
            case (byte)'R':
                data.Replace("replaced\n"u8);
                break;
            case (byte)'A':
                data.Append("+appended"u8);
                break;
            case (byte)'P':
                data.Prepend("prepended+"u8);
                break;
            case (byte)'C':
                connection.CloseDownstream();
                return FilterStatus.StopIteration;
            case (byte)'U':
                connection.CloseUpstream();
                return FilterStatus.StopIteration;
            case (byte)'X':
                throw new InvalidOperationException("line filter asked to throw");
        }

        return FilterStatus.Continue;
    }

    [OnUpstreamData]
    public FilterStatus Upstream(UpstreamData data)
    {
        data.Prepend("> "u8);
        return FilterStatus.Continue;
    }

    [OnDownstreamConnectionClose]
    public void DownstreamClosed(PeerType peer) => LogPeer("downstream closed "u8, peer);

    [OnUpstreamConnectionClose]
    public void UpstreamClosed(PeerType peer) => LogPeer("upstream closed "u8, peer);

    [OnStreamDone]
    public void Done() => Log.Info("done"u8);

    [OnLog]
    public void Logged() => Log.Info("log"u8);

    private static void LogPeer(ReadOnlySpan<byte> prefix, PeerType peer)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[64]);
        line.Append(prefix);
        line.Append((int)peer);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}

/// <summary>Holds every downstream chunk until the module itself resumes reading: a chunk <c>go</c> calls
/// <c>proxy_continue_stream(DOWNSTREAM)</c> (and also tries the upstream side) and returns StopIteration.</summary>
[NetworkFilter("tcp_resume")]
public partial struct ResumingFilter
{
    [OnDownstreamData]
    public FilterStatus Downstream(DownstreamData data, NetworkStream connection)
    {
        if (data.GetBytes().EndsWith("go"u8))
        {
            connection.ResumeDownstream();
            connection.ResumeUpstream();
        }

        return FilterStatus.StopIteration;
    }
}

/// <summary>Throws on downstream data containing <c>boom</c>; fails closed (the default).</summary>
[NetworkFilter("tcp_throwing")]
public partial struct ThrowingNetworkFilter
{
    [OnDownstreamData]
    public FilterStatus Downstream(DownstreamData data)
    {
        if (data.GetBytes().IndexOf("boom"u8) >= 0)
        {
            throw new InvalidOperationException("boom on the wire");
        }

        return FilterStatus.Continue;
    }

    [OnDownstreamConnectionClose]
    public void Closed(PeerType peer) => Log.Info(peer == PeerType.Local ? "closed locally"u8 : "closed remotely"u8);
}

/// <summary>The same, failing open.</summary>
[NetworkFilter("tcp_throwing_open", OnError = FailurePolicy.FailOpen)]
public partial struct FailOpenNetworkFilter
{
    [OnDownstreamData]
    public FilterStatus Downstream(DownstreamData data)
    {
        if (data.GetBytes().IndexOf("boom"u8) >= 0)
        {
            throw new InvalidOperationException("boom on the wire");
        }

        return FilterStatus.Continue;
    }
}

/// <summary>
/// A queue consumer and a foreign function: <c>[OnConfigure]</c> registers the queue named by the plugin
/// configuration and logs <c>registered &lt;name&gt; as &lt;id&gt; by &lt;root&gt;</c>; <c>[OnQueueReady]</c>
/// dequeues one message and logs <c>&lt;root&gt; ready &lt;id&gt;: &lt;message&gt;</c> (or <c>&lt;root&gt; ready
/// &lt;id&gt;: empty</c>); <c>[OnForeignFunction]</c> logs <c>function &lt;id&gt;: &lt;arguments&gt;</c>.
/// </summary>
public sealed class QueueConsumerPlugin
{
    [OnConfigure]
    public bool Configure(ReadOnlySpan<byte> configuration)
    {
        if (SharedQueue.Register(configuration, out SharedQueue queue) != ProxyStatus.Ok)
        {
            return false;
        }

        var line = new Utf8ValueBuilder(stackalloc byte[128]);
        line.Append("registered "u8);
        line.Append(configuration);
        line.Append(" as "u8);
        line.Append(queue.Id);
        line.Append(" by "u8);
        line.Append(Plugin.CurrentContextId);
        Log.Info(line.AsSpan());
        line.Dispose();
        return true;
    }

    [OnQueueReady]
    public void Ready(SharedQueue queue)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append(Plugin.CurrentContextId);
        line.Append(" ready "u8);
        line.Append(queue.Id);
        line.Append(": "u8);
        line.Append(queue.TryDequeue(out ReadOnlySpan<byte> message) == ProxyStatus.Ok ? message : "empty"u8);
        Log.Info(line.AsSpan());
        line.Dispose();
    }

    [OnForeignFunction]
    public void Called(int functionId, ReadOnlySpan<byte> arguments)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("function "u8);
        line.Append(functionId);
        line.Append(": "u8);
        line.Append(arguments);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}

/// <summary>The HTTP side of the queue consumer plugin: a request with <c>x-enqueue: &lt;message&gt;</c> resolves queue
/// (<c>""</c>, <c>jobs</c>), enqueues the message and logs <c>enqueued</c> (or <c>enqueue failed</c>).</summary>
[HttpFilter("queue_consumer", Plugin = typeof(QueueConsumerPlugin))]
public partial class QueueProducerFilter
{
    [OnRequestHeaders]
    public FilterHeadersStatus Headers(RequestHeaders headers)
    {
        ReadOnlySpan<byte> message = headers.GetValue("x-enqueue"u8);
        if (!message.IsEmpty)
        {
            bool ok = SharedQueue.Resolve(""u8, "jobs"u8, out SharedQueue queue) == ProxyStatus.Ok && queue.Enqueue(message) == ProxyStatus.Ok;
            Log.Info(ok ? "enqueued"u8 : "enqueue failed"u8);
        }

        return FilterHeadersStatus.Continue;
    }
}
