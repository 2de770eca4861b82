using System;
using System.Reflection;
using System.Runtime.InteropServices;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// A minimal host whose own steady-state work allocates nothing on the GC heap, so that allocations measured around
/// <see cref="RunRequest"/> are the module's (generated glue, runtime and filter). It replays one fixed request:
/// request and response header maps set once, header lookups, add/replace/remove into fixed-capacity native storage,
/// logging counted but not kept. Other host functions answer <see cref="ProxyStatus.Unimplemented"/>.
/// </summary>
/// <remarks>Used by the zero-allocation test and the BenchmarkDotNet request-lifecycle benchmark. For behaviour
/// tests use <see cref="ProxyWasmHost"/>.</remarks>
public sealed unsafe class LeanHost : IProxyHost, IDisposable
{
    private const int MaxHeaders = 256;
    private const int ValueCapacity = 512;
    private readonly ModuleExports _exports;
    private readonly Map _request;
    private readonly Map _response;
    private readonly byte[] _pluginConfiguration;
    private Map? _current;
    private uint _nextContextId = 2;
    private bool _disposed;

    /// <summary>Creates the host, starts the plugin (root context 1) and records the request and response header maps.</summary>
    public LeanHost(Assembly module, (string Name, string Value)[] requestHeaders, (string Name, string Value)[] responseHeaders, string rootId = "", byte[]? pluginConfiguration = null)
    {
        _exports = ModuleExports.Load(module);
        HostLock.Enter();
        RootId = System.Text.Encoding.UTF8.GetBytes(rootId);
        _pluginConfiguration = pluginConfiguration ?? Array.Empty<byte>();
        _request = new Map(requestHeaders);
        _response = new Map(responseHeaders);
        using (InProcessHost.Enter(this))
        {
            _exports.Call(ProxyCallbacks.ContextCreate.Export, 1, 0);
            if (_exports.Has(ProxyCallbacks.Configure.Export))
            {
                _exports.CallWord(ProxyCallbacks.Configure.Export, 1, (uint)_pluginConfiguration.Length);
            }
        }
    }

    private byte[] RootId { get; }

    /// <summary>Log lines the module wrote (counted, not stored).</summary>
    public long LogCount { get; private set; }

    /// <summary>The first value of request header <paramref name="name"/> after the last request, or null.</summary>
    public string? RequestHeader(string name) => _request.Find(name);

    /// <summary>The first value of response header <paramref name="name"/> after the last request, or null.</summary>
    public string? ResponseHeader(string name) => _response.Find(name);

    /// <summary>
    /// One stream through the module: <c>proxy_on_context_create</c>, <c>proxy_on_request_headers</c>,
    /// <c>proxy_on_response_headers</c>, <c>proxy_on_done</c>, <c>proxy_on_log</c>, <c>proxy_on_delete</c>. The header maps
    /// are reset to the recorded request and response first.
    /// </summary>
    /// <returns>The sum of the actions returned (0 when every callback continued).</returns>
    public uint RunRequest()
    {
        uint id = _nextContextId++;
        _request.Reset();
        _response.Reset();
        uint actions = 0;
        using (InProcessHost.Enter(this))
        {
            _exports.Call(ProxyCallbacks.ContextCreate.Export, id, 1);
            _current = _request;
            if (_exports.Has(ProxyCallbacks.RequestHeaders.Export))
            {
                actions += _exports.CallWord(ProxyCallbacks.RequestHeaders.Export, id, (uint)_request.Count, 1);
            }

            _current = _response;
            if (_exports.Has(ProxyCallbacks.ResponseHeaders.Export))
            {
                actions += _exports.CallWord(ProxyCallbacks.ResponseHeaders.Export, id, (uint)_response.Count, 1);
            }

            _current = null;
            if (_exports.Has(ProxyCallbacks.Done.Export))
            {
                _exports.CallWord(ProxyCallbacks.Done.Export, id);
            }

            if (_exports.Has(ProxyCallbacks.Log.Export))
            {
                _exports.Call(ProxyCallbacks.Log.Export, id);
            }
            _exports.Call(ProxyCallbacks.Delete.Export, id);
        }

        return actions;
    }

    /// <summary>Deletes the root context and frees the native header storage.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using (InProcessHost.Enter(this))
        {
            _exports.Call(ProxyCallbacks.Delete.Export, 1);
        }

        _request.Dispose();
        _response.Dispose();
        HostLock.Exit();
    }

    ProxyStatus IProxyHost.proxy_log(LogLevel level, byte* messageData, nuint messageSize)
    {
        LogCount++;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_log_level(LogLevel* returnLogLevel)
    {
        *returnLogLevel = LogLevel.Info;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize)
    {
        if (MapFor(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        int index = map.IndexOf(new ReadOnlySpan<byte>(keyData, (int)keySize));
        return index < 0 ? ProxyStatus.NotFound : CopyOut(map.Value(index), returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_replace_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
    {
        if (MapFor(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        var key = new ReadOnlySpan<byte>(keyData, (int)keySize);
        map.RemoveAll(key);
        return map.Add(key, new ReadOnlySpan<byte>(valueData, (int)valueSize));
    }

    ProxyStatus IProxyHost.proxy_add_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
        => MapFor(mapType) is { } map ? map.Add(new ReadOnlySpan<byte>(keyData, (int)keySize), new ReadOnlySpan<byte>(valueData, (int)valueSize)) : ProxyStatus.BadArgument;

    ProxyStatus IProxyHost.proxy_remove_header_map_value(MapType mapType, byte* keyData, nuint keySize)
    {
        if (MapFor(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        map.RemoveAll(new ReadOnlySpan<byte>(keyData, (int)keySize));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_buffer_bytes(BufferType bufferType, nuint start, nuint maxSize, byte** returnBufferData, nuint* returnBufferSize)
        => bufferType == BufferType.PluginConfiguration ? CopyOut(_pluginConfiguration, returnBufferData, returnBufferSize) : ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize)
        => new ReadOnlySpan<byte>(pathData, (int)pathSize).SequenceEqual("plugin_root_id"u8) ? CopyOut(RootId, returnValueData, returnValueSize) : ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_send_local_response(uint statusCode, byte* statusCodeDetailsData, nuint statusCodeDetailsSize, byte* bodyData, nuint bodySize, byte* serializedHeadersData, nuint serializedHeadersSize, int grpcStatus) => ProxyStatus.Ok;

    ProxyStatus IProxyHost.proxy_get_current_time_nanoseconds(ulong* returnTime) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_set_tick_period_milliseconds(uint tickPeriodMilliseconds) => ProxyStatus.Ok;

    ProxyStatus IProxyHost.proxy_get_buffer_status(BufferType bufferType, nuint* returnBufferSize, uint* returnFlags) => ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_set_buffer_bytes(BufferType bufferType, nuint start, nuint size, byte* bufferData, nuint bufferSize) => ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_get_header_map_size(MapType mapType, nuint* returnSerializedPairsSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_get_header_map_pairs(MapType mapType, byte** returnSerializedPairsData, nuint* returnSerializedPairsSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_set_header_map_pairs(MapType mapType, byte* serializedPairsData, nuint serializedPairsSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_continue_stream(StreamType streamType) => ProxyStatus.Ok;

    ProxyStatus IProxyHost.proxy_close_stream(StreamType streamType) => ProxyStatus.Ok;

    ProxyStatus IProxyHost.proxy_get_status(uint* returnStatusCode, byte** returnStatusMessageData, nuint* returnStatusMessageSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_http_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serializedHeadersData, nuint serializedHeadersSize, byte* bodyData, nuint bodySize, byte* serializedTrailersData, nuint serializedTrailersSize, uint timeoutMilliseconds, uint* returnCalloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, byte* messageData, nuint messageSize, uint timeoutMilliseconds, uint* returnCalloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_stream(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, uint* returnStreamId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_send(uint streamId, byte* messageData, nuint messageSize, uint endStream) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_cancel(uint calloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_close(uint calloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_get_shared_data(byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize, uint* returnCas) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_set_shared_data(byte* keyData, nuint keySize, byte* valueData, nuint valueSize, uint cas) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_register_shared_queue(byte* nameData, nuint nameSize, uint* returnQueueId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_resolve_shared_queue(byte* vmIdData, nuint vmIdSize, byte* nameData, nuint nameSize, uint* returnQueueId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_enqueue_shared_queue(uint queueId, byte* valueData, nuint valueSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_dequeue_shared_queue(uint queueId, byte** returnValueData, nuint* returnValueSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_define_metric(MetricType metricType, byte* nameData, nuint nameSize, uint* returnMetricId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_increment_metric(uint metricId, long offset) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_record_metric(uint metricId, ulong value) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_get_metric(uint metricId, ulong* returnValue) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_set_effective_context(uint contextId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_done() => ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_call_foreign_function(byte* functionNameData, nuint functionNameSize, byte* argumentsData, nuint argumentsSize, byte** returnResultsData, nuint* returnResultsSize) => ProxyStatus.Unimplemented;

    private Map? MapFor(MapType type) => type switch
    {
        MapType.HttpRequestHeaders => _request,
        MapType.HttpResponseHeaders when _current == _response => _response,
        _ => null,
    };

    private ProxyStatus CopyOut(ReadOnlySpan<byte> data, byte** returnData, nuint* returnSize) => _exports.CopyOut(data, returnData, returnSize);

    /// <summary>A header map in native memory: fixed slots of name and value bytes, so edits never allocate.</summary>
    private sealed class Map : IDisposable
    {
        private readonly byte[][] _initialNames;
        private readonly byte[][] _initialValues;
        private readonly byte* _storage;
        private readonly int[] _nameLengths = new int[MaxHeaders];
        private readonly int[] _valueLengths = new int[MaxHeaders];

        public Map((string Name, string Value)[] headers)
        {
            _initialNames = Array.ConvertAll(headers, h => System.Text.Encoding.UTF8.GetBytes(h.Name));
            _initialValues = Array.ConvertAll(headers, h => System.Text.Encoding.UTF8.GetBytes(h.Value));
            _storage = (byte*)NativeMemory.AllocZeroed((nuint)(MaxHeaders * ValueCapacity * 2));
            Reset();
        }

        public int Count { get; private set; }

        public void Reset()
        {
            Count = 0;
            for (int i = 0; i < _initialNames.Length; i++)
            {
                Add(_initialNames[i], _initialValues[i]);
            }
        }

        public int IndexOf(ReadOnlySpan<byte> name)
        {
            for (int i = 0; i < Count; i++)
            {
                if (Name(i).SequenceEqual(name))
                {
                    return i;
                }
            }

            return -1;
        }

        public ReadOnlySpan<byte> Name(int i) => new(_storage + (i * 2 * ValueCapacity), _nameLengths[i]);

        public ReadOnlySpan<byte> Value(int i) => new(_storage + (((i * 2) + 1) * ValueCapacity), _valueLengths[i]);

        public ProxyStatus Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            if (Count == MaxHeaders || name.Length > ValueCapacity || value.Length > ValueCapacity)
            {
                return ProxyStatus.BadArgument;
            }

            name.CopyTo(new Span<byte>(_storage + (Count * 2 * ValueCapacity), ValueCapacity));
            value.CopyTo(new Span<byte>(_storage + (((Count * 2) + 1) * ValueCapacity), ValueCapacity));
            _nameLengths[Count] = name.Length;
            _valueLengths[Count] = value.Length;
            Count++;
            return ProxyStatus.Ok;
        }

        public void RemoveAll(ReadOnlySpan<byte> name)
        {
            int write = 0;
            for (int read = 0; read < Count; read++)
            {
                if (Name(read).SequenceEqual(name))
                {
                    continue;
                }

                if (write != read)
                {
                    Name(read).CopyTo(new Span<byte>(_storage + (write * 2 * ValueCapacity), ValueCapacity));
                    Value(read).CopyTo(new Span<byte>(_storage + (((write * 2) + 1) * ValueCapacity), ValueCapacity));
                    _nameLengths[write] = _nameLengths[read];
                    _valueLengths[write] = _valueLengths[read];
                }

                write++;
            }

            Count = write;
        }

        public string? Find(string name)
        {
            int index = IndexOf(System.Text.Encoding.UTF8.GetBytes(name));
            return index < 0 ? null : System.Text.Encoding.UTF8.GetString(Value(index));
        }

        public void Dispose() => NativeMemory.Free(_storage);
    }
}
