using System;
using System.Collections.Generic;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// One TCP connection (a stream context of a network filter) in a <see cref="ProxyWasmHost"/>, as Envoy's
/// <c>envoy.filters.network.wasm</c> drives it: <see cref="ProxyWasmHost.CreateConnection"/> ran
/// <c>proxy_on_context_create(id, root)</c> and <c>proxy_on_new_connection</c>; each <c>On*Data</c> delivers a chunk
/// from one peer, each <c>Close*</c> reports a closed side, <see cref="Complete"/> ends the context.
/// </summary>
/// <remarks>
/// Data is buffered per direction as Envoy's connection buffers are: a chunk is appended to what is buffered, the
/// callback gets the buffered size (<c>data_size</c>) and may read and change the buffer (buffer types 2
/// <c>DOWNSTREAM_DATA</c> and 3 <c>UPSTREAM_DATA</c>). Continue forwards the buffered bytes (downstream data to the
/// upstream, <see cref="SentUpstream"/>; upstream data to the client, <see cref="SentDownstream"/>) and empties the
/// buffer; StopIteration keeps them, so the next chunk's callback sees the bytes accumulated.
/// </remarks>
public sealed class TcpConnectionContext
{
    private readonly ProxyWasmHost _host;
    private readonly List<CallbackRecord> _callbacks = new();
    private readonly List<ConnectionControl> _controls = new();
    private readonly List<byte> _sentUpstream = new();
    private readonly List<byte> _sentDownstream = new();

    internal TcpConnectionContext(ProxyWasmHost host, uint contextId, PluginContext plugin)
    {
        _host = host;
        ContextId = contextId;
        Plugin = plugin;
    }

    /// <summary>The connection's context id.</summary>
    public uint ContextId { get; }

    /// <summary>The plugin (root context) the connection belongs to.</summary>
    public PluginContext Plugin { get; }

    /// <summary>What <c>proxy_on_new_connection</c> returned (Continue when not exported).</summary>
    public FilterStatus NewConnectionStatus { get; internal set; }

    /// <summary>Downstream bytes buffered in the proxy, not yet forwarded upstream (buffer type 2), as the filter left them.</summary>
    public byte[] DownstreamBuffer { get; internal set; } = Array.Empty<byte>();

    /// <summary>Upstream bytes buffered in the proxy, not yet forwarded to the client (buffer type 3), as the filter left them.</summary>
    public byte[] UpstreamBuffer { get; internal set; } = Array.Empty<byte>();

    /// <summary>Every byte the proxy forwarded to the upstream, in order (downstream data the filter let through).</summary>
    public byte[] SentUpstream => _sentUpstream.ToArray();

    /// <summary>Every byte the proxy forwarded to the client, in order (upstream data the filter let through).</summary>
    public byte[] SentDownstream => _sentDownstream.ToArray();

    /// <summary>Every <c>proxy_continue_stream</c> and <c>proxy_close_stream</c> the module made on this connection, in
    /// order, with what the host answered.</summary>
    public IReadOnlyList<ConnectionControl> Controls => _controls;

    /// <summary>Which side the module closed with <c>proxy_close_stream</c> first (Downstream or Upstream), or
    /// <see langword="null"/>.</summary>
    public StreamType? ClosedByModule { get; internal set; }

    /// <summary>The peer type passed to <c>proxy_on_downstream_connection_close</c>, or <see langword="null"/> if not closed.</summary>
    public PeerType? DownstreamClosedBy { get; private set; }

    /// <summary>The peer type passed to <c>proxy_on_upstream_connection_close</c>, or <see langword="null"/> if not closed.</summary>
    public PeerType? UpstreamClosedBy { get; private set; }

    /// <summary>Whether <see cref="Complete"/> ran (the module's close or the test's).</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Whether <c>proxy_on_done</c> returned false and the module has not called <c>proxy_done</c> yet.</summary>
    public bool DonePending { get; internal set; }

    /// <summary>Whether <c>proxy_on_delete</c> ran: the context is gone.</summary>
    public bool IsDeleted { get; private set; }

    /// <summary>This connection's callbacks, in order, with what each returned.</summary>
    public IReadOnlyList<CallbackRecord> Callbacks => _callbacks;

    /// <summary>Delivers a chunk from the client: appends it to <see cref="DownstreamBuffer"/>, calls
    /// <c>proxy_on_downstream_data(id, buffered bytes, end_of_stream)</c>; on Continue forwards the buffer upstream.</summary>
    /// <returns>What the callback returned (Continue when not exported).</returns>
    public FilterStatus OnDownstreamData(byte[] chunk, bool endOfStream = false)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ThrowIfCompleted();
        DownstreamBuffer = [.. DownstreamBuffer, .. chunk];
        var status = (FilterStatus)_host.CallConnection(this, ProxyCallbacks.DownstreamData.Export, (uint)DownstreamBuffer.Length, endOfStream ? 1u : 0u);
        if (status == FilterStatus.Continue)
        {
            FlushDownstream();
        }

        return status;
    }

    /// <summary>Delivers a chunk from the upstream: appends it to <see cref="UpstreamBuffer"/>, calls
    /// <c>proxy_on_upstream_data(id, buffered bytes, end_of_stream)</c>; on Continue forwards the buffer to the client.</summary>
    /// <returns>What the callback returned (Continue when not exported).</returns>
    public FilterStatus OnUpstreamData(byte[] chunk, bool endOfStream = false)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ThrowIfCompleted();
        UpstreamBuffer = [.. UpstreamBuffer, .. chunk];
        var status = (FilterStatus)_host.CallConnection(this, ProxyCallbacks.UpstreamData.Export, (uint)UpstreamBuffer.Length, endOfStream ? 1u : 0u);
        if (status == FilterStatus.Continue)
        {
            FlushUpstream();
        }

        return status;
    }

    /// <summary>Reports the client side closed: <c>proxy_on_downstream_connection_close(id, peer)</c>
    /// (<see cref="PeerType.Remote"/>: the client closed it; <see cref="PeerType.Local"/>: the proxy did). Does not
    /// complete the context (<see cref="Complete"/>).</summary>
    public void CloseDownstream(PeerType peer = PeerType.Remote)
    {
        ThrowIfCompleted();
        DownstreamClosedBy = peer;
        _host.CallConnection(this, ProxyCallbacks.DownstreamConnectionClose.Export, (uint)peer, null);
    }

    /// <summary>Reports the upstream side closed: <c>proxy_on_upstream_connection_close(id, peer)</c>. Does not
    /// complete the context.</summary>
    public void CloseUpstream(PeerType peer = PeerType.Remote)
    {
        ThrowIfCompleted();
        UpstreamClosedBy = peer;
        _host.CallConnection(this, ProxyCallbacks.UpstreamConnectionClose.Export, (uint)peer, null);
    }

    /// <summary>
    /// Ends the connection's context as the host does: <c>proxy_on_done</c>; then, if it returned true,
    /// <c>proxy_on_log</c> and <c>proxy_on_delete</c> (if false, they follow the module's <c>proxy_done</c>).
    /// </summary>
    /// <returns>What <c>proxy_on_done</c> returned (true when not exported).</returns>
    public bool Complete()
    {
        if (IsCompleted)
        {
            return true;
        }

        IsCompleted = true;
        bool done = _host.CallConnection(this, ProxyCallbacks.Done.Export, null, null, missing: 1) != 0;
        if (done)
        {
            Finish();
        }
        else
        {
            DonePending = true;
        }

        return done;
    }

    internal void Finish()
    {
        _host.CallConnection(this, ProxyCallbacks.Log.Export, null, null);
        _host.CallConnection(this, ProxyCallbacks.Delete.Export, null, null);
        IsDeleted = true;
        _host.Forget(this);
    }

    internal void Record(CallbackRecord record) => _callbacks.Add(record);

    internal void Control(ConnectionControl control) => _controls.Add(control);

    /// <summary>Forwards the buffered downstream bytes upstream (Continue, or the module's continue_stream(DOWNSTREAM)).</summary>
    internal void FlushDownstream()
    {
        _sentUpstream.AddRange(DownstreamBuffer);
        DownstreamBuffer = Array.Empty<byte>();
    }

    internal void FlushUpstream()
    {
        _sentDownstream.AddRange(UpstreamBuffer);
        UpstreamBuffer = Array.Empty<byte>();
    }

    /// <summary>The module closed a side (<c>proxy_close_stream</c>, run after its callback): Envoy closes the
    /// connection, so the side's close callback runs with <see cref="PeerType.Local"/>, then the context completes.</summary>
    internal void CloseByModule(StreamType side)
    {
        if (IsCompleted)
        {
            return;
        }

        if (side == StreamType.Downstream && DownstreamClosedBy is null)
        {
            CloseDownstream(PeerType.Local);
        }
        else if (side == StreamType.Upstream && UpstreamClosedBy is null)
        {
            CloseUpstream(PeerType.Local);
        }

        Complete();
    }

    private void ThrowIfCompleted()
    {
        if (IsCompleted)
        {
            throw new InvalidOperationException($"Connection {ContextId} is completed (closed by the module: {ClosedByModule?.ToString() ?? "no"}).");
        }
    }
}

/// <summary>A <c>proxy_continue_stream</c> or <c>proxy_close_stream</c> the module made on a connection.</summary>
/// <param name="Side">The stream type passed (Downstream or Upstream; other values are recorded too).</param>
/// <param name="Close">True for <c>proxy_close_stream</c>, false for <c>proxy_continue_stream</c>.</param>
/// <param name="Result">What the host answered (Envoy: Ok, Unimplemented for continuing the upstream side).</param>
public sealed record ConnectionControl(StreamType Side, bool Close, ProxyStatus Result);
