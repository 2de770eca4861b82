using System;
using System.Collections.Generic;
using System.Text;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>An HTTP call the module dispatched (<c>proxy_http_call</c>).</summary>
/// <param name="CalloutId">The id the host returned.</param>
/// <param name="Upstream">The upstream (cluster) name.</param>
/// <param name="Headers">Request headers.</param>
/// <param name="Body">Request body.</param>
/// <param name="Trailers">Request trailers.</param>
/// <param name="TimeoutMilliseconds">Timeout in ms.</param>
public sealed record HttpCallRecord(uint CalloutId, string Upstream, HeaderList Headers, byte[] Body, HeaderList Trailers, uint TimeoutMilliseconds);

/// <summary>The host functions, with Envoy's semantics (Envoy <c>source/extensions/common/wasm/context.cc</c>).</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly List<HttpCallRecord> _httpCalls = new();
    private readonly Dictionary<string, (byte[] Value, uint Cas)> _sharedData = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint> _queueIds = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, Queue<byte[]>> _queues = new();
    private readonly Dictionary<string, uint> _metricIds = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, ulong> _metrics = new();
    private readonly Dictionary<string, byte[]> _setProperties = new(StringComparer.Ordinal);
    private uint _nextCalloutId;

    /// <summary>The value of a metric the module defined, by name, or <see langword="null"/>.</summary>
    public ulong? GetMetric(string name) => _metricIds.TryGetValue(name, out uint id) ? _metrics[id] : null;

    /// <summary>A property the module set with <c>proxy_set_property</c> (NUL-joined path), or <see langword="null"/>.</summary>
    public byte[]? GetSetProperty(string path) => _setProperties.TryGetValue(path, out byte[]? value) ? value : null;

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
        TickPeriodMilliseconds = tickPeriodMilliseconds;
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
        if (_current is not { } stream)
        {
            return ProxyStatus.BadArgument;
        }

        switch (streamType)
        {
            case StreamType.HttpRequest:
                stream.RequestResumeCount++;
                return ProxyStatus.Ok;
            case StreamType.HttpResponse:
                stream.ResponseResumeCount++;
                return ProxyStatus.Ok;
            default:
                return ProxyStatus.BadArgument;
        }
    }

    ProxyStatus IProxyHost.proxy_close_stream(StreamType streamType)
    {
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

    ProxyStatus IProxyHost.proxy_get_status(uint* returnStatusCode, byte** returnStatusMessageData, nuint* returnStatusMessageSize)
        => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize)
    {
        string path = Text(pathData, pathSize);
        byte[]? value = path switch
        {
            "plugin_root_id" or "plugin_name" => Encoding.UTF8.GetBytes(Options.RootId),
            "plugin_vm_id" => Encoding.UTF8.GetBytes(Options.VmId),
            _ => _setProperties.TryGetValue(path, out byte[]? set) ? set : Options.Properties.TryGetValue(path, out byte[]? configured) ? configured : null,
        };
        return value is null ? ProxyStatus.NotFound : CopyOut(value, returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize)
    {
        _setProperties[Text(pathData, pathSize)] = Bytes(valueData, valueSize);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_http_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serializedHeadersData, nuint serializedHeadersSize, byte* bodyData, nuint bodySize, byte* serializedTrailersData, nuint serializedTrailersSize, uint timeoutMilliseconds, uint* returnCalloutId)
    {
        var headers = new HeaderList();
        headers.LoadSerialized(new ReadOnlySpan<byte>(serializedHeadersData, checked((int)serializedHeadersSize)));
        var trailers = new HeaderList();
        trailers.LoadSerialized(new ReadOnlySpan<byte>(serializedTrailersData, checked((int)serializedTrailersSize)));
        if (headers.Get(":path") is null || headers.Get(":method") is null || headers.Get(":authority") is null)
        {
            return ProxyStatus.BadArgument;
        }

        // Envoy numbers callouts in steps of 4 (the low bits hold the callout type; HTTP is 0).
        uint id = _nextCalloutId += 4;
        _httpCalls.Add(new HttpCallRecord(id, Text(upstreamNameData, upstreamNameSize), headers, Bytes(bodyData, bodySize), trailers, timeoutMilliseconds));
        *returnCalloutId = id;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_grpc_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, byte* messageData, nuint messageSize, uint timeoutMilliseconds, uint* returnCalloutId)
        => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_stream(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, uint* returnStreamId)
        => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_send(uint streamId, byte* messageData, nuint messageSize, uint endStream) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_cancel(uint calloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_close(uint calloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_get_shared_data(byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize, uint* returnCas)
    {
        if (!_sharedData.TryGetValue(Text(keyData, keySize), out (byte[] Value, uint Cas) entry))
        {
            return ProxyStatus.NotFound;
        }

        *returnCas = entry.Cas;
        return CopyOut(entry.Value, returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_set_shared_data(byte* keyData, nuint keySize, byte* valueData, nuint valueSize, uint cas)
    {
        string key = Text(keyData, keySize);
        uint current = _sharedData.TryGetValue(key, out (byte[] Value, uint Cas) entry) ? entry.Cas : 0;
        if (cas != 0 && cas != current)
        {
            return ProxyStatus.CasMismatch;
        }

        _sharedData[key] = (Bytes(valueData, valueSize), current + 1);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_register_shared_queue(byte* nameData, nuint nameSize, uint* returnQueueId)
    {
        string name = Options.VmId + "\0" + Text(nameData, nameSize);
        if (!_queueIds.TryGetValue(name, out uint id))
        {
            id = (uint)_queueIds.Count + 1;
            _queueIds[name] = id;
            _queues[id] = new Queue<byte[]>();
        }

        *returnQueueId = id;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_resolve_shared_queue(byte* vmIdData, nuint vmIdSize, byte* nameData, nuint nameSize, uint* returnQueueId)
    {
        if (!_queueIds.TryGetValue(Text(vmIdData, vmIdSize) + "\0" + Text(nameData, nameSize), out uint id))
        {
            return ProxyStatus.NotFound;
        }

        *returnQueueId = id;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_enqueue_shared_queue(uint queueId, byte* valueData, nuint valueSize)
    {
        if (!_queues.TryGetValue(queueId, out Queue<byte[]>? queue))
        {
            return ProxyStatus.NotFound;
        }

        queue.Enqueue(Bytes(valueData, valueSize));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_dequeue_shared_queue(uint queueId, byte** returnValueData, nuint* returnValueSize)
    {
        if (!_queues.TryGetValue(queueId, out Queue<byte[]>? queue))
        {
            return ProxyStatus.NotFound;
        }

        return queue.TryDequeue(out byte[]? value) ? CopyOut(value, returnValueData, returnValueSize) : ProxyStatus.Empty;
    }

    ProxyStatus IProxyHost.proxy_define_metric(MetricType metricType, byte* nameData, nuint nameSize, uint* returnMetricId)
    {
        if ((uint)metricType > (uint)MetricType.Histogram)
        {
            return ProxyStatus.BadArgument;
        }

        string name = Text(nameData, nameSize);
        if (!_metricIds.TryGetValue(name, out uint id))
        {
            // As in proxy-wasm-cpp-host: the type in the low 2 bits, ids in steps of 4.
            id = ((uint)(_metricIds.Count + 1) << 2) | (uint)metricType;
            _metricIds[name] = id;
            _metrics[id] = 0;
        }

        *returnMetricId = id;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_increment_metric(uint metricId, long offset)
    {
        if (!_metrics.TryGetValue(metricId, out ulong value))
        {
            return ProxyStatus.NotFound;
        }

        if ((MetricType)(metricId & 3) == MetricType.Counter && offset < 0)
        {
            return ProxyStatus.BadArgument;
        }

        _metrics[metricId] = (ulong)((long)value + offset);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_record_metric(uint metricId, ulong value)
    {
        if (!_metrics.ContainsKey(metricId))
        {
            return ProxyStatus.NotFound;
        }

        _metrics[metricId] = value;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_metric(uint metricId, ulong* returnValue)
    {
        if (!_metrics.TryGetValue(metricId, out ulong value))
        {
            return ProxyStatus.NotFound;
        }

        *returnValue = value;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_set_effective_context(uint contextId)
    {
        if (contextId != RootContextId && !_streams.ContainsKey(contextId))
        {
            return ProxyStatus.BadArgument;
        }

        _current = _streams.TryGetValue(contextId, out HttpStreamContext? stream) ? stream : null;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_done() => ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_call_foreign_function(byte* functionNameData, nuint functionNameSize, byte* argumentsData, nuint argumentsSize, byte** returnResultsData, nuint* returnResultsSize)
    {
        if (!Options.ForeignFunctions.TryGetValue(Text(functionNameData, functionNameSize), out Func<byte[], byte[]>? function))
        {
            return ProxyStatus.NotFound;
        }

        return CopyOut(function(Bytes(argumentsData, argumentsSize)), returnResultsData, returnResultsSize);
    }

    private bool TryGetBuffer(BufferType type, out byte[] buffer)
    {
        buffer = type switch
        {
            BufferType.PluginConfiguration => Options.PluginConfiguration,
            BufferType.VmConfiguration => Options.VmConfiguration,
            BufferType.HttpRequestBody when _current is not null => _current.RequestBody,
            BufferType.HttpResponseBody when _current is not null => _current.ResponseBody,
            _ => null!,
        };
        return buffer is not null;
    }

    private HeaderList? GetMap(MapType type) => _current is not { } stream ? null : type switch
    {
        MapType.HttpRequestHeaders => stream.RequestHeaders,
        MapType.HttpRequestTrailers => stream.RequestTrailers,
        MapType.HttpResponseHeaders => stream.ResponseHeaders,
        MapType.HttpResponseTrailers => stream.ResponseTrailers,
        _ => null,
    };

    private ProxyStatus CopyOut(ReadOnlySpan<byte> data, byte** returnData, nuint* returnSize) => Exports.CopyOut(data, returnData, returnSize);
}
