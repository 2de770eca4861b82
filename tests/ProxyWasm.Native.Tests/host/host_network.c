/* proxywasm_host: TCP connections (a network filter in front of Envoy's tcp_proxy): driving them, their buffers and
   stream control. See host.h. */
#include "host.h"

/* ---- buffers 2 and 3, stream control ---- */

/* Whether host calls act on the live connection: its own callback, or another context made it the effective one. */
int on_connection(void)
{
    return x.connection != 0 && g.effective == x.connection;
}

/* Envoy keeps the data buffer of a direction while the filter holds its bytes: from the data callback until they are
   forwarded (a Continue, or a resumed downstream). Null otherwise. */
bytes_t *network_buffer(int32_t type)
{
    if (!on_connection()) {
        return NULL;
    }
    if (type == BUF_DOWNSTREAM_DATA) {
        return x.downstream_held ? &x.downstream : NULL;
    }
    if (type == BUF_UPSTREAM_DATA) {
        return x.upstream_held ? &x.upstream : NULL;
    }
    return NULL;
}

/* Envoy's Buffer::copyFrom: start 0 drains <size> bytes (at most all) and prepends the data; a start at or past the
   end appends it; anything in between is BadArgument. */
int32_t network_set_buffer(bytes_t *buffer, size_t start, size_t size, const uint8_t *data, size_t data_size)
{
    if (start == 0) {
        size_t drained = size < buffer->size ? size : buffer->size;
        size_t kept = buffer->size - drained;
        uint8_t *joined = xmalloc(data_size + kept + 1);
        if (data_size > 0) {
            memcpy(joined, data, data_size);
        }
        if (kept > 0) {
            memcpy(joined + data_size, buffer->data + drained, kept);
        }
        free(buffer->data);
        buffer->data = joined;
        buffer->size = data_size + kept;
        buffer->data[buffer->size] = 0;
        return ST_OK;
    }
    if (start >= buffer->size) {
        uint8_t *joined = xmalloc(buffer->size + data_size + 1);
        if (buffer->size > 0) {
            memcpy(joined, buffer->data, buffer->size);
        }
        if (data_size > 0) {
            memcpy(joined + buffer->size, data, data_size);
        }
        free(buffer->data);
        buffer->data = joined;
        buffer->size += data_size;
        buffer->data[buffer->size] = 0;
        return ST_OK;
    }
    return ST_BAD_ARGUMENT;
}

/* Envoy's continueStream for a network filter: DOWNSTREAM resumes reading (continueReading, after the callback
   returns: the bytes held go upstream), UPSTREAM is Unimplemented. */
int32_t network_continue(int32_t stream_type)
{
    if (!on_connection()) {
        return ST_BAD_ARGUMENT;
    }
    if (stream_type == STREAM_UPSTREAM) {
        return ST_UNIMPLEMENTED;
    }
    x.downstream_resumed = 1;
    record("downstream_resumed", "u", x.connection);
    return ST_OK;
}

/* Envoy's closeStream for a network filter: either direction closes the connection (FlushWrite, after the callback
   returns), which then reports a local close (proxy_on_downstream_connection_close(ctx, LOCAL)). */
int32_t network_close(int32_t stream_type)
{
    if (!on_connection()) {
        return ST_BAD_ARGUMENT;
    }
    x.close_requested = 1;
    record("connection_close", "ud", x.connection, stream_type);
    return ST_OK;
}

/* ---- driving a connection ---- */

static void forward(int downstream, uint32_t end_of_stream)
{
    bytes_t *buffer = downstream ? &x.downstream : &x.upstream;
    if (buffer->size > 0 || end_of_stream) {
        record(downstream ? "downstream_forwarded" : "upstream_forwarded", "ubu", x.connection, buffer, end_of_stream);
    }
    free(buffer->data);
    *buffer = bytes_copy(NULL, 0);
    if (downstream) {
        x.downstream_held = 0;
    } else {
        x.upstream_held = 0;
    }
}

/* A proxy_continue_stream(DOWNSTREAM) made during the last callback (of any context) takes effect now. */
static void settle(void)
{
    if (x.downstream_resumed) {
        x.downstream_resumed = 0;
        if (x.downstream_held) {
            forward(1, 0);
        }
    }
}

static void append(bytes_t *buffer, const bytes_t *chunk)
{
    network_set_buffer(buffer, buffer->size, 0, chunk->data, chunk->size);
}

/* One data chunk: buffered (Envoy's read buffer, or the upstream's), then proxy_on_downstream_data /
   proxy_on_upstream_data(ctx, bytes buffered, end_of_stream); Continue (or no such callback) forwards what is
   buffered, StopIteration keeps it, so the next chunk's callback sees both; nothing is forwarded once the module asked
   to close the connection (Envoy closes it when the callback returns). Upstream end of stream also reports the
   upstream close (Envoy: onUpstreamConnectionClose(Unknown) after the callback, as it registers no upstream event). */
static void data(uint32_t id, const net_event_t *event)
{
    char args[64], result[16];
    int downstream = event->kind == NET_DOWNSTREAM_DATA;
    bytes_t *buffer = downstream ? &x.downstream : &x.upstream;
    word3_fn callback = downstream ? m.on_downstream_data : m.on_upstream_data;
    append(buffer, &event->data);
    if (downstream) {
        x.downstream_held = 1;
    } else {
        x.upstream_held = 1;
    }
    uint32_t action = 0;
    if (callback != NULL) {
        uint32_t size = (uint32_t)buffer->size;
        enter(id);
        action = callback(id, size, event->end_of_stream);
        snprintf(args, sizeof args, "%u,%u,%u", id, size, event->end_of_stream);
        snprintf(result, sizeof result, "%u", action);
        print_call(id, downstream ? "proxy_on_downstream_data" : "proxy_on_upstream_data", args, result);
    }
    if (!x.close_requested && (action == 0 || (downstream && x.downstream_resumed))) {
        if (downstream) {
            x.downstream_resumed = 0;
        }
        forward(downstream, event->end_of_stream);
    }
    settle();
    if (!downstream && event->end_of_stream && m.on_upstream_connection_close != NULL && !x.close_requested) {
        enter(id);
        m.on_upstream_connection_close(id, 0);
        snprintf(args, sizeof args, "%u,0", id);
        print_call(id, "proxy_on_upstream_connection_close", args, "-");
        settle();
    }
}

static void connection_closed(uint32_t id, int downstream, uint32_t peer)
{
    char args[64];
    void2_fn callback = downstream ? m.on_downstream_connection_close : m.on_upstream_connection_close;
    if (callback != NULL) {
        enter(id);
        callback(id, peer);
        snprintf(args, sizeof args, "%u,%u", id, peer);
        print_call(id, downstream ? "proxy_on_downstream_connection_close" : "proxy_on_upstream_connection_close", args, "-");
    }
    settle();
}

/* One connection under root context <root>: context_create(id, root) -> new_connection(id) -> the events in input
   order -> done -> log -> delete. A downstream close ends the events; so does a close the module asked for
   (proxy_close_stream), reported as a local downstream close. Bytes still held at the end are recorded. */
void run_connection(uint32_t id, uint32_t root)
{
    char args[64], result[16];
    x.connection = id;
    x.connection_root = root;
    free(x.downstream.data);
    free(x.upstream.data);
    x.downstream = bytes_copy(NULL, 0);
    x.upstream = bytes_copy(NULL, 0);
    x.downstream_held = x.upstream_held = x.downstream_resumed = x.close_requested = 0;
    g.done_called = 0;
    g.phase = PHASE_NONE;

    enter(id);
    if (m.on_context_create != NULL) {
        m.on_context_create(id, root);
        snprintf(args, sizeof args, "%u,%u", id, root);
        print_call(id, "proxy_on_context_create", args, "-");
    }
    if (m.on_new_connection != NULL) {
        enter(id);
        uint32_t action = m.on_new_connection(id);
        snprintf(args, sizeof args, "%u", id);
        snprintf(result, sizeof result, "%u", action);
        print_call(id, "proxy_on_new_connection", args, result);
    }
    settle();

    for (size_t i = 0; i < g_ext.event_count && !x.close_requested; i++) {
        const net_event_t *event = &g_ext.events[i];
        if (event->kind == NET_DOWNSTREAM_DATA || event->kind == NET_UPSTREAM_DATA) {
            data(id, event);
        } else {
            connection_closed(id, event->kind == NET_DOWNSTREAM_CLOSE, event->peer_type);
            if (event->kind == NET_DOWNSTREAM_CLOSE) {
                break;
            }
        }
    }
    if (x.close_requested) {
        connection_closed(id, 1, 1); /* LOCAL: the proxy closed it */
    }
    if (x.downstream_held) {
        record("downstream_held", "ub", id, &x.downstream);
    }
    if (x.upstream_held) {
        record("upstream_held", "ub", id, &x.upstream);
    }
    x.downstream_held = x.upstream_held = 0;

    finish_context(id); /* done, log, delete, as for a stream (host_main.c) */
    x.connection = 0;
    x.connection_root = 0;
}
