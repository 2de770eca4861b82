// The forwarding half of FaultInjectingHost: one member per env.proxy_* host function (HostCalls.cs), each asking the
// plan first whether to fail the call, then forwarding to the real host and, for a call that returns data through
// (byte** data, nuint* size), letting the plan corrupt what is served; proxy_close_stream also records the reset. Written from the [HostFunction] declarations;
// the compiler checks it covers every member of IProxyHost.
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

internal sealed unsafe partial class FaultInjectingHost
{
    ProxyStatus IProxyHost.proxy_log(LogLevel level, byte* messageData, nuint messageSize)
        => Fail("proxy_log") ?? _inner.proxy_log(level, messageData, messageSize);

    ProxyStatus IProxyHost.proxy_get_log_level(LogLevel* returnLogLevel)
        => Fail("proxy_get_log_level") ?? _inner.proxy_get_log_level(returnLogLevel);

    ProxyStatus IProxyHost.proxy_get_current_time_nanoseconds(ulong* returnTime)
        => Fail("proxy_get_current_time_nanoseconds") ?? _inner.proxy_get_current_time_nanoseconds(returnTime);

    ProxyStatus IProxyHost.proxy_set_tick_period_milliseconds(uint tickPeriodMilliseconds)
        => Fail("proxy_set_tick_period_milliseconds") ?? _inner.proxy_set_tick_period_milliseconds(tickPeriodMilliseconds);

    ProxyStatus IProxyHost.proxy_get_buffer_status(BufferType bufferType, nuint* returnBufferSize, uint* returnFlags)
        => Fail("proxy_get_buffer_status") ?? _inner.proxy_get_buffer_status(bufferType, returnBufferSize, returnFlags);

    ProxyStatus IProxyHost.proxy_get_buffer_bytes(BufferType bufferType, nuint start, nuint maxSize, byte** returnBufferData, nuint* returnBufferSize)
        => Served(Fail("proxy_get_buffer_bytes") ?? _inner.proxy_get_buffer_bytes(bufferType, start, maxSize, returnBufferData, returnBufferSize), "proxy_get_buffer_bytes", returnBufferData, returnBufferSize);

    ProxyStatus IProxyHost.proxy_set_buffer_bytes(BufferType bufferType, nuint start, nuint size, byte* bufferData, nuint bufferSize)
        => Fail("proxy_set_buffer_bytes") ?? _inner.proxy_set_buffer_bytes(bufferType, start, size, bufferData, bufferSize);

    ProxyStatus IProxyHost.proxy_get_header_map_size(MapType mapType, nuint* returnSerializedPairsSize)
        => Fail("proxy_get_header_map_size") ?? _inner.proxy_get_header_map_size(mapType, returnSerializedPairsSize);

    ProxyStatus IProxyHost.proxy_get_header_map_pairs(MapType mapType, byte** returnSerializedPairsData, nuint* returnSerializedPairsSize)
        => Served(Fail("proxy_get_header_map_pairs") ?? _inner.proxy_get_header_map_pairs(mapType, returnSerializedPairsData, returnSerializedPairsSize), "proxy_get_header_map_pairs", returnSerializedPairsData, returnSerializedPairsSize);

    ProxyStatus IProxyHost.proxy_set_header_map_pairs(MapType mapType, byte* serializedPairsData, nuint serializedPairsSize)
        => Fail("proxy_set_header_map_pairs") ?? _inner.proxy_set_header_map_pairs(mapType, serializedPairsData, serializedPairsSize);

    ProxyStatus IProxyHost.proxy_get_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize)
        => Served(Fail("proxy_get_header_map_value") ?? _inner.proxy_get_header_map_value(mapType, keyData, keySize, returnValueData, returnValueSize), "proxy_get_header_map_value", returnValueData, returnValueSize);

    ProxyStatus IProxyHost.proxy_add_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
        => Fail("proxy_add_header_map_value") ?? _inner.proxy_add_header_map_value(mapType, keyData, keySize, valueData, valueSize);

    ProxyStatus IProxyHost.proxy_replace_header_map_value(MapType mapType, byte* keyData, nuint keySize, byte* valueData, nuint valueSize)
        => Fail("proxy_replace_header_map_value") ?? _inner.proxy_replace_header_map_value(mapType, keyData, keySize, valueData, valueSize);

    ProxyStatus IProxyHost.proxy_remove_header_map_value(MapType mapType, byte* keyData, nuint keySize)
        => Fail("proxy_remove_header_map_value") ?? _inner.proxy_remove_header_map_value(mapType, keyData, keySize);

    ProxyStatus IProxyHost.proxy_continue_stream(StreamType streamType)
        => Fail("proxy_continue_stream") ?? _inner.proxy_continue_stream(streamType);

    ProxyStatus IProxyHost.proxy_close_stream(StreamType streamType)
        => Reset(Fail("proxy_close_stream") ?? _inner.proxy_close_stream(streamType));

    ProxyStatus IProxyHost.proxy_send_local_response(uint statusCode, byte* statusCodeDetailsData, nuint statusCodeDetailsSize, byte* bodyData, nuint bodySize, byte* serializedHeadersData, nuint serializedHeadersSize, int grpcStatus)
        => Fail("proxy_send_local_response") ?? _inner.proxy_send_local_response(statusCode, statusCodeDetailsData, statusCodeDetailsSize, bodyData, bodySize, serializedHeadersData, serializedHeadersSize, grpcStatus);

    ProxyStatus IProxyHost.proxy_get_status(uint* returnStatusCode, byte** returnStatusMessageData, nuint* returnStatusMessageSize)
        => Served(Fail("proxy_get_status") ?? _inner.proxy_get_status(returnStatusCode, returnStatusMessageData, returnStatusMessageSize), "proxy_get_status", returnStatusMessageData, returnStatusMessageSize);

    ProxyStatus IProxyHost.proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize)
        => Served(Fail("proxy_get_property") ?? _inner.proxy_get_property(pathData, pathSize, returnValueData, returnValueSize), "proxy_get_property", returnValueData, returnValueSize);

    ProxyStatus IProxyHost.proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize)
        => Fail("proxy_set_property") ?? _inner.proxy_set_property(pathData, pathSize, valueData, valueSize);

    ProxyStatus IProxyHost.proxy_http_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serializedHeadersData, nuint serializedHeadersSize, byte* bodyData, nuint bodySize, byte* serializedTrailersData, nuint serializedTrailersSize, uint timeoutMilliseconds, uint* returnCalloutId)
        => Fail("proxy_http_call") ?? _inner.proxy_http_call(upstreamNameData, upstreamNameSize, serializedHeadersData, serializedHeadersSize, bodyData, bodySize, serializedTrailersData, serializedTrailersSize, timeoutMilliseconds, returnCalloutId);

    ProxyStatus IProxyHost.proxy_grpc_call(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, byte* messageData, nuint messageSize, uint timeoutMilliseconds, uint* returnCalloutId)
        => Fail("proxy_grpc_call") ?? _inner.proxy_grpc_call(upstreamNameData, upstreamNameSize, serviceNameData, serviceNameSize, methodNameData, methodNameSize, serializedInitialMetadataData, serializedInitialMetadataSize, messageData, messageSize, timeoutMilliseconds, returnCalloutId);

    ProxyStatus IProxyHost.proxy_grpc_stream(byte* upstreamNameData, nuint upstreamNameSize, byte* serviceNameData, nuint serviceNameSize, byte* methodNameData, nuint methodNameSize, byte* serializedInitialMetadataData, nuint serializedInitialMetadataSize, uint* returnStreamId)
        => Fail("proxy_grpc_stream") ?? _inner.proxy_grpc_stream(upstreamNameData, upstreamNameSize, serviceNameData, serviceNameSize, methodNameData, methodNameSize, serializedInitialMetadataData, serializedInitialMetadataSize, returnStreamId);

    ProxyStatus IProxyHost.proxy_grpc_send(uint streamId, byte* messageData, nuint messageSize, uint endStream)
        => Fail("proxy_grpc_send") ?? _inner.proxy_grpc_send(streamId, messageData, messageSize, endStream);

    ProxyStatus IProxyHost.proxy_grpc_cancel(uint calloutId)
        => Fail("proxy_grpc_cancel") ?? _inner.proxy_grpc_cancel(calloutId);

    ProxyStatus IProxyHost.proxy_grpc_close(uint calloutId)
        => Fail("proxy_grpc_close") ?? _inner.proxy_grpc_close(calloutId);

    ProxyStatus IProxyHost.proxy_get_shared_data(byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize, uint* returnCas)
        => Served(Fail("proxy_get_shared_data") ?? _inner.proxy_get_shared_data(keyData, keySize, returnValueData, returnValueSize, returnCas), "proxy_get_shared_data", returnValueData, returnValueSize);

    ProxyStatus IProxyHost.proxy_set_shared_data(byte* keyData, nuint keySize, byte* valueData, nuint valueSize, uint cas)
        => Fail("proxy_set_shared_data") ?? _inner.proxy_set_shared_data(keyData, keySize, valueData, valueSize, cas);

    ProxyStatus IProxyHost.proxy_register_shared_queue(byte* nameData, nuint nameSize, uint* returnQueueId)
        => Fail("proxy_register_shared_queue") ?? _inner.proxy_register_shared_queue(nameData, nameSize, returnQueueId);

    ProxyStatus IProxyHost.proxy_resolve_shared_queue(byte* vmIdData, nuint vmIdSize, byte* nameData, nuint nameSize, uint* returnQueueId)
        => Fail("proxy_resolve_shared_queue") ?? _inner.proxy_resolve_shared_queue(vmIdData, vmIdSize, nameData, nameSize, returnQueueId);

    ProxyStatus IProxyHost.proxy_enqueue_shared_queue(uint queueId, byte* valueData, nuint valueSize)
        => Fail("proxy_enqueue_shared_queue") ?? _inner.proxy_enqueue_shared_queue(queueId, valueData, valueSize);

    ProxyStatus IProxyHost.proxy_dequeue_shared_queue(uint queueId, byte** returnValueData, nuint* returnValueSize)
        => Served(Fail("proxy_dequeue_shared_queue") ?? _inner.proxy_dequeue_shared_queue(queueId, returnValueData, returnValueSize), "proxy_dequeue_shared_queue", returnValueData, returnValueSize);

    ProxyStatus IProxyHost.proxy_define_metric(MetricType metricType, byte* nameData, nuint nameSize, uint* returnMetricId)
        => Fail("proxy_define_metric") ?? _inner.proxy_define_metric(metricType, nameData, nameSize, returnMetricId);

    ProxyStatus IProxyHost.proxy_increment_metric(uint metricId, long offset)
        => Fail("proxy_increment_metric") ?? _inner.proxy_increment_metric(metricId, offset);

    ProxyStatus IProxyHost.proxy_record_metric(uint metricId, ulong value)
        => Fail("proxy_record_metric") ?? _inner.proxy_record_metric(metricId, value);

    ProxyStatus IProxyHost.proxy_get_metric(uint metricId, ulong* returnValue)
        => Fail("proxy_get_metric") ?? _inner.proxy_get_metric(metricId, returnValue);

    ProxyStatus IProxyHost.proxy_set_effective_context(uint contextId)
        => Fail("proxy_set_effective_context") ?? _inner.proxy_set_effective_context(contextId);

    ProxyStatus IProxyHost.proxy_done()
        => Fail("proxy_done") ?? _inner.proxy_done();

    ProxyStatus IProxyHost.proxy_call_foreign_function(byte* functionNameData, nuint functionNameSize, byte* argumentsData, nuint argumentsSize, byte** returnResultsData, nuint* returnResultsSize)
        => Served(Fail("proxy_call_foreign_function") ?? _inner.proxy_call_foreign_function(functionNameData, functionNameSize, argumentsData, argumentsSize, returnResultsData, returnResultsSize), "proxy_call_foreign_function", returnResultsData, returnResultsSize);

}
