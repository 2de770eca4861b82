using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The receiver of the Go SDK's <c>shared_queue</c> (root id <c>receiver</c>; Envoy runs it in VM id <c>receiver</c>,
/// three times, with the configurations <c>http_request_headers</c>, <c>http_response_headers</c> and
/// <c>tcp_data_hashes</c>). A plugin only: the filter type carries the root id, its streams pass through.
/// </summary>
[HttpFilter("receiver", Plugin = typeof(ReceiverPlugin))]
public partial class Receiver
{
}

/// <summary>
/// One receiver root context: its configuration (a plain string) names its queue. OnPluginStart registers it and logs
/// info <c>queue "&lt;name&gt;" registered as queueID=&lt;qid&gt; by contextID=&lt;ctx&gt;</c>; the Go example panics
/// when the configuration cannot be read (<c>failed to get plugin config: &lt;err&gt;</c>; an empty configuration
/// reads as not found) or the registration fails (<c>failed register queue</c>): here that line is logged at critical
/// level and the configuration is rejected. OnQueueReady dequeues one message: empty → nothing; otherwise info
/// <c>(contextID=&lt;ctx&gt;) dequeued data from &lt;name&gt;(queueID=&lt;qid&gt;): &lt;data&gt;</c>, or critical
/// <c>error retrieving data from queue &lt;qid&gt;: &lt;err&gt;</c>.
/// </summary>
public sealed class ReceiverPlugin
{
    private byte[] _name = Array.Empty<byte>();

    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        if (configuration.IsEmpty)
        {
            GoErrors.LogCritical("failed to get plugin config: "u8, ProxyStatus.NotFound);
            return false;
        }

        if (SharedQueue.Register(configuration, out SharedQueue queue) != ProxyStatus.Ok)
        {
            Log.Critical("failed register queue"u8);
            return false;
        }

        _name = configuration.ToArray();
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("queue \""u8);
        line.Append(configuration);
        line.Append("\" registered as queueID="u8);
        line.Append(queue.Id);
        line.Append(" by contextID="u8);
        line.Append(Plugin.CurrentContextId);
        Log.Info(line.AsSpan());
        line.Dispose();
        return true;
    }

    [OnQueueReady]
    public void OnQueueReady(SharedQueue queue)
    {
        ProxyStatus status = queue.TryDequeue(out ReadOnlySpan<byte> data);
        if (status == ProxyStatus.Empty)
        {
            return;
        }

        var line = new Utf8ValueBuilder(stackalloc byte[512]);
        if (status == ProxyStatus.Ok)
        {
            line.Append("(contextID="u8);
            line.Append(Plugin.CurrentContextId);
            line.Append(") dequeued data from "u8);
            line.Append(_name);
            line.Append("(queueID="u8);
            line.Append(queue.Id);
            line.Append("): "u8);
            line.Append(data);
            Log.Info(line.AsSpan());
        }
        else
        {
            line.Append("error retrieving data from queue "u8);
            line.Append(queue.Id);
            line.Append(": "u8);
            GoErrors.Append(ref line, status);
            Log.Critical(line.AsSpan());
        }

        line.Dispose();
    }
}
