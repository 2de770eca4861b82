using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>TCP connections (network filters) with Envoy's semantics (<c>source/extensions/common/wasm/context.cc</c>,
/// <c>source/extensions/filters/network/wasm</c>): the connection buffers, stream control, and their lifecycle.</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly Dictionary<uint, TcpConnectionContext> _connections = new();
    private TcpConnectionContext? _currentConnection;

    /// <summary>The connections not yet deleted, by context id.</summary>
    public IReadOnlyDictionary<uint, TcpConnectionContext> Connections => _connections;

    /// <summary>
    /// Opens a TCP connection under the default plugin as Envoy's network filter does when a client connects:
    /// <c>proxy_on_context_create(id, root)</c>, then <c>proxy_on_new_connection(id)</c> (its result is
    /// <see cref="TcpConnectionContext.NewConnectionStatus"/>). Starts the plugin if needed.
    /// </summary>
    public TcpConnectionContext CreateConnection() => CreateConnectionOn(DefaultPlugin);

    /// <summary>
    /// Runs one TCP connection through the default plugin's filter and returns what happened: the connection opens,
    /// the chunks are delivered alternately (downstream 1, upstream 1, downstream 2, ...; a direction with no chunks
    /// left is skipped), then the client side closes with <paramref name="closedBy"/>
    /// (<c>proxy_on_downstream_connection_close</c>) and the context completes (<c>proxy_on_done</c>, <c>proxy_on_log</c>,
    /// <c>proxy_on_delete</c>). If the module closes the connection (<c>proxy_close_stream</c>, e.g. fail-closed glue
    /// after a hook threw), no more chunks are delivered.
    /// </summary>
    public ConnectionRun RunConnection(IEnumerable<byte[]> downstreamChunks, IEnumerable<byte[]>? upstreamChunks = null, PeerType closedBy = PeerType.Remote)
        => RunConnectionOn(DefaultPlugin, downstreamChunks, upstreamChunks, closedBy);

    internal TcpConnectionContext CreateConnectionOn(PluginContext plugin)
    {
        ThrowIfDisposed();
        plugin.Start();
        var connection = new TcpConnectionContext(this, _nextContextId++, plugin);
        _connections[connection.ContextId] = connection;
        if (Exports.Has(ProxyCallbacks.ContextCreate.Export)) // not exported by a module with untracked streams: cpp-host skips it
        {
            Invoke(null, ProxyCallbacks.ContextCreate.Export, connection.ContextId, connection: connection, call: () =>
            {
                Exports.Call(ProxyCallbacks.ContextCreate.Export, connection.ContextId, plugin.ContextId);
                return null;
            });
        }

        connection.NewConnectionStatus = (FilterStatus)CallConnection(connection, ProxyCallbacks.NewConnection.Export, null, null);
        return connection;
    }

    internal ConnectionRun RunConnectionOn(PluginContext plugin, IEnumerable<byte[]> downstreamChunks, IEnumerable<byte[]>? upstreamChunks, PeerType closedBy)
    {
        ArgumentNullException.ThrowIfNull(downstreamChunks);
        int firstLog = _logs.Count;
        TcpConnectionContext connection = CreateConnectionOn(plugin);
        var downstream = new Queue<byte[]>(downstreamChunks);
        var upstream = new Queue<byte[]>(upstreamChunks ?? Array.Empty<byte[]>());
        var downstreamStatuses = new List<FilterStatus>();
        var upstreamStatuses = new List<FilterStatus>();
        while (!connection.IsCompleted && (downstream.Count != 0 || upstream.Count != 0))
        {
            if (downstream.TryDequeue(out byte[]? chunk))
            {
                downstreamStatuses.Add(connection.OnDownstreamData(chunk));
            }

            if (!connection.IsCompleted && upstream.TryDequeue(out chunk))
            {
                upstreamStatuses.Add(connection.OnUpstreamData(chunk));
            }
        }

        if (!connection.IsCompleted)
        {
            connection.CloseDownstream(closedBy);
            connection.Complete();
        }

        return new ConnectionRun(
            connection.ContextId,
            connection.NewConnectionStatus,
            downstreamStatuses,
            upstreamStatuses,
            connection.SentUpstream,
            connection.SentDownstream,
            connection.ClosedByModule,
            connection.DownstreamClosedBy,
            connection.Controls.ToList(),
            connection.Callbacks.ToList(),
            _logs.Skip(firstLog).ToList());
    }

    /// <summary>Calls a connection callback <c>(context_id[, a[, b]])</c>; <paramref name="missing"/> (Continue) when
    /// the module does not export it, as cpp-host does.</summary>
    internal uint CallConnection(TcpConnectionContext connection, string export, uint? a, uint? b, uint missing = 0)
    {
        ThrowIfDisposed();
        if (!Exports.Has(export))
        {
            return missing;
        }

        ProxyCallback callback = ProxyCallbacks.ForExport(export)!;
        uint id = connection.ContextId;
        return Invoke(null, export, id, connection: connection, call: () => (callback.Arity, callback.Result == CallbackResult.Void) switch
        {
            (1, true) => Void(() => Exports.Call(export, id)),
            (2, true) => Void(() => Exports.Call(export, id, a!.Value)),
            (1, false) => Exports.CallWord(export, id),
            (3, false) => Exports.CallWord(export, id, a!.Value, b!.Value),
            _ => throw new NotSupportedException($"{export}{callback.Signature} is not a connection callback."),
        }) ?? 0;

        static uint? Void(Action call)
        {
            call();
            return null;
        }
    }

    internal void Forget(TcpConnectionContext connection) => _connections.Remove(connection.ContextId);

    private void CompleteConnections()
    {
        foreach (TcpConnectionContext connection in _connections.Values.ToList())
        {
            connection.Complete();
        }
    }

    /// <summary>Envoy <c>Buffer::copyFrom</c> on a connection buffer: start 0 drains <paramref name="size"/> bytes and
    /// prepends the data (so (0, 0) prepends and (0, length) replaces); a start at or past the end appends; any other
    /// start is BadArgument.</summary>
    private ProxyStatus SetConnectionBuffer(TcpConnectionContext connection, BufferType type, nuint start, nuint size, ReadOnlySpan<byte> data)
    {
        byte[] buffer = type == BufferType.DownstreamData ? connection.DownstreamBuffer : connection.UpstreamBuffer;
        byte[] result;
        if (start == 0)
        {
            int drained = (int)Math.Min((ulong)size, (ulong)buffer.Length);
            result = [.. data, .. buffer.AsSpan(drained)];
        }
        else if (start >= (nuint)buffer.Length)
        {
            result = [.. buffer, .. data];
        }
        else
        {
            return ProxyStatus.BadArgument;
        }

        if (type == BufferType.DownstreamData)
        {
            connection.DownstreamBuffer = result;
        }
        else
        {
            connection.UpstreamBuffer = result;
        }

        return ProxyStatus.Ok;
    }

    /// <summary>Envoy <c>continueStream</c>/<c>closeStream</c> for a connection. Continuing the downstream side resumes
    /// reading (the buffered downstream bytes are forwarded after the callback); continuing the upstream side is
    /// Unimplemented in Envoy. Closing either side closes the connection after the callback
    /// (<see cref="TcpConnectionContext.CloseByModule"/>).</summary>
    private ProxyStatus ControlConnection(TcpConnectionContext connection, StreamType side, bool close)
    {
        ProxyStatus result = (side, close) switch
        {
            (StreamType.Downstream, false) => ProxyStatus.Ok,
            (StreamType.Upstream, false) => ProxyStatus.Unimplemented,
            (StreamType.Downstream or StreamType.Upstream, true) => ProxyStatus.Ok,
            _ => ProxyStatus.BadArgument,
        };
        connection.Control(new ConnectionControl(side, close, result));
        if (result != ProxyStatus.Ok)
        {
            return result;
        }

        if (close)
        {
            connection.ClosedByModule ??= side;
            AfterCall(() => connection.CloseByModule(side));
        }
        else
        {
            AfterCall(() =>
            {
                if (!connection.IsCompleted)
                {
                    connection.FlushDownstream();
                }
            });
        }

        return ProxyStatus.Ok;
    }
}

/// <summary>What happened to one connection in <see cref="ProxyWasmHost.RunConnection"/>.</summary>
/// <param name="ContextId">The connection's context id.</param>
/// <param name="NewConnectionStatus">What <c>proxy_on_new_connection</c> returned.</param>
/// <param name="DownstreamStatuses">What each <c>proxy_on_downstream_data</c> returned, in order.</param>
/// <param name="UpstreamStatuses">What each <c>proxy_on_upstream_data</c> returned, in order.</param>
/// <param name="SentUpstream">The bytes forwarded to the upstream.</param>
/// <param name="SentDownstream">The bytes forwarded to the client.</param>
/// <param name="ClosedByModule">The side the module closed (<c>proxy_close_stream</c>), or <see langword="null"/>.</param>
/// <param name="DownstreamClosedBy">The peer type <c>proxy_on_downstream_connection_close</c> got, or <see langword="null"/>.</param>
/// <param name="Controls">The module's <c>proxy_continue_stream</c>/<c>proxy_close_stream</c> calls.</param>
/// <param name="Callbacks">Every callback of the connection, in order, with what it returned.</param>
/// <param name="Logs">Log lines written during the connection.</param>
public sealed record ConnectionRun(
    uint ContextId,
    FilterStatus NewConnectionStatus,
    IReadOnlyList<FilterStatus> DownstreamStatuses,
    IReadOnlyList<FilterStatus> UpstreamStatuses,
    byte[] SentUpstream,
    byte[] SentDownstream,
    StreamType? ClosedByModule,
    PeerType? DownstreamClosedBy,
    IReadOnlyList<ConnectionControl> Controls,
    IReadOnlyList<CallbackRecord> Callbacks,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>The bytes forwarded to the upstream, decoded as UTF-8.</summary>
    public string SentUpstreamText => System.Text.Encoding.UTF8.GetString(SentUpstream);

    /// <summary>The bytes forwarded to the client, decoded as UTF-8.</summary>
    public string SentDownstreamText => System.Text.Encoding.UTF8.GetString(SentDownstream);
}
