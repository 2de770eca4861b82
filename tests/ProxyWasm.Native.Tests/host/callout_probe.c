/*
 * callout_probe: a Proxy-Wasm module written in C that probes the HTTP callout semantics of proxywasm_host, the parts
 * of the ABI no sample reaches (a refused call, proxy_get_status, the call-response maps outside an answer, an unknown
 * effective context). It reports what each host function returned through proxy_log, one line a probe.
 *
 * Build:  gcc -std=c11 -O1 -Wall -Wextra -Werror -shared -fPIC -o callout_probe.so callout_probe.c
 *
 * Each stream dispatches four calls in proxy_on_request_headers: one without :path and one to the cluster "unknown"
 * (both refused when the host knows its clusters), then two to "probe", and pauses. Each answer is probed on the root
 * context, then with the stream as the effective context; the second answer resumes the request.
 *
 * Ticks: proxy_on_configure sets each tick period the plugin configuration lists (decimal, comma-separated, in order);
 * proxy_on_tick logs "tick <n>".
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t proxy_log(int32_t level, const uint8_t *message_data, size_t message_size);
int32_t proxy_http_call(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *serialized_headers_data,
                        size_t serialized_headers_size, const uint8_t *body_data, size_t body_size,
                        const uint8_t *serialized_trailers_data, size_t serialized_trailers_size, uint32_t timeout_milliseconds,
                        uint32_t *return_callout_id);
int32_t proxy_get_status(uint32_t *return_status_code, uint8_t **return_status_message_data, size_t *return_status_message_size);
int32_t proxy_get_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, uint8_t **return_value_data,
                                   size_t *return_value_size);
int32_t proxy_get_header_map_pairs(int32_t map_type, uint8_t **return_serialized_pairs_data, size_t *return_serialized_pairs_size);
int32_t proxy_get_buffer_bytes(int32_t buffer_type, size_t start, size_t max_size, uint8_t **return_buffer_data,
                               size_t *return_buffer_size);
int32_t proxy_set_effective_context(uint32_t context_id);
int32_t proxy_continue_stream(int32_t stream_type);
int32_t proxy_set_tick_period_milliseconds(uint32_t tick_period_milliseconds);

static uint32_t g_stream;
static uint32_t g_answers;

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

/* Writes <count> name/value pairs in the pairs format; returns the size. */
static size_t pairs(uint8_t *out, const char *const *items, uint32_t count)
{
    memcpy(out, &count, 4);
    uint8_t *data = out + 4 + 8 * (size_t)count;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t k = (uint32_t)strlen(items[2 * i]), v = (uint32_t)strlen(items[2 * i + 1]);
        memcpy(out + 4 + 8 * (size_t)i, &k, 4);
        memcpy(out + 8 + 8 * (size_t)i, &v, 4);
        memcpy(data, items[2 * i], k + 1);
        data += k + 1;
        memcpy(data, items[2 * i + 1], v + 1);
        data += v + 1;
    }
    return (size_t)(data - out);
}

static void dispatch(const char *what, const char *cluster, const char *const *headers, uint32_t count, const char *body, int trailer)
{
    uint8_t serialized[512], trailers[64];
    static const char *const trailer_items[] = { "x-probe-trailer", "t" };
    size_t size = pairs(serialized, headers, count);
    size_t trailers_size = trailer ? pairs(trailers, trailer_items, 1) : 0;
    uint32_t token = 0;
    int32_t status = proxy_http_call((const uint8_t *)cluster, strlen(cluster), serialized, size, (const uint8_t *)body, strlen(body),
                                     trailer ? trailers : NULL, trailers_size, 250, &token);
    say("dispatch %s: status %d token %u", what, status, token);
}

uint32_t proxy_on_configure(uint32_t context_id, uint32_t configuration_size)
{
    (void)context_id;
    uint8_t *data = NULL;
    size_t size = 0;
    if (configuration_size == 0 || proxy_get_buffer_bytes(7, 0, configuration_size, &data, &size) != 0) {
        return 1;
    }
    char text[64] = { 0 };
    memcpy(text, data, size < sizeof text - 1 ? size : sizeof text - 1);
    free(data);
    for (char *period = strtok(text, ","); period != NULL; period = strtok(NULL, ",")) {
        say("tick period %s: status %d", period, proxy_set_tick_period_milliseconds((uint32_t)strtoul(period, NULL, 10)));
    }
    return 1;
}

void proxy_on_tick(uint32_t context_id)
{
    static unsigned ticks;
    say("tick %u on %u", ++ticks, context_id);
}

void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id)
{
    if (parent_context_id != 0) {
        g_stream = context_id;
        g_answers = 0;
    }
}

uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id; (void)headers; (void)end_of_stream;
    static const char *const no_path[] = { ":method", "GET", ":authority", "probe.example" };
    static const char *const full[] = { ":method", "POST", ":path", "/probe", ":authority", "probe.example", "x-probe", "1" };
    dispatch("no-path", "probe", no_path, 2, "", 0);
    dispatch("unknown-cluster", "unknown", full, 4, "", 0);
    dispatch("first", "probe", full, 4, "ping", 1);
    dispatch("second", "probe", full, 4, "", 0);
    return 1; /* StopIteration: wait for the answers */
}

static void probe_answer(const char *when)
{
    uint32_t code = 99;
    uint8_t *data = NULL;
    size_t size = 0;
    int32_t status = proxy_get_status(&code, &data, &size);
    say("%s get_status: status %d code %u message '%.*s'", when, status, code, (int)size, data != NULL ? (const char *)data : "");
    free(data);

    data = NULL;
    size = 0;
    status = proxy_get_header_map_value(6, (const uint8_t *)":status", 7, &data, &size);
    say("%s call :status: status %d value '%.*s'", when, status, (int)size, data != NULL ? (const char *)data : "");
    free(data);

    data = NULL;
    size = 0;
    status = proxy_get_header_map_value(7, (const uint8_t *)"x-answer-trailer", 16, &data, &size);
    say("%s call trailer: status %d value '%.*s'", when, status, (int)size, data != NULL ? (const char *)data : "");
    free(data);

    data = NULL;
    size = 0;
    status = proxy_get_buffer_bytes(4, 0, 1024, &data, &size);
    say("%s call body: status %d size %zu '%.*s'", when, status, size, (int)size, data != NULL ? (const char *)data : "");
    free(data);

    data = NULL;
    size = 0;
    status = proxy_get_header_map_value(0, (const uint8_t *)":path", 5, &data, &size);
    say("%s request :path: status %d value '%.*s'", when, status, (int)size, data != NULL ? (const char *)data : "");
    free(data);
}

void proxy_on_http_call_response(uint32_t context_id, uint32_t token, uint32_t headers, uint32_t body_size, uint32_t trailers)
{
    say("answer: context %u token %u headers %u body %u trailers %u", context_id, token, headers, body_size, trailers);
    probe_answer("root");
    say("effective 4242: status %d", proxy_set_effective_context(4242));
    say("effective stream: status %d", proxy_set_effective_context(g_stream));
    probe_answer("stream");
    if (++g_answers == 2) {
        say("resume: status %d", proxy_continue_stream(0));
    }
}

uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id; (void)headers; (void)end_of_stream;
    probe_answer("response");
    return 0;
}

void proxy_on_delete(uint32_t context_id)
{
    (void)context_id;
}
