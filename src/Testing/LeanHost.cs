using System;
using System.Reflection;
using System.Runtime.InteropServices;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// A minimal host whose own steady-state work allocates nothing on the GC heap, so that allocations measured around
/// <see cref="RunRequest"/> and <see cref="RunRequestWithCallout"/> are the module's (generated glue, runtime and
/// filter). It replays one fixed request: request and response header maps set once, header lookups,
/// add/replace/remove into fixed-capacity native storage, logging counted but not kept, a local response counted and
/// made the response the response hooks see; HTTP calls recorded in preallocated slots and answered with one preset
/// answer (LeanHost.Callouts.cs); shared data and metrics in fixed tables (LeanHost.State.cs). Other host functions
/// answer <see cref="ProxyStatus.Unimplemented"/>.
/// </summary>
/// <remarks>Used by the zero-allocation test and the BenchmarkDotNet request-lifecycle benchmark. For behaviour
/// tests use <see cref="ProxyWasmHost"/>. Like Envoy, stream functions (<c>proxy_continue_stream</c>,
/// <c>proxy_send_local_response</c>, the stream's header maps) act on the current context and fail with
/// <see cref="ProxyStatus.BadArgument"/> on the root context, so an answer the module does not route back to its stream
/// (<c>proxy_set_effective_context</c>) cannot resume it.</remarks>
public sealed unsafe partial class LeanHost : IProxyHost, IDisposable
{
    private const uint RootContextId = 1;
    private const int MaxHeaders = 256;
    private const int ValueCapacity = 512;

    /// <summary>Room for a full map in the pairs format: the count, the lengths, and every name and value with its NUL.</summary>
    private const int PairsScratchSize = 4 + (MaxHeaders * 8) + (MaxHeaders * 2 * (ValueCapacity + 1));
    private readonly byte* _pairsScratch = (byte*)NativeMemory.Alloc(PairsScratchSize);
    private readonly ModuleExports _exports;
    private readonly Map _request;
    private readonly Map _response;
    private readonly byte[] _pluginConfiguration;
    private readonly System.Collections.Generic.List<(byte[] Path, byte[] Value)> _properties = new();
    private Map? _current;
    private uint _nextContextId = 2;
    private uint _stream;
    private uint _context;
    private bool _disposed;

    /// <summary>Creates the host, starts the plugin (root context 1: <c>proxy_on_vm_start</c> with an empty VM
    /// configuration and <c>proxy_on_configure</c>, when exported) and records the request and response header maps.</summary>
    public LeanHost(Assembly module, (string Name, string Value)[] requestHeaders, (string Name, string Value)[] responseHeaders, string rootId = "", byte[]? pluginConfiguration = null)
    {
        _exports = ModuleExports.Load(module);
        HostLock.Enter();
        RootId = System.Text.Encoding.UTF8.GetBytes(rootId);
        _pluginConfiguration = pluginConfiguration ?? Array.Empty<byte>();
        _request = new Map(requestHeaders);
        _response = new Map(responseHeaders);
        _answerHeaders = new Map([(":status", "200")]);
        _answerTrailers = new Map([]);
        using (InProcessHost.Enter(this))
        {
            _context = RootContextId;
            _exports.Call(ProxyCallbacks.ContextCreate.Export, RootContextId, 0);
            if (_exports.Has(ProxyCallbacks.VmStart.Export))
            {
                _exports.CallWord(ProxyCallbacks.VmStart.Export, RootContextId, 0);
            }

            if (_exports.Has(ProxyCallbacks.Configure.Export))
            {
                _exports.CallWord(ProxyCallbacks.Configure.Export, RootContextId, (uint)_pluginConfiguration.Length);
            }

            _context = 0;
        }
    }

    private byte[] RootId { get; }

    /// <summary>Log lines the module wrote (counted, not stored).</summary>
    public long LogCount { get; private set; }

    /// <summary>Local responses the module sent (<c>proxy_send_local_response</c>), over all requests.</summary>
    public long LocalResponseCount { get; private set; }

    /// <summary>Status code of the last local response, or 0.</summary>
    public uint LastLocalResponseStatus { get; private set; }

    /// <summary>Times the module resumed a request (<c>proxy_continue_stream(HTTP_REQUEST)</c>), over all requests.</summary>
    public long ResumeCount { get; private set; }

    /// <summary>The first value of request header <paramref name="name"/> after the last request, or null.</summary>
    public string? RequestHeader(string name) => _request.Find(name);

    /// <summary>The first value of response header <paramref name="name"/> after the last request, or null.</summary>
    public string? ResponseHeader(string name) => _response.Find(name);

    /// <summary>
    /// One stream through the module: <c>proxy_on_context_create</c>, <c>proxy_on_request_headers</c>,
    /// <c>proxy_on_response_headers</c>, <c>proxy_on_done</c>, <c>proxy_on_log</c>, <c>proxy_on_delete</c>. The header maps
    /// are reset to the recorded request and response first. HTTP calls are not answered (see
    /// <see cref="RunRequestWithCallout"/>).
    /// </summary>
    /// <returns>The sum of the actions returned (0 when every callback continued).</returns>
    public uint RunRequest()
    {
        uint id = BeginStream();
        uint actions = 0;
        using (InProcessHost.Enter(this))
        {
            _exports.Call(ProxyCallbacks.ContextCreate.Export, id, RootContextId);
            _current = _request;
            if (_exports.Has(ProxyCallbacks.RequestHeaders.Export))
            {
                actions += _exports.CallWord(ProxyCallbacks.RequestHeaders.Export, id, (uint)_request.Count, 1);
            }

            actions += ResponseHeaders(id);
            EndStream(id);
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
            _context = RootContextId;
            _exports.Call(ProxyCallbacks.Delete.Export, RootContextId);
            _context = 0;
        }

        _request.Dispose();
        _response.Dispose();
        _answerHeaders.Dispose();
        _answerTrailers.Dispose();
        NativeMemory.Free(_answerBody);
        NativeMemory.Free(_pairsScratch);
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
    {
        ReadOnlySpan<byte> buffer;
        if (bufferType == BufferType.PluginConfiguration)
        {
            buffer = _pluginConfiguration;
        }
        else if (bufferType == BufferType.HttpCallResponseBody && _answering)
        {
            buffer = AnswerBody;
        }
        else
        {
            return ProxyStatus.NotFound;
        }

        if (start > (nuint)buffer.Length)
        {
            return ProxyStatus.BadArgument;
        }

        return CopyOut(buffer.Slice((int)start, (int)Math.Min((ulong)maxSize, (ulong)buffer.Length - start)), returnBufferData, returnBufferSize);
    }

    ProxyStatus IProxyHost.proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize)
    {
        var path = new ReadOnlySpan<byte>(pathData, (int)pathSize);
        if (path.SequenceEqual("plugin_root_id"u8))
        {
            return CopyOut(RootId, returnValueData, returnValueSize);
        }

        foreach ((byte[] name, byte[] value) in _properties)
        {
            if (path.SequenceEqual(name))
            {
                return CopyOut(value, returnValueData, returnValueSize);
            }
        }

        return ProxyStatus.NotFound;
    }

    /// <summary>Adds a fixed property for <c>proxy_get_property</c> (path segments joined with <c>'\0'</c>; values
    /// encoded as Envoy does, see <see cref="PropertyValue"/>). Set them before measuring: lookups allocate nothing.</summary>
    public void SetProperty(string path, byte[] value) => _properties.Add((System.Text.Encoding.UTF8.GetBytes(path), (byte[])value.Clone()));

    ProxyStatus IProxyHost.proxy_send_local_response(uint statusCode, byte* statusCodeDetailsData, nuint statusCodeDetailsSize, byte* bodyData, nuint bodySize, byte* serializedHeadersData, nuint serializedHeadersSize, int grpcStatus)
    {
        if (!OnStream || HeaderPairs.TryParse(new ReadOnlySpan<byte>(serializedHeadersData, checked((int)serializedHeadersSize)), out HeaderPairs headers) != PairsError.None)
        {
            return ProxyStatus.BadArgument;
        }

        // The local response is what the response hooks see: :status and the module's headers (as ProxyWasmHost).
        LocalResponseCount++;
        LastLocalResponseStatus = statusCode;
        Span<byte> status = stackalloc byte[10];
        statusCode.TryFormat(status, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        _response.Clear();
        _response.Add(":status"u8, status[..written]);
        foreach (HeaderPair header in headers)
        {
            _response.Add(header.Name, header.Value);
        }

        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_current_time_nanoseconds(ulong* returnTime) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_set_tick_period_milliseconds(uint tickPeriodMilliseconds) => ProxyStatus.Ok;

    ProxyStatus IProxyHost.proxy_get_buffer_status(BufferType bufferType, nuint* returnBufferSize, uint* returnFlags)
    {
        if (bufferType != BufferType.HttpCallResponseBody || !_answering)
        {
            return ProxyStatus.NotFound;
        }

        *returnBufferSize = (nuint)_answerBodyLength;
        *returnFlags = 0;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_set_buffer_bytes(BufferType bufferType, nuint start, nuint size, byte* bufferData, nuint bufferSize) => ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_get_header_map_size(MapType mapType, nuint* returnSerializedPairsSize)
    {
        if (MapFor(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        *returnSerializedPairsSize = (nuint)map.SerializedSize;
        return ProxyStatus.Ok;
    }

    /// <summary>The map serialized into native scratch memory of the host (no GC allocation), then copied into the module.</summary>
    ProxyStatus IProxyHost.proxy_get_header_map_pairs(MapType mapType, byte** returnSerializedPairsData, nuint* returnSerializedPairsSize)
    {
        if (MapFor(mapType) is not { } map)
        {
            return ProxyStatus.BadArgument;
        }

        var scratch = new Span<byte>(_pairsScratch, PairsScratchSize);
        int size = map.SerializedSize;
        map.Serialize(scratch);
        return CopyOut(scratch.Slice(0, size), returnSerializedPairsData, returnSerializedPairsSize);
    }

    ProxyStatus IProxyHost.proxy_set_header_map_pairs(MapType mapType, byte* serializedPairsData, nuint serializedPairsSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_continue_stream(StreamType streamType)
    {
        if (!OnStream || streamType is not (StreamType.HttpRequest or StreamType.HttpResponse))
        {
            return ProxyStatus.BadArgument;
        }

        if (streamType == StreamType.HttpRequest)
        {
            ResumeCount++;
        }

        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_close_stream(StreamType streamType) => ProxyStatus.Ok;

    ProxyStatus IProxyHost.proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, byte* messageData, nuint messageSize, uint timeoutMilliseconds, uint* returnCalloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_stream(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, uint* returnStreamId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_send(uint streamId, byte* messageData, nuint messageSize, uint endStream) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_cancel(uint calloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_grpc_close(uint calloutId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_register_shared_queue(byte* nameData, nuint nameSize, uint* returnQueueId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_resolve_shared_queue(byte* vmIdData, nuint vmIdSize, byte* nameData, nuint nameSize, uint* returnQueueId) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_enqueue_shared_queue(uint queueId, byte* valueData, nuint valueSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_dequeue_shared_queue(uint queueId, byte** returnValueData, nuint* returnValueSize) => ProxyStatus.Unimplemented;

    ProxyStatus IProxyHost.proxy_done() => ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_call_foreign_function(byte* functionNameData, nuint functionNameSize, byte* argumentsData, nuint argumentsSize, byte** returnResultsData, nuint* returnResultsSize) => ProxyStatus.Unimplemented;

    /// <summary>The current context is the live stream (not the root, not between callbacks).</summary>
    private bool OnStream => _stream != 0 && _context == _stream;

    private Map? MapFor(MapType type) => type switch
    {
        MapType.HttpRequestHeaders when OnStream => _request,
        MapType.HttpResponseHeaders when OnStream && _current == _response => _response,
        MapType.HttpCallResponseHeaders when _answering => _answerHeaders,
        MapType.HttpCallResponseTrailers when _answering => _answerTrailers,
        _ => null,
    };

    /// <summary>Starts a stream: a new context id, the recorded maps, no calls pending.</summary>
    private uint BeginStream()
    {
        uint id = _nextContextId++;
        _request.Reset();
        _response.Reset();
        _pendingCount = 0;
        _stream = id;
        _context = id;
        return id;
    }

    /// <summary><c>proxy_on_response_headers</c> on the response map (the recorded response, or the local response).</summary>
    private uint ResponseHeaders(uint id)
    {
        _context = id;
        _current = _response;
        return _exports.Has(ProxyCallbacks.ResponseHeaders.Export)
            ? _exports.CallWord(ProxyCallbacks.ResponseHeaders.Export, id, (uint)_response.Count, 1)
            : 0;
    }

    /// <summary><c>proxy_on_done</c>, <c>proxy_on_log</c> (when exported), <c>proxy_on_delete</c>.</summary>
    private void EndStream(uint id)
    {
        _context = id;
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
        _stream = 0;
        _context = 0;
    }

    private ProxyStatus CopyOut(ReadOnlySpan<byte> data, byte** returnData, nuint* returnSize) => _exports.CopyOut(data, returnData, returnSize);
}
