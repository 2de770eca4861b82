/* The Proxy-Wasm ABI v0.2.1 as the C test modules use it: env.proxy_* imports and export helpers.
   Built with Debian's clang + lld + wasi-libc: clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor. */
#ifndef PROXY_WASM_H
#define PROXY_WASM_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

enum { OK = 0, NOT_FOUND = 1, BAD_ARGUMENT = 2, INVALID_MEMORY_ACCESS = 6 };
enum { REQUEST_HEADERS = 0, RESPONSE_HEADERS = 2 };
enum { REQUEST_BODY = 0, RESPONSE_BODY = 1, DOWNSTREAM_DATA = 2, UPSTREAM_DATA = 3, VM_CONFIGURATION = 6, PLUGIN_CONFIGURATION = 7 };
enum { CONTINUE = 0, STOP_ITERATION = 1 };                    /* FilterHeadersStatus, FilterStatus (TCP) */
enum { DATA_STOP_ITERATION_AND_BUFFER = 1 };                  /* FilterDataStatus */
enum { LOG_TRACE = 0, LOG_DEBUG = 1, LOG_INFO = 2, LOG_WARN = 3, LOG_ERROR = 4, LOG_CRITICAL = 5 };

IMPORT(proxy_log) int proxy_log(int level, const char *message, size_t size);
IMPORT(proxy_get_log_level) int proxy_get_log_level(int *level);
IMPORT(proxy_get_header_map_value) int proxy_get_header_map_value(int map, const char *key, size_t key_size, const char **value, size_t *value_size);
IMPORT(proxy_replace_header_map_value) int proxy_replace_header_map_value(int map, const char *key, size_t key_size, const char *value, size_t value_size);
IMPORT(proxy_add_header_map_value) int proxy_add_header_map_value(int map, const char *key, size_t key_size, const char *value, size_t value_size);
IMPORT(proxy_get_header_map_pairs) int proxy_get_header_map_pairs(int map, const char **data, size_t *size);
IMPORT(proxy_get_buffer_bytes) int proxy_get_buffer_bytes(int type, size_t start, size_t max, const char **data, size_t *size);
IMPORT(proxy_get_property) int proxy_get_property(const char *path, size_t path_size, const char **value, size_t *value_size);
IMPORT(proxy_send_local_response) int proxy_send_local_response(int status, const char *details, size_t details_size, const char *body, size_t body_size, const char *headers, size_t headers_size, int grpc_status);
IMPORT(proxy_set_buffer_bytes) int proxy_set_buffer_bytes(int type, size_t start, size_t size, const char *data, size_t data_size);
IMPORT(proxy_get_buffer_status) int proxy_get_buffer_status(int type, size_t *size, uint32_t *flags);
IMPORT(proxy_set_tick_period_milliseconds) int proxy_set_tick_period_milliseconds(uint32_t period);
IMPORT(proxy_http_call) int proxy_http_call(const char *upstream, size_t upstream_size, const char *headers, size_t headers_size, const char *body, size_t body_size, const char *trailers, size_t trailers_size, uint32_t timeout_ms, uint32_t *token);
IMPORT(proxy_continue_stream) int proxy_continue_stream(int stream_type);
IMPORT(proxy_set_effective_context) int proxy_set_effective_context(uint32_t context_id);
IMPORT(proxy_call_foreign_function) int proxy_call_foreign_function(const char *name, size_t name_size, const char *arguments, size_t arguments_size, const char **results, size_t *results_size);
IMPORT(proxy_get_current_time_nanoseconds) int proxy_get_current_time_nanoseconds(uint64_t *now);

/* The ABI marker and the allocator every module exports. */
#define PROXY_WASM_MODULE                                                     \
  EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}       \
  EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) { return malloc(size); }

#define LOG_LITERAL(level, text) proxy_log(level, text, sizeof(text) - 1)

/* A log line of up to 255 bytes, printf-style (the tests read the modules' findings from the log). */
#include <stdio.h>
#define LOGF(level, ...)                                                       \
  do {                                                                         \
    char line_[256];                                                           \
    int n_ = snprintf(line_, sizeof(line_), __VA_ARGS__);                      \
    proxy_log(level, line_, n_ < 0 ? 0 : (size_t)n_ < sizeof(line_) ? (size_t)n_ : sizeof(line_) - 1); \
  } while (0)

/* Whether request header NAME is exactly VALUE (a NUL-terminated literal). */
static inline int header_is(int map, const char *name, const char *value)
{
  const char *data = NULL;
  size_t size = 0;
  if (proxy_get_header_map_value(map, name, strlen(name), &data, &size) != OK) return 0;
  int same = size == strlen(value) && memcmp(data, value, size) == 0;
  free((void *)data);
  return same;
}

#endif
