using System;
using System.Collections.Generic;
using System.Text;
using ProxyWasm.Abi;

namespace ProxyWasm.Runtime.Tests.Support;

/// <summary>
/// A small in-process Proxy-Wasm host for the runtime tests. It records every call, keeps header maps, buffers and
/// properties in memory, and returns data the way a real host does: it calls the module's allocator
/// (<see cref="HostMemory.Allocate"/>) and copies the bytes into the block, or writes null/0 for empty data
/// (proxy-wasm-cpp-host's <c>copyToPointerSize("")</c>). Calls it does not model return <see cref="ProxyStatus.Unimplemented"/>.
/// </summary>
internal sealed unsafe class FakeHost : IProxyHost
{
    /// <summary>Names of the host functions called, in order.</summary>
    public List<string> Calls { get; } = new();

    /// <summary>Forces a host function (by name) to return a status without doing anything else.</summary>
    public Dictionary<string, ProxyStatus> ForcedStatus { get; } = new();

    // ---- Logging ----
    public LogLevel Level { get; set; } = LogLevel.Trace;
    public List<(LogLevel Level, byte[] Message)> Logs { get; } = new();

    public string LogText(int index) => Encoding.UTF8.GetString(Logs[index].Message);

    // ---- Header maps ----
    public Dictionary<MapType, List<(byte[] Name, byte[] Value)>> Maps { get; } = new();

    /// <summary>When set for a map, <c>proxy_get_header_map_pairs</c> returns these bytes as they are.</summary>
    public Dictionary<MapType, byte[]> RawPairs { get; } = new();

    public List<(MapType Map, byte[] Serialized)> SetPairsCalls { get; } = new();

    public List<(MapType Map, byte[] Name)> GetValueCalls { get; } = new();

    // ---- Buffers ----
    public Dictionary<BufferType, byte[]> Buffers { get; } = new();
    public List<(BufferType Type, nuint Start, nuint MaxSize)> GetBufferBytesCalls { get; } = new();
    public List<(BufferType Type, nuint Start, nuint Size, byte[] Bytes)> SetBufferCalls { get; } = new();

    // ---- Properties ----
    public Dictionary<string, byte[]> Properties { get; } = new();
    public List<byte[]> PropertyPaths { get; } = new();

    // ---- Time, stream control and contexts ----

    /// <summary>What <c>proxy_get_current_time_nanoseconds</c> answers; null: Unimplemented.</summary>
    public ulong? TimeNanoseconds { get; set; }

    /// <summary>The halves passed to <c>proxy_continue_stream</c>, in order.</summary>
    public List<StreamType> ContinuedStreams { get; } = new();

    /// <summary>The ids passed to <c>proxy_set_effective_context</c>, in order.</summary>
    public List<uint> EffectiveContexts { get; } = new();

    // ---- Local responses ----
    public List<(uint Status, byte[] Details, byte[] Body, byte[] Headers, int Grpc)> LocalResponses { get; } = new();

    /// <summary>Number of blocks this host allocated in the module.</summary>
    public int Allocations { get; private set; }

    public static string Key(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public List<(byte[] Name, byte[] Value)> Map(MapType type)
    {
        if (!Maps.TryGetValue(type, out List<(byte[] Name, byte[] Value)>? map))
        {
            map = new List<(byte[], byte[])>();
            Maps[type] = map;
        }

        return map;
    }

    private bool Forced(string name, out ProxyStatus status)
    {
        Calls.Add(name);
        return ForcedStatus.TryGetValue(name, out status);
    }

    /// <summary>Rewrites the (pointer, size) this host is about to return (a host that lies about what it wrote).</summary>
    public ReturnLie? Lie { get; set; }

    public delegate void ReturnLie(ref nint data, ref nuint size);

    private void Return(ReadOnlySpan<byte> data, byte** returnData, nuint* returnSize)
    {
        ReturnCore(data, returnData, returnSize);
        if (Lie is { } lie)
        {
            nint pointer = (nint)(*returnData);
            nuint size = *returnSize;
            lie(ref pointer, ref size);
            *returnData = (byte*)pointer;
            *returnSize = size;
        }
    }

    private void ReturnCore(ReadOnlySpan<byte> data, byte** returnData, nuint* returnSize)
    {
        if (data.IsEmpty)
        {
            *returnData = null;
            *returnSize = 0;
            return;
        }

        byte* block = HostMemory.Allocate((nuint)data.Length);
        Allocations++;
        data.CopyTo(new Span<byte>(block, data.Length));
        *returnData = block;
        *returnSize = (nuint)data.Length;
    }

    private static byte[] Copy(byte* data, nuint size) => size == 0 ? Array.Empty<byte>() : new ReadOnlySpan<byte>(data, checked((int)size)).ToArray();

    // ---- Logging and time ----

    public ProxyStatus proxy_log(LogLevel level, byte* messageData, nuint messageSize)
    {
        if (Forced(nameof(proxy_log), out ProxyStatus forced))
        {
            return forced;
        }

        Logs.Add((level, Copy(messageData, messageSize)));
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_get_log_level(LogLevel* returnLogLevel)
    {
        if (Forced(nameof(proxy_get_log_level), out ProxyStatus forced))
        {
            return forced;
        }

        *returnLogLevel = Level;
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_get_current_time_nanoseconds(ulong* returnTime)
    {
        if (Forced(nameof(proxy_get_current_time_nanoseconds), out ProxyStatus forced))
        {
            return forced;
        }

        if (TimeNanoseconds is not { } time)
        {
            return ProxyStatus.Unimplemented;
        }

        *returnTime = time;
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_set_tick_period_milliseconds(uint tickPeriodMilliseconds)
    {
        Calls.Add(nameof(proxy_set_tick_period_milliseconds));
        return ProxyStatus.Unimplemented;
    }

    // ---- Buffers ----

    public ProxyStatus proxy_get_buffer_status(BufferType bufferType, nuint* returnBufferSize, uint* returnFlags)
    {
        if (Forced(nameof(proxy_get_buffer_status), out ProxyStatus forced))
        {
            return forced;
        }

        if (!Buffers.TryGetValue(bufferType, out byte[]? buffer))
        {
            return ProxyStatus.NotFound;
        }

        *returnBufferSize = (nuint)buffer.Length;
        *returnFlags = 0;
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_get_buffer_bytes(BufferType bufferType, nuint start, nuint maxSize, byte** returnBufferData, nuint* returnBufferSize)
    {
        GetBufferBytesCalls.Add((bufferType, start, maxSize));
        if (Forced(nameof(proxy_get_buffer_bytes), out ProxyStatus forced))
        {
            return forced;
        }

        if (!Buffers.TryGetValue(bufferType, out byte[]? buffer))
        {
            return ProxyStatus.NotFound;
        }

        if (start > (nuint)buffer.Length)
        {
            return ProxyStatus.BadArgument;
        }

        int from = (int)start;
        int length = (int)Math.Min((ulong)(buffer.Length - from), (ulong)maxSize);
        Return(buffer.AsSpan(from, length), returnBufferData, returnBufferSize);
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_set_buffer_bytes(BufferType bufferType, nuint start, nuint size, byte* bufferData, nuint bufferSize)
    {
        byte[] bytes = Copy(bufferData, bufferSize);
        SetBufferCalls.Add((bufferType, start, size, bytes));
        if (Forced(nameof(proxy_set_buffer_bytes), out ProxyStatus forced))
        {
            return forced;
        }

        if (!Buffers.TryGetValue(bufferType, out byte[]? buffer))
        {
            return ProxyStatus.NotFound;
        }

        // proxy-wasm-cpp-host/Envoy semantics: (0, 0) prepends, (0, >= length) replaces, start >= length appends.
        if (start == 0 && size == 0)
        {
            Buffers[bufferType] = [.. bytes, .. buffer];
        }
        else if (start == 0 && size >= (nuint)buffer.Length)
        {
            Buffers[bufferType] = bytes;
        }
        else if (start >= (nuint)buffer.Length)
        {
            Buffers[bufferType] = [.. buffer, .. bytes];
        }
        else
        {
            return ProxyStatus.BadArgument;
        }

        return ProxyStatus.Ok;
    }

    // ---- Header maps ----

    public ProxyStatus proxy_get_header_map_size(MapType mapType, nuint* returnSerializedPairsSize)
    {
        Calls.Add(nameof(proxy_get_header_map_size));
        return ProxyStatus.Unimplemented;
    }

    public ProxyStatus proxy_get_header_map_pairs(MapType mapType, byte** returnSerializedPairsData, nuint* returnSerializedPairsSize)
    {
        if (Forced(nameof(proxy_get_header_map_pairs), out ProxyStatus forced))
        {
            return forced;
        }

        if (RawPairs.TryGetValue(mapType, out byte[]? raw))
        {
            Return(raw, returnSerializedPairsData, returnSerializedPairsSize);
            return ProxyStatus.Ok;
        }

        List<(byte[] Name, byte[] Value)> map = Map(mapType);
        Return(map.Count == 0 ? default : PairsModel.Encode(map), returnSerializedPairsData, returnSerializedPairsSize);
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_set_header_map_pairs(MapType mapType, byte* serializedPairsData, nuint serializedPairsSize)
    {
        byte[] serialized = Copy(serializedPairsData, serializedPairsSize);
        SetPairsCalls.Add((mapType, serialized));
        if (Forced(nameof(proxy_set_header_map_pairs), out ProxyStatus forced))
        {
            return forced;
        }

        // Like cpp-host toPairs: a malformed buffer becomes an empty map.
        List<(byte[] Name, byte[] Value)> map = Map(mapType);
        map.Clear();
        if (PairsModel.Validate(serialized, out List<(byte[] Name, byte[] Value)> pairs) == PairsError.None)
        {
            map.AddRange(pairs);
        }

        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_get_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize)
    {
        byte[] key = Copy(keyData, keySize);
        GetValueCalls.Add((mapType, key));
        if (Forced(nameof(proxy_get_header_map_value), out ProxyStatus forced))
        {
            return forced;
        }

        // Envoy joins several values of one header with ",".
        var values = new List<byte[]>();
        foreach ((byte[] name, byte[] value) in Map(mapType))
        {
            if (name.AsSpan().SequenceEqual(key))
            {
                values.Add(value);
            }
        }

        if (values.Count == 0)
        {
            return ProxyStatus.NotFound;
        }

        var joined = new List<byte>();
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                joined.Add((byte)',');
            }

            joined.AddRange(values[i]);
        }

        Return(joined.ToArray(), returnValueData, returnValueSize);
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_add_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
    {
        if (Forced(nameof(proxy_add_header_map_value), out ProxyStatus forced))
        {
            return forced;
        }

        Map(mapType).Add((Copy(keyData, keySize), Copy(valueData, valueSize)));
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_replace_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
    {
        if (Forced(nameof(proxy_replace_header_map_value), out ProxyStatus forced))
        {
            return forced;
        }

        byte[] key = Copy(keyData, keySize);
        List<(byte[] Name, byte[] Value)> map = Map(mapType);
        map.RemoveAll(pair => pair.Name.AsSpan().SequenceEqual(key));
        map.Add((key, Copy(valueData, valueSize)));
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_remove_header_map_value(MapType mapType, byte* keyData, nuint keySize)
    {
        if (Forced(nameof(proxy_remove_header_map_value), out ProxyStatus forced))
        {
            return forced;
        }

        byte[] key = Copy(keyData, keySize);
        Map(mapType).RemoveAll(pair => pair.Name.AsSpan().SequenceEqual(key));
        return ProxyStatus.Ok;
    }

    // ---- Stream control ----

    public ProxyStatus proxy_continue_stream(StreamType streamType)
    {
        if (Forced(nameof(proxy_continue_stream), out ProxyStatus forced))
        {
            return forced;
        }

        ContinuedStreams.Add(streamType);
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_close_stream(StreamType streamType)
    {
        Calls.Add(nameof(proxy_close_stream));
        return ProxyStatus.Unimplemented;
    }

    public ProxyStatus proxy_send_local_response(uint statusCode, byte* statusCodeDetailsData, nuint statusCodeDetailsSize, byte* bodyData, nuint bodySize, byte* serializedHeadersData, nuint serializedHeadersSize, int grpcStatus)
    {
        if (Forced(nameof(proxy_send_local_response), out ProxyStatus forced))
        {
            return forced;
        }

        LocalResponses.Add((statusCode, Copy(statusCodeDetailsData, statusCodeDetailsSize), Copy(bodyData, bodySize), Copy(serializedHeadersData, serializedHeadersSize), grpcStatus));
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_get_status(uint* returnStatusCode, byte** returnStatusMessageData, nuint* returnStatusMessageSize)
    {
        Calls.Add(nameof(proxy_get_status));
        return ProxyStatus.Unimplemented;
    }

    // ---- Properties ----

    public ProxyStatus proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize)
    {
        byte[] path = Copy(pathData, pathSize);
        PropertyPaths.Add(path);
        if (Forced(nameof(proxy_get_property), out ProxyStatus forced))
        {
            return forced;
        }

        if (!Properties.TryGetValue(Key(path), out byte[]? value))
        {
            return ProxyStatus.NotFound;
        }

        Return(value, returnValueData, returnValueSize);
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize)
    {
        if (Forced(nameof(proxy_set_property), out ProxyStatus forced))
        {
            return forced;
        }

        Properties[Key(new ReadOnlySpan<byte>(pathData, checked((int)pathSize)))] = Copy(valueData, valueSize);
        return ProxyStatus.Ok;
    }

    // ---- Not modelled: HTTP and gRPC calls, shared data and queues, metrics, contexts, foreign functions ----

    public ProxyStatus proxy_http_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serializedHeadersData, nuint serializedHeadersSize, byte* bodyData, nuint bodySize, byte* serializedTrailersData, nuint serializedTrailersSize, uint timeoutMilliseconds, uint* returnCalloutId)
        => Unimplemented(nameof(proxy_http_call));

    public ProxyStatus proxy_grpc_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, byte* messageData, nuint messageSize, uint timeoutMilliseconds, uint* returnCalloutId)
        => Unimplemented(nameof(proxy_grpc_call));

    public ProxyStatus proxy_grpc_stream(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, uint* returnStreamId)
        => Unimplemented(nameof(proxy_grpc_stream));

    public ProxyStatus proxy_grpc_send(uint streamId, byte* messageData, nuint messageSize, uint endStream) => Unimplemented(nameof(proxy_grpc_send));

    public ProxyStatus proxy_grpc_cancel(uint calloutId) => Unimplemented(nameof(proxy_grpc_cancel));

    public ProxyStatus proxy_grpc_close(uint calloutId) => Unimplemented(nameof(proxy_grpc_close));

    public ProxyStatus proxy_get_shared_data(byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize, uint* returnCas)
        => Unimplemented(nameof(proxy_get_shared_data));

    public ProxyStatus proxy_set_shared_data(byte* keyData, nuint keySize, byte* valueData, nuint valueSize, uint cas)
        => Unimplemented(nameof(proxy_set_shared_data));

    public ProxyStatus proxy_register_shared_queue(byte* nameData, nuint nameSize, uint* returnQueueId) => Unimplemented(nameof(proxy_register_shared_queue));

    public ProxyStatus proxy_resolve_shared_queue(byte* vmIdData, nuint vmIdSize, byte* nameData, nuint nameSize, uint* returnQueueId)
        => Unimplemented(nameof(proxy_resolve_shared_queue));

    public ProxyStatus proxy_enqueue_shared_queue(uint queueId, byte* valueData, nuint valueSize) => Unimplemented(nameof(proxy_enqueue_shared_queue));

    public ProxyStatus proxy_dequeue_shared_queue(uint queueId, byte** returnValueData, nuint* returnValueSize) => Unimplemented(nameof(proxy_dequeue_shared_queue));

    public ProxyStatus proxy_define_metric(MetricType metricType, byte* nameData, nuint nameSize, uint* returnMetricId) => Unimplemented(nameof(proxy_define_metric));

    public ProxyStatus proxy_increment_metric(uint metricId, long offset) => Unimplemented(nameof(proxy_increment_metric));

    public ProxyStatus proxy_record_metric(uint metricId, ulong value) => Unimplemented(nameof(proxy_record_metric));

    public ProxyStatus proxy_get_metric(uint metricId, ulong* returnValue) => Unimplemented(nameof(proxy_get_metric));

    public ProxyStatus proxy_set_effective_context(uint contextId)
    {
        if (Forced(nameof(proxy_set_effective_context), out ProxyStatus forced))
        {
            return forced;
        }

        EffectiveContexts.Add(contextId);
        return ProxyStatus.Ok;
    }

    public ProxyStatus proxy_done() => Unimplemented(nameof(proxy_done));

    public ProxyStatus proxy_call_foreign_function(byte* functionNameData, nuint functionNameSize, byte* argumentsData, nuint argumentsSize, byte** returnResultsData, nuint* returnResultsSize)
        => Unimplemented(nameof(proxy_call_foreign_function));

    private ProxyStatus Unimplemented(string name)
    {
        Calls.Add(name);
        return ProxyStatus.Unimplemented;
    }
}
