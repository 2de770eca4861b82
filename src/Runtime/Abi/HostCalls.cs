using System;

namespace ProxyWasm.Abi;

/// <summary>Marks a host-call declaration in <see cref="HostCalls"/>; the generator expands each one (see remarks there).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class HostFunctionAttribute : Attribute
{
    /// <summary>The host never calls into the module during this call: it returns no host-allocated data (no
    /// <c>return_*_data</c> output, so no <c>proxy_on_memory_allocate</c>), and Envoy defers what it starts (a local
    /// response, resuming or closing a stream, queue notifications) until the callback returns. The generator then marks
    /// the import <c>[SuppressGCTransition]</c>: no GC-mode switch around the call, which NativeAOT would otherwise make
    /// on every host call. A call into the module from inside such a call would fail fast ("attempted to call a
    /// UnmanagedCallersOnly method from managed code"), so never set it on a call with a <c>byte**</c> output.</summary>
    public bool NeverCallsModule { get; set; }
}

/// <summary>
/// Every <c>env.proxy_*</c> host function of Proxy-Wasm ABI v0.2.1, declared once, with the ABI's exact parameter
/// types: pointers and sizes are pointer-sized (<c>i32</c> on wasm32, 64-bit on x64), 64-bit integers where the ABI says
/// <c>i64</c>. Names are the ABI's. Each call returns the host's <see cref="ProxyStatus"/> and writes outputs through
/// its <c>return*</c> pointers.
/// </summary>
/// <remarks>
/// <para>The generator expands each <c>[HostFunction]</c> declaration into three bindings:</para>
/// <list type="number">
/// <item>a <c>[WasmImportLinkage] [DllImport("env")]</c> extern in <c>Imports</c>: a wasm import from module
/// <c>env</c> under NativeAOT-LLVM, and a plain C symbol under native NativeAOT with <c>DirectPInvoke</c> of
/// <c>env</c>; marked <c>[SuppressGCTransition]</c> when the declaration says
/// <c>[HostFunction(NeverCallsModule = true)]</c> (the host never calls into the module during it);</item>
/// <item>a member of <see cref="IProxyHost"/>, which an in-process host implements (ProxyWasm.Testing);</item>
/// <item>this method's body: calls the in-process host when <see cref="InProcessHost.IsSupported"/> is on and one is
/// attached to the thread, otherwise the import. The runtime's Aot flavor (<c>ProxyWasmRuntimeFlavor=Aot</c>, the one
/// a module compiled ahead of time references) has no in-process branch: its body is the import itself, which the
/// compiler inlines into the caller.</item>
/// </list>
/// <para>Data the host returns (<c>return_*_data</c>) is allocated in the module with
/// <c>proxy_on_memory_allocate</c> and owned by the module; the higher-level APIs free it (see <c>HostMemory</c>).</para>
/// </remarks>
public static unsafe partial class HostCalls
{
    // ---- Logging and time ----

    /// <summary><c>proxy_log</c>: logs <paramref name="messageSize"/> bytes of UTF-8 at <paramref name="level"/>.</summary>
    /// <returns>Ok; BadArgument for an unknown level; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_log(LogLevel level, byte* messageData, nuint messageSize);

    /// <summary><c>proxy_get_log_level</c> (v0.2.1): the host's current log level for this plugin.</summary>
    /// <returns>Ok; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_get_log_level(LogLevel* returnLogLevel);

    /// <summary><c>proxy_get_current_time_nanoseconds</c>: wall-clock time in nanoseconds since the Unix epoch
    /// (deprecated by the spec in favour of WASI <c>clock_time_get</c>, still provided by Envoy).</summary>
    /// <returns>Ok; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_get_current_time_nanoseconds(ulong* returnTime);

    /// <summary><c>proxy_set_tick_period_milliseconds</c>: calls <c>proxy_on_tick</c> on the current root context every
    /// <paramref name="tickPeriodMilliseconds"/> ms; 0 stops the timer.</summary>
    /// <returns>Ok.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_set_tick_period_milliseconds(uint tickPeriodMilliseconds);

    // ---- Buffers ----

    /// <summary><c>proxy_get_buffer_status</c>: size in bytes and <see cref="BufferFlags"/> of a buffer.</summary>
    /// <returns>Ok; BadArgument; NotFound (buffer not available in this callback); InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_get_buffer_status(BufferType bufferType, nuint* returnBufferSize, uint* returnFlags);

    /// <summary><c>proxy_get_buffer_bytes</c>: copies up to <paramref name="maxSize"/> bytes from offset
    /// <paramref name="start"/> into a module allocation that the caller then owns.</summary>
    /// <returns>Ok; BadArgument (unknown buffer, overflow); NotFound; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_get_buffer_bytes(BufferType bufferType, nuint start, nuint maxSize, byte** returnBufferData, nuint* returnBufferSize);

    /// <summary><c>proxy_set_buffer_bytes</c>: replaces <paramref name="size"/> bytes at <paramref name="start"/> with
    /// the given bytes. <c>start = 0, size = 0</c> prepends; <c>start</c> at or past the end appends.</summary>
    /// <returns>Ok; BadArgument; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_set_buffer_bytes(BufferType bufferType, nuint start, nuint size, byte* bufferData, nuint bufferSize);

    // ---- Header maps ----

    /// <summary><c>proxy_get_header_map_size</c>: size in bytes of the serialized pairs of a map.</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_get_header_map_size(MapType mapType, nuint* returnSerializedPairsSize);

    /// <summary><c>proxy_get_header_map_pairs</c>: all pairs of a map, serialized (u32 count, count × (u32 name length,
    /// u32 value length), then NUL-terminated names and values; little-endian), in a module allocation.</summary>
    /// <returns>Ok (an empty map may come back as null/0); BadArgument; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_get_header_map_pairs(MapType mapType, byte** returnSerializedPairsData, nuint* returnSerializedPairsSize);

    /// <summary><c>proxy_set_header_map_pairs</c>: replaces the whole map with serialized pairs. Envoy treats a
    /// malformed buffer as an empty map.</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_set_header_map_pairs(MapType mapType, byte* serializedPairsData, nuint serializedPairsSize);

    /// <summary><c>proxy_get_header_map_value</c>: the value of header <paramref name="keyData"/> (Envoy lower-cases the
    /// name), in a module allocation. With several values Envoy returns only the first; read all of them with
    /// <see cref="proxy_get_header_map_pairs"/>.</summary>
    /// <returns>Ok; NotFound (v0.2.0+); BadArgument (the map is not available in this callback); InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_get_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize);

    /// <summary><c>proxy_add_header_map_value</c>: adds a value (keeping existing ones).</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_add_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize);

    /// <summary><c>proxy_replace_header_map_value</c>: removes every value of the key, then adds this one.</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_replace_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize);

    /// <summary><c>proxy_remove_header_map_value</c>: removes every value of the key (Ok also when absent).</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_remove_header_map_value(MapType mapType, byte* keyData, nuint keySize);

    // ---- Stream control ----

    /// <summary><c>proxy_continue_stream</c> (v0.2.0+): resumes a paused stream half.</summary>
    /// <returns>Ok; BadArgument; Unimplemented.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_continue_stream(StreamType streamType);

    /// <summary><c>proxy_close_stream</c> (v0.2.0+): closes (resets) a stream half.</summary>
    /// <returns>Ok; BadArgument.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_close_stream(StreamType streamType);

    /// <summary><c>proxy_send_local_response</c>: answers the stream from the proxy. <paramref name="serializedHeadersData"/>
    /// is in the pairs format; <paramref name="grpcStatus"/> is -1 for a non-gRPC response.</summary>
    /// <returns>Ok; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_send_local_response(uint statusCode, byte* statusCodeDetailsData, nuint statusCodeDetailsSize, byte* bodyData, nuint bodySize, byte* serializedHeadersData, nuint serializedHeadersSize, int grpcStatus);

    /// <summary><c>proxy_get_status</c>: status code and message of the last gRPC call (in <c>proxy_on_grpc_close</c>).</summary>
    /// <returns>Ok; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_get_status(uint* returnStatusCode, byte** returnStatusMessageData, nuint* returnStatusMessageSize);

    // ---- Properties ----

    /// <summary><c>proxy_get_property</c>: a host property; the path is its segments joined with NUL bytes.</summary>
    /// <returns>Ok; NotFound; SerializationFailure; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize);

    /// <summary><c>proxy_set_property</c>: sets a host property (NUL-joined path).</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize);

    // ---- HTTP and gRPC calls ----

    /// <summary><c>proxy_http_call</c>: an HTTP call to the upstream (cluster) named <paramref name="upstreamNameData"/>;
    /// headers and trailers in the pairs format; <paramref name="timeoutMilliseconds"/> in ms. The response arrives in
    /// <c>proxy_on_http_call_response</c> on the root context.</summary>
    /// <returns>Ok; BadArgument (unknown upstream, missing <c>:authority</c>/<c>:method</c>/<c>:path</c>); InternalFailure; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_http_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serializedHeadersData, nuint serializedHeadersSize, byte* bodyData, nuint bodySize, byte* serializedTrailersData, nuint serializedTrailersSize, uint timeoutMilliseconds, uint* returnCalloutId);

    /// <summary><c>proxy_grpc_call</c>: a unary gRPC call; <paramref name="timeoutMilliseconds"/> in ms.</summary>
    /// <returns>Ok; ParseFailure (unknown upstream); InternalFailure; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_grpc_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, byte* messageData, nuint messageSize, uint timeoutMilliseconds, uint* returnCalloutId);

    /// <summary><c>proxy_grpc_stream</c>: opens a gRPC stream.</summary>
    /// <returns>Ok; ParseFailure; InternalFailure; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_grpc_stream(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, uint* returnStreamId);

    /// <summary><c>proxy_grpc_send</c>: sends a message on a gRPC stream; <paramref name="endStream"/> is 0 or 1.</summary>
    /// <returns>Ok; BadArgument; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_grpc_send(uint streamId, byte* messageData, nuint messageSize, uint endStream);

    /// <summary><c>proxy_grpc_cancel</c>: cancels a gRPC call or stream.</summary>
    /// <returns>Ok; BadArgument; NotFound.</returns>
    [HostFunction] public static partial ProxyStatus proxy_grpc_cancel(uint calloutId);

    /// <summary><c>proxy_grpc_close</c>: closes a gRPC call or stream.</summary>
    /// <returns>Ok; BadArgument; NotFound.</returns>
    [HostFunction] public static partial ProxyStatus proxy_grpc_close(uint calloutId);

    // ---- Shared data and queues ----

    /// <summary><c>proxy_get_shared_data</c>: a value shared by the VMs of this plugin, with its CAS token.</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_get_shared_data(byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize, uint* returnCas);

    /// <summary><c>proxy_set_shared_data</c>: sets a shared value if <paramref name="cas"/> matches (0: unconditional).</summary>
    /// <returns>Ok; CasMismatch; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_set_shared_data(byte* keyData, nuint keySize, byte* valueData, nuint valueSize, uint cas);

    /// <summary><c>proxy_register_shared_queue</c>: registers a queue of this VM by name.</summary>
    /// <returns>Ok; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_register_shared_queue(byte* nameData, nuint nameSize, uint* returnQueueId);

    /// <summary><c>proxy_resolve_shared_queue</c>: finds a queue of VM <paramref name="vmIdData"/> by name.</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_resolve_shared_queue(byte* vmIdData, nuint vmIdSize, byte* nameData, nuint nameSize, uint* returnQueueId);

    /// <summary><c>proxy_enqueue_shared_queue</c>: appends a message to a queue.</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_enqueue_shared_queue(uint queueId, byte* valueData, nuint valueSize);

    /// <summary><c>proxy_dequeue_shared_queue</c>: takes the next message of a queue.</summary>
    /// <returns>Ok; NotFound; Empty; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_dequeue_shared_queue(uint queueId, byte** returnValueData, nuint* returnValueSize);

    // ---- Metrics ----

    /// <summary><c>proxy_define_metric</c>: defines (or finds) a metric by name.</summary>
    /// <returns>Ok; BadArgument; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_define_metric(MetricType metricType, byte* nameData, nuint nameSize, uint* returnMetricId);

    /// <summary><c>proxy_increment_metric</c>: adds <paramref name="offset"/> (i64) to a counter or gauge.</summary>
    /// <returns>Ok; NotFound; BadArgument (for example decrementing a counter).</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_increment_metric(uint metricId, long offset);

    /// <summary><c>proxy_record_metric</c>: sets a gauge or records a histogram value (u64).</summary>
    /// <returns>Ok; NotFound.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_record_metric(uint metricId, ulong value);

    /// <summary><c>proxy_get_metric</c>: reads a metric (u64).</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_get_metric(uint metricId, ulong* returnValue);

    // ---- Contexts and foreign functions ----

    /// <summary><c>proxy_set_effective_context</c>: makes later host calls act on another context (after an HTTP call
    /// response arrives on the root context).</summary>
    /// <returns>Ok; BadArgument.</returns>
    [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_set_effective_context(uint contextId);

    /// <summary><c>proxy_done</c>: the current context, whose <c>proxy_on_done</c> returned false, is now done.</summary>
    /// <returns>Ok; NotFound (the context was not pending).</returns>
    [HostFunction] public static partial ProxyStatus proxy_done();

    /// <summary><c>proxy_call_foreign_function</c>: calls a host extension function by name (Envoy: <c>compress</c>,
    /// <c>set_envoy_filter_state</c>…); results in a module allocation.</summary>
    /// <returns>Ok; NotFound; InvalidMemoryAccess.</returns>
    [HostFunction] public static partial ProxyStatus proxy_call_foreign_function(byte* functionNameData, nuint functionNameSize, byte* argumentsData, nuint argumentsSize, byte** returnResultsData, nuint* returnResultsSize);
}
