/*
 * grpc_probe: a Proxy-Wasm module written in C that probes the gRPC callout semantics of proxywasm_host, the parts of
 * the ABI no sample reaches (streams and sends, close and cancel, tokens of the wrong kind, the metadata maps, the
 * message buffer and proxy_get_status in each answer and outside one). It reports what each host function returned
 * through proxy_log, one line a probe.
 *
 * Build:  gcc -std=c11 -O1 -Wall -Wextra -Werror -shared -fPIC -o grpc_probe.so grpc_probe.c
 *
 * Each stream, in proxy_on_request_headers: a unary call to the cluster "unknown" (refused when the host knows its
 * clusters), a unary call and a stream to "probe", three sends on the stream (the third after end of stream), a send
 * to the unary call and one to an unknown stream, a second unary call it cancels twice, a close of an HTTP call's
 * token; then it pauses. Each answer is probed on the root context. The stream's close resumes the request (with the
 * stream as the effective context); with the request header x-probe-cancel, the stream's first message cancels the
 * stream instead.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t proxy_log(int32_t level, const uint8_t *message_data, size_t message_size);
int32_t proxy_grpc_call(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *service_name_data,
                        size_t service_name_size, const uint8_t *method_name_data, size_t method_name_size,
                        const uint8_t *serialized_initial_metadata_data, size_t serialized_initial_metadata_size,
                        const uint8_t *message_data, size_t message_size, uint32_t timeout_milliseconds, uint32_t *return_callout_id);
int32_t proxy_grpc_stream(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *service_name_data,
                          size_t service_name_size, const uint8_t *method_name_data, size_t method_name_size,
                          const uint8_t *serialized_initial_metadata_data, size_t serialized_initial_metadata_size,
                          uint32_t *return_stream_id);
int32_t proxy_grpc_send(uint32_t stream_id, const uint8_t *message_data, size_t message_size, uint32_t end_stream);
int32_t proxy_grpc_cancel(uint32_t callout_id);
int32_t proxy_grpc_close(uint32_t callout_id);
int32_t proxy_get_status(uint32_t *return_status_code, uint8_t **return_status_message_data, size_t *return_status_message_size);
int32_t proxy_get_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, uint8_t **return_value_data,
                                   size_t *return_value_size);
int32_t proxy_get_buffer_bytes(int32_t buffer_type, size_t start, size_t max_size, uint8_t **return_buffer_data,
                               size_t *return_buffer_size);
int32_t proxy_set_effective_context(uint32_t context_id);
int32_t proxy_continue_stream(int32_t stream_type);

static uint32_t g_stream;
static uint32_t g_unary;
static uint32_t g_grpc_stream;
static int g_cancel;

void proxy_abi_version_0_2_1(void)
{
}

void *proxy_on_memory_allocate(size_t size)
{
    return malloc(size == 0 ? 1 : size);
}

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Logs one probe result at info level. */
static void say(const char *format, ...)
{
    char line[512];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    proxy_log(2, (const uint8_t *)line, strlen(line));
}

/* One name/value pair in the pairs format; returns the size. */
static size_t pair(uint8_t *out, const char *name, const char *value)
{
    uint32_t count = 1, k = (uint32_t)strlen(name), v = (uint32_t)strlen(value);
    memcpy(out, &count, 4);
    memcpy(out + 4, &k, 4);
    memcpy(out + 8, &v, 4);
    memcpy(out + 12, name, k + 1);
    memcpy(out + 13 + k, value, v + 1);
    return 14 + (size_t)k + v;
}

static uint32_t call(const char *what, const char *cluster, const char *method, const char *message)
{
    uint8_t metadata[64];
    size_t size = pair(metadata, "x-probe", "1");
    uint32_t token = 0;
    int32_t status = proxy_grpc_call((const uint8_t *)cluster, strlen(cluster), (const uint8_t *)"probe.Probe", 11,
                                     (const uint8_t *)method, strlen(method), metadata, size, (const uint8_t *)message,
                                     strlen(message), 250, &token);
    say("dispatch %s: status %d token %u", what, status, token);
    return token;
}

static void send_on(const char *what, uint32_t token, const char *message, uint32_t end_stream)
{
    say("send %s: status %d", what, proxy_grpc_send(token, (const uint8_t *)message, strlen(message), end_stream));
}

void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id)
{
    if (parent_context_id != 0) {
        g_stream = context_id;
    }
}

uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id; (void)headers; (void)end_of_stream;
    uint8_t *value = NULL;
    size_t value_size = 0;
    g_cancel = proxy_get_header_map_value(0, (const uint8_t *)"x-probe-cancel", 14, &value, &value_size) == 0;
    free(value);

    call("unknown-cluster", "unknown", "Unary", "");
    g_unary = call("unary", "probe", "Unary", "ping");

    uint8_t metadata[64];
    size_t size = pair(metadata, "x-probe", "stream");
    g_grpc_stream = 0;
    int32_t status = proxy_grpc_stream((const uint8_t *)"probe", 5, (const uint8_t *)"probe.Probe", 11, (const uint8_t *)"Stream", 6,
                                       metadata, size, &g_grpc_stream);
    say("dispatch stream: status %d token %u", status, g_grpc_stream);
    send_on("one", g_grpc_stream, "one", 0);
    send_on("two", g_grpc_stream, "two", 1);
    send_on("after end", g_grpc_stream, "three", 0);
    send_on("to a unary call", g_unary, "x", 0);
    send_on("to an unknown stream", 4242, "x", 0);

    uint32_t second = call("second", "probe", "Unary", "");
    say("cancel second: status %d", proxy_grpc_cancel(second));
    say("cancel second again: status %d", proxy_grpc_cancel(second));
    say("close an http token: status %d", proxy_grpc_close(8));
    return 1; /* StopIteration: wait for the answers */
}

static void probe(const char *when)
{
    uint32_t code = 99;
    uint8_t *data = NULL;
    size_t size = 0;
    int32_t status = proxy_get_status(&code, &data, &size);
    say("%s get_status: status %d code %u message '%.*s'", when, status, code, (int)size, data != NULL ? (const char *)data : "");
    free(data);

    data = NULL;
    size = 0;
    status = proxy_get_header_map_value(4, (const uint8_t *)"x-meta", 6, &data, &size);
    say("%s initial x-meta: status %d value '%.*s'", when, status, (int)size, data != NULL ? (const char *)data : "");
    free(data);

    data = NULL;
    size = 0;
    status = proxy_get_header_map_value(5, (const uint8_t *)"x-meta", 6, &data, &size);
    say("%s trailing x-meta: status %d value '%.*s'", when, status, (int)size, data != NULL ? (const char *)data : "");
    free(data);

    data = NULL;
    size = 0;
    status = proxy_get_buffer_bytes(5, 0, 1024, &data, &size);
    say("%s message: status %d size %zu '%.*s'", when, status, size, (int)size, data != NULL ? (const char *)data : "");
    free(data);
}

void proxy_on_grpc_receive_initial_metadata(uint32_t context_id, uint32_t token, uint32_t elements)
{
    say("initial: context %u token %u elements %u", context_id, token, elements);
    probe("initial");
}

void proxy_on_grpc_receive(uint32_t context_id, uint32_t token, uint32_t message_size)
{
    say("receive: context %u token %u size %u", context_id, token, message_size);
    probe("receive");
    if (token == g_grpc_stream && g_cancel) {
        say("cancel in answer: status %d", proxy_grpc_cancel(token));
    }
}

void proxy_on_grpc_receive_trailing_metadata(uint32_t context_id, uint32_t token, uint32_t elements)
{
    say("trailing: context %u token %u elements %u", context_id, token, elements);
    probe("trailing");
}

void proxy_on_grpc_close(uint32_t context_id, uint32_t token, uint32_t status_code)
{
    say("close: context %u token %u code %u", context_id, token, status_code);
    probe("close");
    if (token == g_grpc_stream) {
        say("effective stream: status %d", proxy_set_effective_context(g_stream));
        say("resume: status %d", proxy_continue_stream(0));
    }
}

uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id; (void)headers; (void)end_of_stream;
    probe("response");
    say("close the answered call: status %d", proxy_grpc_close(g_unary));
    say("send on the closed stream: status %d", proxy_grpc_send(g_grpc_stream, (const uint8_t *)"x", 1, 0));
    return 0;
}

void proxy_on_delete(uint32_t context_id)
{
    (void)context_id;
}
