using System;
using ProxyWasm.Abi;
using ProxyWasm.Generated;

namespace ProxyWasm;

/// <summary>
/// gRPC callouts: unary calls (<c>proxy_grpc_call</c>) and streams (<c>proxy_grpc_stream</c>, <c>proxy_grpc_send</c>,
/// <c>proxy_grpc_close</c>, <c>proxy_grpc_cancel</c>). Messages are bytes: the filter brings its serializer. Answers
/// arrive in the <see cref="OnGrpcReceiveAttribute"/>, <see cref="OnGrpcCloseAttribute"/> and metadata hooks of
/// whoever dispatched the call (the filter for its stream, the plugin for a plugin hook), routed by token with the
/// dispatching context made effective, as for <see cref="HttpCall"/>. A unary call ends with one message
/// (<c>[OnGrpcReceive]</c>) or, on failure, with <c>[OnGrpcClose]</c>. Allocates nothing.
/// </summary>
public static unsafe class GrpcCall
{
    /// <summary>Dispatches a unary gRPC call (<c>proxy_grpc_call</c>).</summary>
    /// <param name="upstream">The Envoy cluster name, UTF-8.</param>
    /// <param name="service">The fully qualified service, e.g. <c>"grpcbin.GRPCBin"u8</c>.</param>
    /// <param name="method">The method, e.g. <c>"RandomError"u8</c>.</param>
    /// <param name="serializedInitialMetadata">Initial metadata in the pairs format (<see cref="PairsWriter"/>), or empty.</param>
    /// <param name="message">The serialized request message (protobuf bytes), or empty.</param>
    /// <param name="timeoutMilliseconds">Deadline in milliseconds.</param>
    /// <param name="token">The call's token, which the answer hooks receive; 0 on failure.</param>
    /// <returns>Ok; BadArgument for malformed metadata (the host is not called); ParseFailure when the host refuses the
    /// call (in Envoy: an unknown cluster); InternalFailure.</returns>
    public static ProxyStatus Dispatch(ReadOnlySpan<byte> upstream, ReadOnlySpan<byte> service, ReadOnlySpan<byte> method, ReadOnlySpan<byte> serializedInitialMetadata, ReadOnlySpan<byte> message, uint timeoutMilliseconds, out uint token)
    {
        token = 0;
        if (!ValidMetadata(serializedInitialMetadata))
        {
            return ProxyStatus.BadArgument;
        }

        uint id;
        ProxyStatus status;
        fixed (byte* upstreamData = upstream)
        fixed (byte* serviceData = service)
        fixed (byte* methodData = method)
        fixed (byte* metadataData = serializedInitialMetadata)
        fixed (byte* messageData = message)
        {
            status = HostCalls.proxy_grpc_call(upstreamData, (nuint)upstream.Length, serviceData, (nuint)service.Length, methodData, (nuint)method.Length,
                metadataData, (nuint)serializedInitialMetadata.Length, messageData, (nuint)message.Length, timeoutMilliseconds, &id);
        }

        if (status == ProxyStatus.Ok)
        {
            token = id;
            Callouts.Dispatched(CalloutKind.Grpc, id, unary: true);
        }

        return status;
    }

    /// <summary>Opens a gRPC stream (<c>proxy_grpc_stream</c>); send on it with <see cref="Send"/>.</summary>
    /// <param name="upstream">The Envoy cluster name, UTF-8.</param>
    /// <param name="service">The fully qualified service.</param>
    /// <param name="method">The method.</param>
    /// <param name="serializedInitialMetadata">Initial metadata in the pairs format, or empty.</param>
    /// <param name="token">The stream's token; 0 on failure.</param>
    /// <returns>Ok; BadArgument for malformed metadata; ParseFailure when the host refuses it; InternalFailure.</returns>
    public static ProxyStatus OpenStream(ReadOnlySpan<byte> upstream, ReadOnlySpan<byte> service, ReadOnlySpan<byte> method, ReadOnlySpan<byte> serializedInitialMetadata, out uint token)
    {
        token = 0;
        if (!ValidMetadata(serializedInitialMetadata))
        {
            return ProxyStatus.BadArgument;
        }

        uint id;
        ProxyStatus status;
        fixed (byte* upstreamData = upstream)
        fixed (byte* serviceData = service)
        fixed (byte* methodData = method)
        fixed (byte* metadataData = serializedInitialMetadata)
        {
            status = HostCalls.proxy_grpc_stream(upstreamData, (nuint)upstream.Length, serviceData, (nuint)service.Length, methodData, (nuint)method.Length,
                metadataData, (nuint)serializedInitialMetadata.Length, &id);
        }

        if (status == ProxyStatus.Ok)
        {
            token = id;
            Callouts.Dispatched(CalloutKind.Grpc, id, unary: false);
        }

        return status;
    }

    /// <summary>Sends <paramref name="message"/> on stream <paramref name="token"/> (<c>proxy_grpc_send</c>).</summary>
    /// <param name="token">The stream's token.</param>
    /// <param name="message">The serialized message.</param>
    /// <param name="endOfStream">Half-close the stream after this message.</param>
    /// <returns>Ok; BadArgument; NotFound (no such stream).</returns>
    public static ProxyStatus Send(uint token, ReadOnlySpan<byte> message, bool endOfStream = false)
    {
        fixed (byte* data = message)
        {
            return HostCalls.proxy_grpc_send(token, data, (nuint)message.Length, endOfStream ? 1u : 0u);
        }
    }

    /// <summary>Closes call or stream <paramref name="token"/> gracefully (<c>proxy_grpc_close</c>); no answer follows.</summary>
    /// <returns>Ok; NotFound.</returns>
    public static ProxyStatus Close(uint token)
    {
        Callouts.Forget(CalloutKind.Grpc, token);
        return HostCalls.proxy_grpc_close(token);
    }

    /// <summary>Cancels call or stream <paramref name="token"/> (<c>proxy_grpc_cancel</c>); no answer follows.</summary>
    /// <returns>Ok; NotFound.</returns>
    public static ProxyStatus Cancel(uint token)
    {
        Callouts.Forget(CalloutKind.Grpc, token);
        return HostCalls.proxy_grpc_cancel(token);
    }

    private static bool ValidMetadata(ReadOnlySpan<byte> metadata)
    {
        if (metadata.IsEmpty || HeaderPairs.TryParse(metadata, out _) == PairsError.None)
        {
            return true;
        }

        Log.Error("proxy-wasm: GrpcCall: the initial metadata is not in the pairs format (use PairsWriter)"u8);
        return false;
    }
}

/// <summary>A gRPC message received on a call or stream, bound to an <see cref="OnGrpcReceiveAttribute"/> hook
/// parameter (<c>proxy_on_grpc_receive</c>); the bytes are a view of host data, valid during the hook.</summary>
public readonly struct GrpcMessage
{
    /// <summary>Creates the view (done by the generated glue).</summary>
    public GrpcMessage(uint token, int size)
    {
        Token = token;
        Size = size;
    }

    /// <summary>The call's or stream's token.</summary>
    public uint Token { get; }

    /// <summary>The message size in bytes.</summary>
    public int Size { get; }

    /// <summary>The serialized message (buffer <c>GRPC_RECEIVE_BUFFER</c>); empty when the host returns none.</summary>
    public ReadOnlySpan<byte> Bytes => Buffers.GetBytes(BufferType.GrpcReceiveBuffer, 0, Size);
}

/// <summary>gRPC initial or trailing metadata received on a call or stream, bound to an
/// <see cref="OnGrpcReceiveInitialMetadataAttribute"/> or <see cref="OnGrpcReceiveTrailingMetadataAttribute"/> hook
/// parameter; read it with the header-map methods of <see cref="Initial"/> or <see cref="Trailing"/>.</summary>
public readonly struct GrpcMetadata
{
    private readonly bool _trailing;

    /// <summary>Creates the view (done by the generated glue).</summary>
    public GrpcMetadata(uint token, int count, bool trailing)
    {
        Token = token;
        Count = count;
        _trailing = trailing;
    }

    /// <summary>The call's or stream's token.</summary>
    public uint Token { get; }

    /// <summary>Number of metadata entries.</summary>
    public int Count { get; }

    /// <summary>Whether this is trailing metadata (<see cref="MapType.GrpcReceiveTrailingMetadata"/>), else initial
    /// (<see cref="MapType.GrpcReceiveInitialMetadata"/>).</summary>
    public bool IsTrailing => _trailing;

    /// <summary>Initial metadata map (<see cref="MapType.GrpcReceiveInitialMetadata"/>).</summary>
    public GrpcInitialMetadata Initial => default;

    /// <summary>Trailing metadata map (<see cref="MapType.GrpcReceiveTrailingMetadata"/>).</summary>
    public GrpcTrailingMetadata Trailing => default;
}

/// <summary>The end of a gRPC call or stream, bound to an <see cref="OnGrpcCloseAttribute"/> hook parameter
/// (<c>proxy_on_grpc_close</c>).</summary>
public readonly struct GrpcClose
{
    /// <summary>Creates the view (done by the generated glue).</summary>
    public GrpcClose(uint token, GrpcStatus status)
    {
        Token = token;
        Status = status;
    }

    /// <summary>The call's or stream's token.</summary>
    public uint Token { get; }

    /// <summary>The gRPC status code the call ended with (<see cref="GrpcStatus.Ok"/> for a clean end of stream).</summary>
    public GrpcStatus Status { get; }

    /// <summary>The status message (<c>proxy_get_status</c>), UTF-8; empty when there is none.</summary>
    public ReadOnlySpan<byte> Message => HostStatus.Message();
}

/// <summary>Initial metadata of the gRPC call being answered (<see cref="MapType.GrpcReceiveInitialMetadata"/>).</summary>
public readonly struct GrpcInitialMetadata : IHeaderMap
{
    static MapType IHeaderMap.Type => MapType.GrpcReceiveInitialMetadata;
}

/// <summary>Trailing metadata of the gRPC call being answered (<see cref="MapType.GrpcReceiveTrailingMetadata"/>).</summary>
public readonly struct GrpcTrailingMetadata : IHeaderMap
{
    static MapType IHeaderMap.Type => MapType.GrpcReceiveTrailingMetadata;
}
