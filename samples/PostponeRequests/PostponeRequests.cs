using System;
using System.Collections.Generic;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>postpone_requests</c>: every request is paused at its headers (logged as
/// <c>postpone request with contextID=&lt;id&gt;</c>) and its stream's context id queued in the plugin, which resumes
/// the queued requests, oldest first, at its next tick (see <see cref="PostponeRequestsPlugin"/>). So a request waits
/// until the next 1 s tick, not a random delay (the Go example's README says otherwise; its code does this).
/// </summary>
[HttpFilter("postpone_requests", Plugin = typeof(PostponeRequestsPlugin))]
public partial class PostponeRequests
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(HttpStream stream, PostponeRequestsPlugin plugin)
    {
        PostponeRequestsPlugin.LogContext("postpone request with contextID="u8, stream.ContextId);
        plugin.Postpone(stream.ContextId);
        return FilterHeadersStatus.StopIteration;
    }
}

/// <summary>
/// The plugin (one per root context) of <see cref="PostponeRequests"/>: a 1000 ms tick and a FIFO of the context ids
/// of postponed streams. Each tick empties it in order: it logs <c>resume request with contextID=&lt;id&gt;</c> and
/// resumes that stream's request (<c>proxy_set_effective_context(id)</c>, then <c>proxy_continue_stream</c>), ignoring
/// errors (a stream that ended while it waited is skipped).
/// </summary>
public sealed class PostponeRequestsPlugin
{
    private const uint TickMilliseconds = 1000;

    /// <summary>Created with the plugin, so postponing allocates nothing until more than 256 requests wait for one tick
    /// (the queue then grows once and keeps its size).</summary>
    private readonly Queue<uint> _postponed = new(256);

    /// <summary>The Go example's OnPluginStart: a 1000 ms tick. A refusal is logged and the plugin still starts.</summary>
    [OnConfigure]
    public void OnConfigure()
    {
        ProxyStatus status = Plugin.SetTickPeriod(TickMilliseconds);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("failed to set tick period: "u8, status);
        }
    }

    /// <summary>Resumes every postponed request, oldest first.</summary>
    [OnTick]
    public void OnTick()
    {
        while (_postponed.TryDequeue(out uint contextId))
        {
            LogContext("resume request with contextID="u8, contextId);
            new HttpStream(contextId).ResumeRequestFromPlugin();
        }
    }

    /// <summary>Queues the stream <paramref name="contextId"/> for the next tick.</summary>
    internal void Postpone(uint contextId) => _postponed.Enqueue(contextId);


    internal static void LogContext(ReadOnlySpan<byte> prefix, uint contextId)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[64]);
        line.Append(prefix);
        line.Append(contextId);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}
