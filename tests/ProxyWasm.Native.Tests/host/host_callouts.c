/* proxywasm_host: HTTP and gRPC calls (the host functions), their answers and ticks. See host.h. */
#include "host.h"

/* ---- HTTP and gRPC calls ---- */

static int known_cluster(const uint8_t *name, size_t size)
{
    if (g_input.cluster_count == 0) {
        return 1; /* no cluster list given: every upstream exists */
    }
    for (size_t i = 0; i < g_input.cluster_count; i++) {
        if (bytes_equal(g_input.clusters[i], name, size)) {
            return 1;
        }
    }
    return 0;
}

/* Registers a call of <kind> made on the effective context under the next token of that kind (cpp-host adds 4). */
static callout_t *add_callout(callout_kind_t kind)
{
    callout_t *calls = realloc(g.calls, (g.call_count + 1) * sizeof *calls);
    if (calls == NULL) {
        fprintf(stderr, "proxywasm_host: out of memory\n");
        exit(70);
    }
    g.calls = calls;
    if (g.last_token[kind] == 0) {
        g.last_token[kind] = (uint32_t)kind;
    }
    g.last_token[kind] += 4;
    g.calls[g.call_count] = (callout_t){ g.last_token[kind], g.effective, kind, 0, 0, 0 };
    return &g.calls[g.call_count++];
}

static int has_header(const header_map_t *map, const char *name)
{
    bytes_t value;
    if (!map_get(map, (const uint8_t *)name, strlen(name), &value)) {
        return 0;
    }
    free(value.data);
    return 1;
}

/* Envoy's Context::httpCall: the cluster must exist and the headers need :method, :path and :authority (else
   BadArgument); the call is registered on the root context under the next token (4, 8, 12...) and answered later. */
int32_t proxy_http_call(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *serialized_headers_data,
                        size_t serialized_headers_size, const uint8_t *body_data, size_t body_size,
                        const uint8_t *serialized_trailers_data, size_t serialized_trailers_size, uint32_t timeout_milliseconds,
                        uint32_t *return_callout_id)
{
    if (!valid_input(upstream_name_data, upstream_name_size) || !valid_input(serialized_headers_data, serialized_headers_size)
        || !valid_input(body_data, body_size) || !valid_input(serialized_trailers_data, serialized_trailers_size)
        || return_callout_id == NULL) {
        return hostcall("proxy_http_call", ST_INVALID_MEMORY_ACCESS);
    }
    header_map_t headers = { 0 }, trailers = { 0 };
    pairs_read(serialized_headers_data, serialized_headers_size, &headers, "proxy_http_call headers");
    pairs_read(serialized_trailers_data, serialized_trailers_size, &trailers, "proxy_http_call trailers");
    int32_t status = ST_OK;
    if (!known_cluster(upstream_name_data, upstream_name_size)
        || !has_header(&headers, ":method") || !has_header(&headers, ":path") || !has_header(&headers, ":authority")) {
        status = ST_BAD_ARGUMENT;
    } else {
        uint32_t token = add_callout(CALLOUT_HTTP)->token;
        *return_callout_id = token;
        record("http_call", "uuru", g.effective, token, upstream_name_data, upstream_name_size, timeout_milliseconds);
        for (size_t i = 0; i < headers.count; i++) {
            record("http_call_header", "ubb", token, &headers.items[i].key, &headers.items[i].value);
        }
        if (body_size > 0) {
            record("http_call_body", "ur", token, body_data, body_size);
        }
        for (size_t i = 0; i < trailers.count; i++) {
            record("http_call_trailer", "ubb", token, &trailers.items[i].key, &trailers.items[i].value);
        }
    }
    map_clear(&headers);
    free(headers.items);
    map_clear(&trailers);
    free(trailers.items);
    return hostcall("proxy_http_call", status);
}

/* Envoy's Context::grpcCall and grpcStream: malformed initial metadata is refused (BadArgument), an unknown cluster is
   a ParseFailure (an HTTP call's is BadArgument); the call is registered on the root context under the next token of
   its kind and answered later. */
static int32_t open_grpc(callout_kind_t kind, const uint8_t *upstream_data, size_t upstream_size, const uint8_t *service_data,
                         size_t service_size, const uint8_t *method_data, size_t method_size, const uint8_t *metadata_data,
                         size_t metadata_size, const uint8_t *message_data, size_t message_size, uint32_t timeout_milliseconds,
                         uint32_t *return_token)
{
    header_map_t metadata = { 0 };
    int32_t status = ST_OK;
    if (!pairs_read(metadata_data, metadata_size, &metadata, kind == CALLOUT_GRPC_CALL ? "proxy_grpc_call metadata" : "proxy_grpc_stream metadata")) {
        status = ST_BAD_ARGUMENT;
    } else if (!known_cluster(upstream_data, upstream_size)) {
        status = ST_PARSE_FAILURE;
    } else {
        uint32_t token = add_callout(kind)->token;
        *return_token = token;
        if (kind == CALLOUT_GRPC_CALL) {
            record("grpc_call", "uurrru", g.effective, token, upstream_data, upstream_size, service_data, service_size,
                   method_data, method_size, timeout_milliseconds);
        } else {
            record("grpc_stream", "uurrr", g.effective, token, upstream_data, upstream_size, service_data, service_size,
                   method_data, method_size);
        }
        for (size_t i = 0; i < metadata.count; i++) {
            record("grpc_call_metadata", "ubb", token, &metadata.items[i].key, &metadata.items[i].value);
        }
        if (message_size > 0) {
            record("grpc_call_message", "ur", token, message_data, message_size);
        }
    }
    map_clear(&metadata);
    free(metadata.items);
    return status;
}

int32_t proxy_grpc_call(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *service_name_data,
                        size_t service_name_size, const uint8_t *method_name_data, size_t method_name_size,
                        const uint8_t *serialized_initial_metadata_data, size_t serialized_initial_metadata_size,
                        const uint8_t *message_data, size_t message_size, uint32_t timeout_milliseconds, uint32_t *return_callout_id)
{
    if (!valid_input(upstream_name_data, upstream_name_size) || !valid_input(service_name_data, service_name_size)
        || !valid_input(method_name_data, method_name_size)
        || !valid_input(serialized_initial_metadata_data, serialized_initial_metadata_size)
        || !valid_input(message_data, message_size) || return_callout_id == NULL) {
        return hostcall("proxy_grpc_call", ST_INVALID_MEMORY_ACCESS);
    }
    return hostcall("proxy_grpc_call", open_grpc(CALLOUT_GRPC_CALL, upstream_name_data, upstream_name_size, service_name_data,
                                                 service_name_size, method_name_data, method_name_size,
                                                 serialized_initial_metadata_data, serialized_initial_metadata_size,
                                                 message_data, message_size, timeout_milliseconds, return_callout_id));
}

int32_t proxy_grpc_stream(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *service_name_data,
                          size_t service_name_size, const uint8_t *method_name_data, size_t method_name_size,
                          const uint8_t *serialized_initial_metadata_data, size_t serialized_initial_metadata_size,
                          uint32_t *return_stream_id)
{
    if (!valid_input(upstream_name_data, upstream_name_size) || !valid_input(service_name_data, service_name_size)
        || !valid_input(method_name_data, method_name_size)
        || !valid_input(serialized_initial_metadata_data, serialized_initial_metadata_size) || return_stream_id == NULL) {
        return hostcall("proxy_grpc_stream", ST_INVALID_MEMORY_ACCESS);
    }
    return hostcall("proxy_grpc_stream", open_grpc(CALLOUT_GRPC_STREAM, upstream_name_data, upstream_name_size, service_name_data,
                                                   service_name_size, method_name_data, method_name_size,
                                                   serialized_initial_metadata_data, serialized_initial_metadata_size, NULL, 0, 0,
                                                   return_stream_id));
}

/* The open gRPC call or stream with <token>: dispatched, not ended (answered to the end, closed or cancelled). */
static callout_t *open_grpc_call(uint32_t token)
{
    for (size_t i = 0; i < g.call_count; i++) {
        if (g.calls[i].token == token && g.calls[i].kind != CALLOUT_HTTP && !g.calls[i].ended) {
            return &g.calls[i];
        }
    }
    return NULL;
}

/* Envoy's grpcSend: a token that is not a stream's is BadArgument, an unknown stream NotFound. A send after end of
   stream is refused (BadArgument), as the in-process host does; Envoy passes it to its async stream. */
int32_t proxy_grpc_send(uint32_t stream_id, const uint8_t *message_data, size_t message_size, uint32_t end_stream)
{
    if (!valid_input(message_data, message_size)) {
        return hostcall("proxy_grpc_send", ST_INVALID_MEMORY_ACCESS);
    }
    if ((stream_id & 3u) != CALLOUT_GRPC_STREAM) {
        return hostcall("proxy_grpc_send", ST_BAD_ARGUMENT);
    }
    callout_t *stream = open_grpc_call(stream_id);
    if (stream == NULL) {
        return hostcall("proxy_grpc_send", ST_NOT_FOUND);
    }
    if (stream->half_closed) {
        return hostcall("proxy_grpc_send", ST_BAD_ARGUMENT);
    }
    stream->half_closed = end_stream != 0;
    record("grpc_send", "uur", stream_id, end_stream != 0 ? 1u : 0u, message_data, message_size);
    return hostcall("proxy_grpc_send", ST_OK);
}

/* Envoy's grpcClose and grpcCancel: a token of neither gRPC kind is BadArgument, one no open call or stream has NotFound.
   Either ends the call here: no more answers (Envoy half-closes a stream on close and still delivers its remote close;
   this host, like the in-process one, ends it). */
static int32_t end_grpc(const char *function, const char *how, uint32_t token)
{
    if ((token & 3u) != CALLOUT_GRPC_CALL && (token & 3u) != CALLOUT_GRPC_STREAM) {
        return hostcall(function, ST_BAD_ARGUMENT);
    }
    callout_t *call = open_grpc_call(token);
    if (call == NULL) {
        return hostcall(function, ST_NOT_FOUND);
    }
    call->ended = 1;
    record("grpc_ended", "uus", g.effective, token, how);
    return hostcall(function, ST_OK);
}

int32_t proxy_grpc_cancel(uint32_t callout_id)
{
    return end_grpc("proxy_grpc_cancel", "cancel", callout_id);
}

int32_t proxy_grpc_close(uint32_t callout_id)
{
    return end_grpc("proxy_grpc_close", "close", callout_id);
}

/* ---- driving the module: answers to HTTP and gRPC calls, ticks ---- */

/* The root context a call is answered on: the root of the context that made it (cpp-host registers it there). */
static uint32_t call_root(size_t index)
{
    uint32_t root = root_of(g.calls[index].context);
    return root != 0 ? root : ROOT_CONTEXT_ID;
}

/* proxy_on_http_call_response(root, token, headers, body size, trailers) on the root context, as cpp-host calls it,
   with the configured answer readable as maps 6/7, buffer 4 and proxy_get_status during the callback. A reset call is
   answered with no headers (Envoy's onFailure), a timed-out one with Envoy's 504. Calls are named by index: a call the
   module makes during an answer may move g.calls. */
static void answer_call(size_t index)
{
    static const uint8_t status[] = ":status", timeout_status[] = "504", type[] = "content-type", text[] = "text/plain";
    static const uint8_t timeout_body[] = "upstream request timeout";
    bytes_t timeout_text = { (uint8_t *)timeout_body, sizeof timeout_body - 1 };
    uint32_t token = g.calls[index].token;
    g.calls[index].answered = 1;
    if (m.on_http_call_response == NULL) {
        return; /* cpp-host: the module has no such callback, the answer is dropped */
    }
    uint32_t context = g.context;
    g.answer_failed = g_input.callout_failure == FAILURE_RESET;
    g.status_code = g.answer_failed ? ST_BROKEN_CONNECTION : ST_OK;
    g.status_message = g.answer_failed ? (bytes_t){ (uint8_t *)"reset", 5 } : (bytes_t){ NULL, 0 };
    g.call_body = &g_input.callout_body;
    if (g_input.callout_failure == FAILURE_TIMEOUT) {
        map_clear(&g.call_maps[0]);
        map_add(&g.call_maps[0], status, sizeof status - 1, timeout_status, sizeof timeout_status - 1);
        map_add(&g.call_maps[0], type, sizeof type - 1, text, sizeof text - 1);
        map_clear(&g.call_maps[1]);
        g.call_body = &timeout_text;
    } else if (!g.answer_failed) {
        map_copy(&g.call_maps[0], &g_input.callout_headers);
        map_copy(&g.call_maps[1], &g_input.callout_trailers);
    }
    uint32_t headers = g.answer_failed ? 0 : (uint32_t)g.call_maps[0].count;
    uint32_t body = g.answer_failed ? 0 : (uint32_t)g.call_body->size;
    uint32_t trailers = g.answer_failed ? 0 : (uint32_t)g.call_maps[1].count;

    g.answering = 1;
    uint32_t root = call_root(index);
    enter(root);
    m.on_http_call_response(root, token, headers, body, trailers);
    char args[80];
    snprintf(args, sizeof args, "%u,%u,%u,%u,%u", root, token, headers, body, trailers);
    g.answering = 0; /* the answer is gone once the callback returned (proxy_on_queue_ready may follow) */
    print_call(root, "proxy_on_http_call_response", args, "-");
    enter(context);
    g.answering = 0;
    g.answer_failed = 0;
    g.status_code = 0;
    g.status_message = (bytes_t){ NULL, 0 };
    g.call_body = NULL;
    map_clear(&g.call_maps[0]);
    map_clear(&g.call_maps[1]);
}

/* One callback of a gRPC answer, on the root context as cpp-host calls it, with <what> readable during it. Dropped when
   the module does not export it (cpp-host) or has ended the call meanwhile (no more answers then). */
static void grpc_callback(size_t index, grpc_answer_t what, void3_fn callback, const char *name, uint32_t argument)
{
    uint32_t token = g.calls[index].token;
    if (callback == NULL || g.calls[index].ended) {
        return;
    }
    g.grpc_answer = what;
    g.status_code = what == GRPC_CLOSE ? argument : 0;
    g.status_message = what == GRPC_CLOSE ? g_input.grpc_close_message : (bytes_t){ NULL, 0 };
    uint32_t root = call_root(index);
    enter(root);
    callback(root, token, argument);
    char args[48];
    snprintf(args, sizeof args, "%u,%u,%u", root, token, argument);
    g.grpc_answer = GRPC_NONE;
    print_call(root, name, args, "-");
    g.status_code = 0;
    g.status_message = (bytes_t){ NULL, 0 };
}

static void grpc_metadata(size_t index, grpc_answer_t what, const header_map_t *metadata)
{
    if (metadata->count == 0) {
        return;
    }
    map_copy(&g.grpc_metadata, metadata);
    if (what == GRPC_INITIAL_METADATA) {
        grpc_callback(index, what, m.on_grpc_receive_initial_metadata, "proxy_on_grpc_receive_initial_metadata", (uint32_t)metadata->count);
    } else {
        grpc_callback(index, what, m.on_grpc_receive_trailing_metadata, "proxy_on_grpc_receive_trailing_metadata", (uint32_t)metadata->count);
    }
    map_clear(&g.grpc_metadata);
}

/* The answer to a gRPC call or stream, the configured one for all: the initial metadata first (when configured); then
   for a unary call the trailing metadata (when configured) and its last answer, a close (grpc_close) or else the
   message; for a stream the message (unless only a close is configured), the trailing metadata and the close (default
   0, no message). Envoy delivers no metadata for unary calls; a unary call still ends with its one message or close. */
static void answer_grpc(size_t index)
{
    uint32_t context = g.context;
    int unary = g.calls[index].kind == CALLOUT_GRPC_CALL;
    uint32_t message_size = (uint32_t)g_input.grpc_message.size;
    g.calls[index].answered = 1;
    grpc_metadata(index, GRPC_INITIAL_METADATA, &g_input.grpc_initial_metadata);
    if (unary) {
        grpc_metadata(index, GRPC_TRAILING_METADATA, &g_input.grpc_trailing_metadata);
        if (g_input.grpc_close_given) {
            grpc_callback(index, GRPC_CLOSE, m.on_grpc_close, "proxy_on_grpc_close", g_input.grpc_close_code);
        } else {
            grpc_callback(index, GRPC_MESSAGE, m.on_grpc_receive, "proxy_on_grpc_receive", message_size);
        }
    } else {
        if (g_input.grpc_message_given || !g_input.grpc_close_given) {
            grpc_callback(index, GRPC_MESSAGE, m.on_grpc_receive, "proxy_on_grpc_receive", message_size);
        }
        grpc_metadata(index, GRPC_TRAILING_METADATA, &g_input.grpc_trailing_metadata);
        grpc_callback(index, GRPC_CLOSE, m.on_grpc_close, "proxy_on_grpc_close", g_input.grpc_close_given ? g_input.grpc_close_code : 0);
    }
    g.calls[index].ended = 1;
    enter(context);
}

/* The oldest call made on <context> that is neither answered nor ended (its index), or -1. */
long next_call(uint32_t context)
{
    for (size_t i = 0; i < g.call_count; i++) {
        if (!g.calls[i].answered && !g.calls[i].ended && g.calls[i].context == context) {
            return (long)i;
        }
    }
    return -1;
}

void answer(long index)
{
    if (g.calls[index].kind == CALLOUT_HTTP) {
        answer_call((size_t)index);
    } else {
        answer_grpc((size_t)index);
    }
}

/* One tick, while any remain (ticks) and the module exports proxy_on_tick and has set a non-zero period (Envoy runs no
   timer otherwise): proxy_on_tick(1) on the root context, then the answers to every call made on the root context,
   oldest first (the plugin dispatches from its tick; Envoy delivers each answer on the root context). 0: no tick. */
int tick(void)
{
    if (g.ticks_left == 0 || m.on_tick == NULL || g.tick_period == 0) {
        return 0;
    }
    g.ticks_left--;
    uint32_t context = g.context;
    enter(ROOT_CONTEXT_ID);
    m.on_tick(ROOT_CONTEXT_ID);
    print_call(ROOT_CONTEXT_ID, "proxy_on_tick", "1", "-");
    unsigned answers = 0;
    for (long next; (next = next_call(ROOT_CONTEXT_ID)) >= 0; answer(next)) {
        if (++answers > MAX_ANSWERS_PER_PAUSE) {
            protocol_error("root context: still calling after %u answers to its calls in a tick", MAX_ANSWERS_PER_PAUSE);
            break;
        }
    }
    enter(context);
    return 1;
}

