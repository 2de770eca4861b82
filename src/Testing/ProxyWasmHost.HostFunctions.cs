using System;
using System.Collections.Generic;
using System.Text;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>The host functions of one stream (log, time, buffers, header maps, stream control), with Envoy's semantics
/// (Envoy <c>source/extensions/common/wasm/context.cc</c>); the rest are in ProxyWasmHost.HostState.cs.</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly List<StreamResume> _resumes = new();

    /// <summary>Every paused stream half the module resumed (<c>proxy_continue_stream</c>), in order, across all
    /// streams: which stream and which half. (Each stream also counts its own: <see cref="HttpStreamContext.RequestResumeCount"/>.)</summary>
    public IReadOnlyList<StreamResume> Resumes => _resumes;

    ProxyStatus IProxyHost.proxy_log(LogLevel level, byte* messageData, nuint messageSize)
    {
        if ((uint)level > (uint)LogLevel.Critical)
        {
            return ProxyStatus.BadArgument;
        }

        _logs.Add(new LogEntry(level, Text(messageData, messageSize)));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_log_level(LogLevel* returnLogLevel)
    {
        *returnLogLevel = Options.LogLevel;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_current_time_nanoseconds(ulong* returnTime)
    {
        *returnTime = (ulong)(Options.Clock().ToUnixTimeMilliseconds() * 1_000_000L);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_set_tick_period_milliseconds(uint tickPeriodMilliseconds)
    {
        // Envoy keeps one timer per root context: the current context's root.
        (PluginById(RootOf(CurrentContextId)) ?? _currentPlugin ?? DefaultPlugin).TickPeriodMilliseconds = tickPeriodMilliseconds;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_buffer_status(BufferType bufferType, nuint* returnBufferSize, uint* returnFlags)
    {
        if (!TryGetBuffer(bufferType, out byte[] buffer))
        {
            return ProxyStatus.NotFound;
        }

        *returnBufferSize = (nuint)buffer.Length;
        *returnFlags = 0;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_buffer_bytes(BufferType bufferType, nuint start, nuint maxSize, byte** returnBufferData, nuint* returnBufferSize)
    {
        if (!TryGetBuffer(bufferType, out byte[] buffer))
        {
            return ProxyStatus.NotFound;
        }

        if (start > (nuint)buffer.Length)
        {
            return ProxyStatus.BadArgument;
        }

        int length = (int)Math.Min((ulong)maxSize, (ulong)buffer.Length - start);
        return CopyOut(buffer.AsSpan((int)start, length), returnBufferData, returnBufferSize);
    }

    ProxyStatus IProxyHost.proxy_set_buffer_bytes(BufferType bufferType, nuint start, nuint size, byte* bufferData, nuint bufferSize)
    {
        if (bufferType is BufferType.DownstreamData or BufferType.UpstreamData)
        {
            return _currentConnection is { } connection
                ? SetConnectionBuffer(connection, bufferType, start, size, new ReadOnlySpan<byte>(bufferData, checked((int)bufferSize)))
                : ProxyStatus.NotFound;
        }

        if (_current is not { } stream || bufferType is not (BufferType.HttpRequestBody or BufferType.HttpResponseBody))
        {
            return bufferType is BufferType.HttpRequestBody or BufferType.HttpResponseBody ? ProxyStatus.NotFound : ProxyStatus.BadArgument;
        }

        byte[] body = bufferType == BufferType.HttpRequestBody ? stream.RequestBody : stream.ResponseBody;
        byte[] data = Bytes(bufferData, bufferSize);
        byte[] result;
        if (start == 0 && size == 0)
        {
            result = [.. data, .. body];
        }
        else if (start >= (nuint)body.Length)
        {
            result = [.. body, .. data];
        }
        else
        {
            int from = (int)start;
            int to = (int)Math.Min((ulong)body.Length, (ulong)start + size);
            result = [.. body.AsSpan(0, from), .. data, .. body.AsSpan(to)];
        }

        if (bufferType == BufferType.HttpRequestBody)
        {
            stream.RequestBody = result;
        }
        else
        {
            stream.ResponseBody = result;
        }

        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_header_map_size(MapType mapType, nuint* returnSerializedPairsSize)
    {
        if (GetMap(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        *returnSerializedPairsSize = (nuint)map.Serialize().Length;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_header_map_pairs(MapType mapType, byte** returnSerializedPairsData, nuint* returnSerializedPairsSize)
    {
        // Envoy hands out an empty map (no allocation) when the map does not exist in this callback.
        HeaderList? map = GetMap(mapType);
        byte[] serialized = map is null || map.Count == 0 ? Array.Empty<byte>() : map.Serialize();
        if (Options.PairsTransform is { } transform)
        {
            serialized = transform(serialized);
        }

        return CopyOut(serialized, returnSerializedPairsData, returnSerializedPairsSize);
    }

    ProxyStatus IProxyHost.proxy_set_header_map_pairs(MapType mapType, byte* serializedPairsData, nuint serializedPairsSize)
    {
        if (GetMap(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        // proxy-wasm-cpp-host turns a malformed buffer into an empty map and still answers Ok.
        map.LoadSerialized(new ReadOnlySpan<byte>(serializedPairsData, checked((int)serializedPairsSize)));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize)
    {
        if (GetMap(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        byte[]? value = map.GetBytes(Bytes(keyData, keySize));
        return value is null ? ProxyStatus.NotFound : CopyOut(value, returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_add_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
    {
        if (GetMap(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        map.Add(Bytes(keyData, keySize), Bytes(valueData, valueSize));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_replace_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
    {
        if (GetMap(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        map.Replace(Bytes(keyData, keySize), Bytes(valueData, valueSize));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_remove_header_map_value(MapType mapType, byte* keyData, nuint keySize)
    {
        if (GetMap(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        map.Remove(Bytes(keyData, keySize));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_continue_stream(StreamType streamType)
    {
        if (_currentConnection is { } connection)
        {
            return ControlConnection(connection, streamType, close: false);
        }

        if (_current is not { } stream)
        {
            return ProxyStatus.BadArgument;
        }

        switch (streamType)
        {
            case StreamType.HttpRequest:
                stream.RequestResumeCount++;
                break;
            case StreamType.HttpResponse:
                stream.ResponseResumeCount++;
                break;
            default:
                return ProxyStatus.BadArgument;
        }

        _resumes.Add(new StreamResume(stream.ContextId, streamType));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_close_stream(StreamType streamType)
    {
        if (_currentConnection is { } connection)
        {
            return ControlConnection(connection, streamType, close: true);
        }

        if (_current is not { } stream || streamType is not (StreamType.HttpRequest or StreamType.HttpResponse))
        {
            return ProxyStatus.BadArgument;
        }

        stream.Closed = true;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_send_local_response(uint statusCode, byte* statusCodeDetailsData, nuint statusCodeDetailsSize, byte* bodyData, nuint bodySize, byte* serializedHeadersData, nuint serializedHeadersSize, int grpcStatus)
    {
        if (_current is not { } stream)
        {
            return ProxyStatus.BadArgument;
        }

        var headers = new HeaderList();
        headers.LoadSerialized(new ReadOnlySpan<byte>(serializedHeadersData, checked((int)serializedHeadersSize)));
        stream.LocalResponse = new LocalResponse(statusCode, Bytes(bodyData, bodySize), headers, Text(statusCodeDetailsData, statusCodeDetailsSize), grpcStatus);
        return ProxyStatus.Ok;
    }

    private bool TryGetBuffer(BufferType type, out byte[] buffer)
    {
        buffer = type switch
        {
            BufferType.HttpCallResponseBody when _answer is { } answer => answer.Body,
            BufferType.GrpcReceiveBuffer when _grpcMessage is { } message => message,
            BufferType.PluginConfiguration => (_currentPlugin ?? DefaultPlugin).PluginConfiguration,
            BufferType.VmConfiguration => (_currentPlugin ?? DefaultPlugin).VmConfiguration,
            BufferType.CallData when _callData is { } callData => callData,
            BufferType.DownstreamData when _currentConnection is not null => _currentConnection.DownstreamBuffer,
            BufferType.UpstreamData when _currentConnection is not null => _currentConnection.UpstreamBuffer,
            BufferType.HttpRequestBody when _current is not null => _current.RequestBody,
            BufferType.HttpResponseBody when _current is not null => _current.ResponseBody,
            _ => null!,
        };
        return buffer is not null;
    }

    private HeaderList? GetMap(MapType type) => type switch
    {
        MapType.HttpCallResponseHeaders => _answer?.Headers,
        MapType.HttpCallResponseTrailers => _answer?.Trailers,
        MapType.GrpcReceiveInitialMetadata or MapType.GrpcReceiveTrailingMetadata => _grpcMetadata,
        _ => _current is not { } stream ? null : StreamMap(stream, type),
    };

    private static HeaderList? StreamMap(HttpStreamContext stream, MapType type) => type switch
    {
        MapType.HttpRequestHeaders => stream.RequestHeaders,
        MapType.HttpRequestTrailers => stream.RequestTrailers,
        MapType.HttpResponseHeaders => stream.ResponseHeaders,
        MapType.HttpResponseTrailers => stream.ResponseTrailers,
        _ => null,
    };

    private ProxyStatus CopyOut(ReadOnlySpan<byte> data, byte** returnData, nuint* returnSize) => Exports.CopyOut(data, returnData, returnSize);
}
