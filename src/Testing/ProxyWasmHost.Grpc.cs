using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>A gRPC call or stream the module opened (<c>proxy_grpc_call</c>, <c>proxy_grpc_stream</c>).</summary>
public sealed class GrpcCallRecord
{
    internal GrpcCallRecord(uint token, uint contextId, string upstream, string service, string method, HeaderList initialMetadata, byte[] message, uint timeoutMilliseconds, bool isStream)
    {
        Token = token;
        ContextId = contextId;
        Upstream = upstream;
        Service = service;
        Method = method;
        InitialMetadata = initialMetadata;
        TimeoutMilliseconds = timeoutMilliseconds;
        IsStream = isStream;
        if (!isStream)
        {
            Messages.Add(message);
        }
    }

    /// <summary>The token the host returned.</summary>
    public uint Token { get; }

    /// <summary>The context that was current when the call was made.</summary>
    public uint ContextId { get; }

    /// <summary>The upstream (cluster) name.</summary>
    public string Upstream { get; }

    /// <summary>The service, e.g. <c>grpcbin.GRPCBin</c>.</summary>
    public string Service { get; }

    /// <summary>The method.</summary>
    public string Method { get; }

    /// <summary>Initial metadata the module sent.</summary>
    public HeaderList InitialMetadata { get; }

    /// <summary>Deadline in milliseconds (0 for streams).</summary>
    public uint TimeoutMilliseconds { get; }

    /// <summary>Whether this is a stream (<c>proxy_grpc_stream</c>), not a unary call.</summary>
    public bool IsStream { get; }

    /// <summary>Messages the module sent: the request of a unary call, or each <c>proxy_grpc_send</c> of a stream.</summary>
    public List<byte[]> Messages { get; } = new();

    /// <summary>Whether the module half-closed the stream (<c>proxy_grpc_send</c> with end of stream).</summary>
    public bool HalfClosed { get; internal set; }

    /// <summary>How the module ended it: <c>close</c>, <c>cancel</c>, or <see langword="null"/>.</summary>
    public string? EndedByModule { get; internal set; }
}

/// <summary>gRPC callouts as Envoy runs them: the host records calls and streams; a test answers them in any order,
/// each answer a callback on the root context (<c>proxy_on_grpc_receive</c>, the metadata callbacks,
/// <c>proxy_on_grpc_close</c>), which the module re-targets to the context that made the call.</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly List<GrpcCallRecord> _grpcCalls = new();
    private readonly List<GrpcCallRecord> _pendingGrpcCalls = new();
    private uint _nextGrpcToken;
    private byte[]? _grpcMessage;
    private HeaderList? _grpcMetadata;

    /// <summary>gRPC calls and streams the module opened, in order.</summary>
    public IReadOnlyList<GrpcCallRecord> GrpcCalls => _grpcCalls;

    /// <summary>gRPC calls and streams not ended yet.</summary>
    public IReadOnlyList<GrpcCallRecord> PendingGrpcCalls => _pendingGrpcCalls;

    /// <summary>Delivers a message on call or stream <paramref name="token"/> (<c>proxy_on_grpc_receive</c>); it ends a
    /// unary call, as Envoy's answer does.</summary>
    /// <exception cref="InvalidOperationException">No pending gRPC call has that token.</exception>
    public void RespondToGrpcCall(uint token, byte[] message)
    {
        GrpcCallRecord call = PendingGrpc(token);
        if (!call.IsStream)
        {
            _pendingGrpcCalls.Remove(call);
        }

        _grpcMessage = message;
        try
        {
            DeliverGrpc(ProxyCallbacks.GrpcReceive, call, (uint)message.Length);
        }
        finally
        {
            _grpcMessage = null;
        }
    }

    /// <summary>Delivers initial (<paramref name="trailing"/> false) or trailing metadata on <paramref name="token"/>.</summary>
    /// <exception cref="InvalidOperationException">No pending gRPC call has that token.</exception>
    public void SendGrpcMetadata(uint token, HeaderList metadata, bool trailing = false)
    {
        GrpcCallRecord call = PendingGrpc(token);
        _grpcMetadata = metadata.Clone();
        try
        {
            DeliverGrpc(trailing ? ProxyCallbacks.GrpcReceiveTrailingMetadata : ProxyCallbacks.GrpcReceiveInitialMetadata, call, (uint)metadata.Count);
        }
        finally
        {
            _grpcMetadata = null;
        }
    }

    /// <summary>Ends call or stream <paramref name="token"/> with <paramref name="status"/> (<c>proxy_on_grpc_close</c>;
    /// <c>proxy_get_status</c> then gives the code and <paramref name="message"/>).</summary>
    /// <exception cref="InvalidOperationException">No pending gRPC call has that token.</exception>
    public void CloseGrpcCall(uint token, GrpcStatus status, string message = "")
    {
        GrpcCallRecord call = PendingGrpc(token);
        _pendingGrpcCalls.Remove(call);
        _status = ((uint)status, message);
        try
        {
            DeliverGrpc(ProxyCallbacks.GrpcClose, call, (uint)status);
        }
        finally
        {
            _status = (0, string.Empty);
        }
    }

    ProxyStatus IProxyHost.proxy_grpc_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, byte* messageData, nuint messageSize, uint timeoutMilliseconds, uint* returnCalloutId)
        => OpenGrpc(upstreamNameData, upstreamNameSize, serviceNameData, serviceNameSize, methodNameData, methodNameSize, serializedInitialMetadataData, serializedInitialMetadataSize, Bytes(messageData, messageSize), timeoutMilliseconds, isStream: false, returnCalloutId);

    ProxyStatus IProxyHost.proxy_grpc_stream(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, uint* returnStreamId)
        => OpenGrpc(upstreamNameData, upstreamNameSize, serviceNameData, serviceNameSize, methodNameData, methodNameSize, serializedInitialMetadataData, serializedInitialMetadataSize, Array.Empty<byte>(), 0, isStream: true, returnStreamId);

    ProxyStatus IProxyHost.proxy_grpc_send(uint streamId, byte* messageData, nuint messageSize, uint endStream)
    {
        if (_pendingGrpcCalls.FirstOrDefault(c => c.Token == streamId && c.IsStream) is not { } stream)
        {
            return ProxyStatus.NotFound;
        }

        if (stream.HalfClosed)
        {
            return ProxyStatus.BadArgument;
        }

        stream.Messages.Add(Bytes(messageData, messageSize));
        stream.HalfClosed = endStream != 0;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_grpc_cancel(uint calloutId) => EndByModule(calloutId, "cancel");

    ProxyStatus IProxyHost.proxy_grpc_close(uint calloutId) => EndByModule(calloutId, "close");

    private ProxyStatus OpenGrpc(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* metadataData, nuint metadataSize, byte[] message, uint timeoutMilliseconds, bool isStream, uint* returnToken)
    {
        var metadata = new HeaderList();
        if (metadataSize != 0 && !metadata.LoadSerialized(new ReadOnlySpan<byte>(metadataData, checked((int)metadataSize))))
        {
            return ProxyStatus.BadArgument;
        }

        // Envoy: an unknown cluster is a ParseFailure for gRPC (BadArgument for HTTP calls).
        string upstream = Text(upstreamNameData, upstreamNameSize);
        if (Options.Clusters is { } clusters && !clusters.Contains(upstream))
        {
            return ProxyStatus.ParseFailure;
        }

        // Tokens of their own space: unary calls 4n+1, streams 4n+2.
        _nextGrpcToken += 4;
        uint token = _nextGrpcToken + (isStream ? 2u : 1u);
        var call = new GrpcCallRecord(token, CurrentContextId, upstream, Text(serviceNameData, serviceNameSize), Text(methodNameData, methodNameSize), metadata, message, timeoutMilliseconds, isStream);
        _grpcCalls.Add(call);
        _pendingGrpcCalls.Add(call);
        *returnToken = token;
        return ProxyStatus.Ok;
    }

    private ProxyStatus EndByModule(uint token, string how)
    {
        if (_pendingGrpcCalls.FirstOrDefault(c => c.Token == token) is not { } call)
        {
            return ProxyStatus.NotFound;
        }

        call.EndedByModule = how;
        _pendingGrpcCalls.Remove(call);
        return ProxyStatus.Ok;
    }

    private GrpcCallRecord PendingGrpc(uint token)
        => _pendingGrpcCalls.FirstOrDefault(c => c.Token == token)
           ?? throw new InvalidOperationException($"No pending gRPC call has token {token}; pending: [{string.Join(", ", _pendingGrpcCalls.Select(c => c.Token))}].");

    private void DeliverGrpc(ProxyCallback callback, GrpcCallRecord call, uint argument)
    {
        ThrowIfDisposed();
        if (Exports.Has(callback.Export))
        {
            DeliverOnRoot(callback.Export, call.ContextId, root => Exports.Call(callback.Export, root, call.Token, argument));
        }
    }
}
