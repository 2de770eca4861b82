/* proxywasm_host: the host functions (logging and time, buffers, header maps, stream control, properties, contexts),
   except the HTTP and gRPC calls (host_callouts.c) and shared data and metrics (host_state.c). See host.h. */
#include "host.h"

/* ---- host function helpers: copies into the module, hostcall records, the maps and buffers a call acts on ---- */

/* Copies data into a block the module allocates (cpp-host copyToPointerSize): nothing is allocated for empty data,
   and the outputs are then null/0. */
int32_t copy_to_module(const uint8_t *data, size_t size, uint8_t **out_data, size_t *out_size)
{
    if (out_data == NULL || out_size == NULL) {
        return ST_INVALID_MEMORY_ACCESS;
    }
    if (size == 0) {
        *out_data = NULL;
        *out_size = 0;
        return ST_OK;
    }
    uint8_t *block = m.allocate(size);
    g.allocations++;
    g.allocated_bytes += size;
    if (block == NULL) {
        protocol_error("proxy_on_memory_allocate(%zu) returned null", size);
        return ST_INVALID_MEMORY_ACCESS;
    }
    memcpy(block, data, size);
    *out_data = block;
    *out_size = size;
    return ST_OK;
}

int32_t hostcall(const char *name, int32_t status)
{
    record("hostcall", "usd", g.effective, name, status);
    return status;
}

int valid_input(const void *data, size_t size)
{
    return data != NULL || size == 0;
}

/* Whether host calls act on the live stream: its own callback, or another context made it the effective one. */
static int on_stream(void)
{
    return g.stream != 0 && g.effective == g.stream;
}

static header_map_t *get_map(int32_t type)
{
    switch (type) {
    case MAP_REQUEST_HEADERS:
    case MAP_REQUEST_TRAILERS:
        return on_stream() && (g.phase == PHASE_REQUEST || g.phase == PHASE_RESPONSE || g.phase == PHASE_DONE) ? &g.maps[type] : NULL;
    case MAP_RESPONSE_HEADERS:
    case MAP_RESPONSE_TRAILERS:
        return on_stream() && g.response_started ? &g.maps[type] : NULL;
    case MAP_HTTP_CALL_RESPONSE_HEADERS:
    case MAP_HTTP_CALL_RESPONSE_TRAILERS:
        /* Envoy: only while a call is answered, and not when it failed (there is no response) */
        return g.answering && !g.answer_failed ? &g.call_maps[type - MAP_HTTP_CALL_RESPONSE_HEADERS] : NULL;
    case MAP_GRPC_RECEIVE_INITIAL_METADATA:
        return g.grpc_answer == GRPC_INITIAL_METADATA ? &g.grpc_metadata : NULL; /* Envoy: only during its callback */
    case MAP_GRPC_RECEIVE_TRAILING_METADATA:
        return g.grpc_answer == GRPC_TRAILING_METADATA ? &g.grpc_metadata : NULL;
    default:
        return NULL;
    }
}

/* ---- host functions: logging and time ---- */

int32_t proxy_log(int32_t level, const uint8_t *message_data, size_t message_size)
{
    if (!valid_input(message_data, message_size)) {
        return hostcall("proxy_log", ST_INVALID_MEMORY_ACCESS);
    }
    if (level < 0 || level > 5) {
        return hostcall("proxy_log", ST_BAD_ARGUMENT);
    }
    record("log", "udr", g.effective, level, message_data, message_size);
    return hostcall("proxy_log", ST_OK);
}

int32_t proxy_get_log_level(int32_t *return_log_level)
{
    if (return_log_level == NULL) {
        return hostcall("proxy_get_log_level", ST_INVALID_MEMORY_ACCESS);
    }
    *return_log_level = g_input.log_level;
    return hostcall("proxy_get_log_level", ST_OK);
}

int32_t proxy_get_current_time_nanoseconds(uint64_t *return_time)
{
    struct timespec now;
    if (return_time == NULL) {
        return hostcall("proxy_get_current_time_nanoseconds", ST_INVALID_MEMORY_ACCESS);
    }
    clock_gettime(CLOCK_REALTIME, &now);
    *return_time = g_input.clock_given ? g_input.clock : (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    return hostcall("proxy_get_current_time_nanoseconds", ST_OK);
}

/* Envoy sets the timer of the root context (0 stops it); this host ticks only while a period is set. */
int32_t proxy_set_tick_period_milliseconds(uint32_t tick_period_milliseconds)
{
    g.tick_period = tick_period_milliseconds;
    record("tick_period", "uu", g.effective, tick_period_milliseconds);
    return hostcall("proxy_set_tick_period_milliseconds", ST_OK);
}

/* ---- buffers: the VM and plugin configuration, each readable in its own callback (the configuration of the root
   being configured); the request and response bodies during their callbacks; an HTTP call's response body and a gRPC
   message, during their answers; a TCP connection's data (2, 3) while the filter holds it (host_network.c); the
   foreign function arguments (8) during proxy_on_foreign_function ---- */

static const bytes_t *get_buffer(int32_t type)
{
    if (type == BUF_HTTP_REQUEST_BODY && on_stream() && g.request_body_readable) {
        return &g.request_body; /* what the host buffered, during the request body callbacks */
    }
    if (type == BUF_HTTP_CALL_RESPONSE_BODY && g.answering && !g.answer_failed) {
        return g.call_body;
    }
    if (type == BUF_GRPC_RECEIVE_BUFFER && g.grpc_answer == GRPC_MESSAGE) {
        return &g_input.grpc_message;
    }
    if (type == BUF_VM_CONFIGURATION && g.phase == PHASE_VM_START) {
        return &g_input.vm_configuration;
    }
    if (type == BUF_PLUGIN_CONFIGURATION && g.phase == PHASE_CONFIGURE) {
        return current_plugin_configuration();
    }
    if (type == BUF_FOREIGN_FUNCTION_ARGUMENTS && x.foreign_arguments != NULL) {
        return x.foreign_arguments;
    }
    if (type == BUF_DOWNSTREAM_DATA || type == BUF_UPSTREAM_DATA) {
        return network_buffer(type);
    }
    return stream_body(type); /* the response body during proxy_on_response_body (host_main.c) */
}

int32_t proxy_get_buffer_status(int32_t buffer_type, size_t *return_buffer_size, uint32_t *return_flags)
{
    if (return_buffer_size == NULL || return_flags == NULL) {
        return hostcall("proxy_get_buffer_status", ST_INVALID_MEMORY_ACCESS);
    }
    if (buffer_type < 0 || buffer_type > 8) {
        return hostcall("proxy_get_buffer_status", ST_BAD_ARGUMENT);
    }
    const bytes_t *buffer = get_buffer(buffer_type);
    if (buffer == NULL) {
        return hostcall("proxy_get_buffer_status", ST_NOT_FOUND);
    }
    *return_buffer_size = buffer->size;
    *return_flags = 0;
    return hostcall("proxy_get_buffer_status", ST_OK);
}

int32_t proxy_get_buffer_bytes(int32_t buffer_type, size_t start, size_t max_size, uint8_t **return_buffer_data, size_t *return_buffer_size)
{
    if (buffer_type < 0 || buffer_type > 8 || start + max_size < start) {
        return hostcall("proxy_get_buffer_bytes", ST_BAD_ARGUMENT);
    }
    const bytes_t *buffer = get_buffer(buffer_type);
    if (buffer == NULL) {
        return hostcall("proxy_get_buffer_bytes", ST_NOT_FOUND);
    }
    /* Envoy copies substr(start, max_size): clamped to the buffer. */
    size_t from = start < buffer->size ? start : buffer->size;
    size_t length = buffer->size - from < max_size ? buffer->size - from : max_size;
    return hostcall("proxy_get_buffer_bytes", copy_to_module(buffer->data + from, length, return_buffer_data, return_buffer_size));
}

/* A TCP connection's data buffers are writable (Envoy's Buffer::copyFrom, host_network.c): NotFound while the filter
   holds no data of that direction; the other buffers are not writable here. */
int32_t proxy_set_buffer_bytes(int32_t buffer_type, size_t start, size_t size, const uint8_t *buffer_data, size_t buffer_size)
{
    int network = buffer_type == BUF_DOWNSTREAM_DATA || buffer_type == BUF_UPSTREAM_DATA;
    bytes_t *body = network ? NULL : stream_body(buffer_type); /* the response body, during proxy_on_response_body */
    if (!network && body == NULL) {
        return hostcall("proxy_set_buffer_bytes", ST_UNIMPLEMENTED);
    }
    if (!valid_input(buffer_data, buffer_size)) {
        return hostcall("proxy_set_buffer_bytes", ST_INVALID_MEMORY_ACCESS);
    }
    if (network) {
        bytes_t *buffer = network_buffer(buffer_type);
        if (buffer == NULL) {
            return hostcall("proxy_set_buffer_bytes", ST_NOT_FOUND);
        }
        return hostcall("proxy_set_buffer_bytes", network_set_buffer(buffer, start, size, buffer_data, buffer_size));
    }
    return hostcall("proxy_set_buffer_bytes", body_set(body, start, size, buffer_data, buffer_size));
}

/* ---- header maps ---- */

int32_t proxy_get_header_map_size(int32_t map_type, size_t *return_serialized_pairs_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_get_header_map_size", ST_BAD_ARGUMENT);
    }
    if (return_serialized_pairs_size == NULL) {
        return hostcall("proxy_get_header_map_size", ST_INVALID_MEMORY_ACCESS);
    }
    *return_serialized_pairs_size = pairs_size(map);
    return hostcall("proxy_get_header_map_size", ST_OK);
}

int32_t proxy_get_header_map_pairs(int32_t map_type, uint8_t **return_serialized_pairs_data, size_t *return_serialized_pairs_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_get_header_map_pairs", ST_BAD_ARGUMENT);
    }
    if (map->count == 0) { /* cpp-host returns an empty map as null/0 */
        return hostcall("proxy_get_header_map_pairs", copy_to_module(NULL, 0, return_serialized_pairs_data, return_serialized_pairs_size));
    }
    size_t size = pairs_size(map);
    uint8_t *buffer = xmalloc(size);
    pairs_write(map, buffer);
    int32_t status = copy_to_module(buffer, size, return_serialized_pairs_data, return_serialized_pairs_size);
    free(buffer);
    return hostcall("proxy_get_header_map_pairs", status);
}

int32_t proxy_set_header_map_pairs(int32_t map_type, const uint8_t *serialized_pairs_data, size_t serialized_pairs_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_set_header_map_pairs", ST_BAD_ARGUMENT);
    }
    if (!valid_input(serialized_pairs_data, serialized_pairs_size)) {
        return hostcall("proxy_set_header_map_pairs", ST_INVALID_MEMORY_ACCESS);
    }
    pairs_read(serialized_pairs_data, serialized_pairs_size, map, "proxy_set_header_map_pairs");
    return hostcall("proxy_set_header_map_pairs", ST_OK);
}

int32_t proxy_get_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, uint8_t **return_value_data, size_t *return_value_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_get_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size)) {
        return hostcall("proxy_get_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    bytes_t value;
    if (!map_get(map, key_data, key_size, &value)) {
        return hostcall("proxy_get_header_map_value", ST_NOT_FOUND);
    }
    int32_t status = copy_to_module(value.data, value.size, return_value_data, return_value_size);
    free(value.data);
    return hostcall("proxy_get_header_map_value", status);
}

int32_t proxy_add_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, const uint8_t *value_data, size_t value_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_add_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size) || !valid_input(value_data, value_size)) {
        return hostcall("proxy_add_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    map_add(map, key_data, key_size, value_data, value_size);
    return hostcall("proxy_add_header_map_value", ST_OK);
}

int32_t proxy_replace_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, const uint8_t *value_data, size_t value_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_replace_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size) || !valid_input(value_data, value_size)) {
        return hostcall("proxy_replace_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    map_remove(map, key_data, key_size);
    map_add(map, key_data, key_size, value_data, value_size);
    return hostcall("proxy_replace_header_map_value", ST_OK);
}

int32_t proxy_remove_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_remove_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size)) {
        return hostcall("proxy_remove_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    map_remove(map, key_data, key_size);
    return hostcall("proxy_remove_header_map_value", ST_OK);
}

/* ---- stream control ---- */

int32_t proxy_continue_stream(int32_t stream_type)
{
    if (stream_type == STREAM_DOWNSTREAM || stream_type == STREAM_UPSTREAM) {
        return hostcall("proxy_continue_stream", network_continue(stream_type)); /* host_network.c */
    }
    if (!on_stream() || (stream_type != STREAM_REQUEST && stream_type != STREAM_RESPONSE)) {
        return hostcall("proxy_continue_stream", ST_BAD_ARGUMENT); /* Envoy: only the HTTP directions of a stream */
    }
    g.resumed[stream_type] = 1;
    record(stream_type == STREAM_REQUEST ? "request_resumed" : "response_resumed", "u", g.stream);
    return hostcall("proxy_continue_stream", ST_OK);
}

int32_t proxy_close_stream(int32_t stream_type)
{
    if (stream_type == STREAM_DOWNSTREAM || stream_type == STREAM_UPSTREAM) {
        return hostcall("proxy_close_stream", network_close(stream_type)); /* host_network.c */
    }
    if ((stream_type == STREAM_REQUEST || stream_type == STREAM_RESPONSE) && on_stream()
        && (g.phase == PHASE_REQUEST || g.phase == PHASE_RESPONSE) && !g.local_response_sent) {
        /* Envoy resets the stream (closeStream -> resetStream): it ends like a local reply, nothing more goes up- or
           downstream. */
        record("stream_reset", "uu", g.stream, (uint32_t)stream_type);
        g.local_response_sent = 1;
        return hostcall("proxy_close_stream", ST_OK);
    }
    return hostcall("proxy_close_stream", ST_UNIMPLEMENTED);
}

int32_t proxy_send_local_response(uint32_t status_code, const uint8_t *status_code_details_data, size_t status_code_details_size,
                                  const uint8_t *body_data, size_t body_size, const uint8_t *serialized_headers_data,
                                  size_t serialized_headers_size, int32_t grpc_status)
{
    if (!valid_input(status_code_details_data, status_code_details_size) || !valid_input(body_data, body_size)
        || !valid_input(serialized_headers_data, serialized_headers_size)) {
        return hostcall("proxy_send_local_response", ST_INVALID_MEMORY_ACCESS);
    }
    if (!on_stream() || (g.phase != PHASE_REQUEST && g.phase != PHASE_RESPONSE)) {
        protocol_error("proxy_send_local_response outside a stream callback (context %u, effective %u)", g.context, g.effective);
        return hostcall("proxy_send_local_response", ST_BAD_ARGUMENT);
    }
    if (g_faults.refuse_local_response) {
        record("local_response_refused", "uu", g.stream, status_code); /* host_faults.c */
        return hostcall("proxy_send_local_response", ST_INTERNAL_FAILURE);
    }
    header_map_t headers = { 0 };
    pairs_read(serialized_headers_data, serialized_headers_size, &headers, "proxy_send_local_response headers");
    record("local_response", "uurrd", g.stream, status_code, status_code_details_data, status_code_details_size, body_data, body_size, grpc_status);
    for (size_t i = 0; i < headers.count; i++) {
        record("local_response_header", "ubb", g.stream, &headers.items[i].key, &headers.items[i].value);
    }
    /* What goes downstream: the local reply replaces the response. */
    char status[16];
    snprintf(status, sizeof status, "%u", status_code);
    record("downstream_header", "usr", g.stream, ":status", (const uint8_t *)status, strlen(status));
    for (size_t i = 0; i < headers.count; i++) {
        record("downstream_header", "ubb", g.stream, &headers.items[i].key, &headers.items[i].value);
    }
    record("downstream_body", "ur", g.stream, body_data, body_size);
    map_clear(&headers);
    free(headers.items);
    g.local_response_sent = 1;
    return hostcall("proxy_send_local_response", ST_OK);
}

/* The status of the call being answered (Envoy: the root context's last callout status): 0 and no message for an HTTP
   response, BrokenConnection and "reset" for a reset, a gRPC close's code and message, 0 and no message for gRPC
   metadata and messages; 0 and no message outside an answer. */
int32_t proxy_get_status(uint32_t *return_status_code, uint8_t **return_status_message_data, size_t *return_status_message_size)
{
    if (return_status_code == NULL) {
        return hostcall("proxy_get_status", ST_INVALID_MEMORY_ACCESS);
    }
    int answering = g.answering || g.grpc_answer != GRPC_NONE;
    *return_status_code = answering ? g.status_code : 0;
    return hostcall("proxy_get_status", copy_to_module(g.status_message.data, answering ? g.status_message.size : 0,
                                                       return_status_message_data, return_status_message_size));
}

/* ---- properties ---- */

int32_t proxy_get_property(const uint8_t *path_data, size_t path_size, uint8_t **return_value_data, size_t *return_value_size)
{
    if (!valid_input(path_data, path_size)) {
        return hostcall("proxy_get_property", ST_INVALID_MEMORY_ACCESS);
    }
    static const char root_id_path[] = "plugin_root_id";
    if (path_size == sizeof root_id_path - 1 && memcmp(path_data, root_id_path, path_size) == 0) {
        const bytes_t *root_id = current_root_id(); /* the effective context's plugin (host_plugins.c) */
        return hostcall("proxy_get_property", copy_to_module(root_id->data, root_id->size, return_value_data, return_value_size));
    }
    static const char vm_id_path[] = "plugin_vm_id";
    if (path_size == sizeof vm_id_path - 1 && memcmp(path_data, vm_id_path, path_size) == 0) {
        return hostcall("proxy_get_property", copy_to_module(g_ext.vm_id.data, g_ext.vm_id.size, return_value_data, return_value_size));
    }
    bytes_t value;
    int owned;
    if (!property_find(path_data, path_size, &value, &owned)) {
        return hostcall("proxy_get_property", ST_NOT_FOUND);
    }
    int32_t status = copy_to_module(value.data, value.size, return_value_data, return_value_size);
    if (owned) {
        free(value.data);
    }
    return hostcall("proxy_get_property", status);
}

int32_t proxy_set_property(const uint8_t *path_data, size_t path_size, const uint8_t *value_data, size_t value_size)
{
    if (!valid_input(path_data, path_size) || !valid_input(value_data, value_size)) {
        return hostcall("proxy_set_property", ST_INVALID_MEMORY_ACCESS);
    }
    property_set(path_data, path_size, value_data, value_size);
    return hostcall("proxy_set_property", ST_OK);
}

/* ---- shared data and metrics: host_state.c; shared queues: host_queues.c ---- */

/* ---- contexts (foreign functions: host_plugins.c) ---- */

int32_t proxy_set_effective_context(uint32_t context_id)
{
    if (!is_live_context(context_id)) { /* a root context, the live stream or connection (host_plugins.c) */
        return hostcall("proxy_set_effective_context", ST_BAD_ARGUMENT); /* no such context */
    }
    g.effective = context_id;
    return hostcall("proxy_set_effective_context", ST_OK);
}

int32_t proxy_done(void)
{
    if (g.phase != PHASE_DONE) {
        return hostcall("proxy_done", ST_NOT_FOUND);
    }
    g.done_called = 1;
    return hostcall("proxy_done", ST_OK);
}

/* proxy_call_foreign_function: host_plugins.c */
