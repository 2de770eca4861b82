/*
 * properties_probe: a Proxy-Wasm module written in C that probes what proxywasm_host answers for properties
 * (proxy_get_property, proxy_set_property): the attributes derived from the stream, configured ones, what the module
 * set, and NotFound on the root context. It logs one line a probe: "<where> <path>: status <s> <value>", the value
 * printed as text, or as "int <n>" when it is 8 bytes (Envoy's int encoding).
 *
 * Build:  gcc -std=c11 -O1 -Wall -Wextra -Werror -shared -fPIC -o properties_probe.so properties_probe.c
 *
 * proxy_on_configure (root context) reads request.path and plugin_root_id; proxy_on_request_headers reads
 * request.path, request.method, request.host, response.code, source.address, source.port and an unknown path, sets
 * filter_state.probe and reads it back; proxy_on_response_headers reads response.code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t proxy_log(int32_t level, const uint8_t *message_data, size_t message_size);
int32_t proxy_get_property(const uint8_t *path_data, size_t path_size, uint8_t **return_value_data, size_t *return_value_size);
int32_t proxy_set_property(const uint8_t *path_data, size_t path_size, const uint8_t *value_data, size_t value_size);

void proxy_abi_version_0_2_1(void)
{
}

void *proxy_on_memory_allocate(size_t size)
{
    return malloc(size == 0 ? 1 : size);
}

static void say(const char *line)
{
    proxy_log(2, (const uint8_t *)line, strlen(line));
}

/* Reads the property at the NUL-joined path (size bytes) and logs the status and the value. */
static void probe(const char *where, const char *path, size_t size)
{
    uint8_t *data = NULL;
    size_t length = 0;
    int32_t status = proxy_get_property((const uint8_t *)path, size, &data, &length);
    char printable[64] = { 0 };
    for (size_t i = 0; i < size && i < sizeof printable - 1; i++) {
        printable[i] = path[i] == 0 ? '.' : path[i];
    }
    char line[256];
    if (status == 0 && length == 8) {
        int64_t value;
        memcpy(&value, data, 8);
        snprintf(line, sizeof line, "%s %s: status %d int %lld", where, printable, status, (long long)value);
    } else {
        snprintf(line, sizeof line, "%s %s: status %d '%.*s'", where, printable, status, (int)length, data != NULL ? (const char *)data : "");
    }
    free(data);
    say(line);
}

#define PROBE(where, literal) probe(where, literal, sizeof(literal) - 1)

void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id)
{
    (void)context_id;
    (void)parent_context_id;
}

uint32_t proxy_on_configure(uint32_t context_id, uint32_t configuration_size)
{
    (void)context_id;
    (void)configuration_size;
    PROBE("root", "request\0path");
    PROBE("root", "plugin_root_id");
    return 1;
}

uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id;
    (void)headers;
    (void)end_of_stream;
    PROBE("request", "request\0path");
    PROBE("request", "request\0method");
    PROBE("request", "request\0host");
    PROBE("request", "response\0code");
    PROBE("request", "source\0address");
    PROBE("request", "source\0port");
    PROBE("request", "unknown\0path");
    int32_t status = proxy_set_property((const uint8_t *)"filter_state\0probe", sizeof "filter_state\0probe" - 1, (const uint8_t *)"v1", 2);
    char line[64];
    snprintf(line, sizeof line, "set filter_state.probe: status %d", status);
    say(line);
    PROBE("request", "filter_state\0probe");
    return 0;
}

uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id;
    (void)headers;
    (void)end_of_stream;
    PROBE("response", "response\0code");
    return 0;
}
