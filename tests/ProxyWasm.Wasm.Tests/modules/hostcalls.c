/* Host calls with bad arguments, chosen by the request header x-case; the module logs each status it got back
   ("CASE: call=status ...") and lets the request continue. Addresses are 32-bit offsets into linear memory, whose end
   is memory_end(): a pointer or output slot past it must come back as INVALID_MEMORY_ACCESS (6), never crash the
   host, and a failed call must leave its output slots as they were. */
#include <wasi/api.h>
#include "proxy_wasm.h"

static uintptr_t memory_end(void) { return (uintptr_t)__builtin_wasm_memory_size(0) * 65536u; }

/* The allocator misbehaves on request: 1 returns a block that runs past the end of memory, 2 returns NULL. Either
   way the host call that allocates fails with INVALID_MEMORY_ACCESS and the VM goes on (cpp-host's allocMemory). */
static int bad_allocator = 0;

EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}
EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size)
{
  if (bad_allocator == 1) return (void *)(memory_end() - 4);
  if (bad_allocator == 2) return NULL;
  return malloc(size);
}

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

static void out_of_bounds_input(void)
{
  const char *value = NULL;
  size_t size = 0;
  char *end = (char *)memory_end();
  int log = proxy_log(LOG_INFO, end - 4, 16);                                  /* straddles the end */
  int key = proxy_get_header_map_value(REQUEST_HEADERS, (const char *)0xfffffff0u, 16, &value, &size);
  int at_end = proxy_log(LOG_INFO, end, 0);                                    /* empty, at the end: in bounds */
  LOGF(LOG_INFO, "oob-input: proxy_log=%d proxy_get_header_map_value=%d empty_at_end=%d", log, key, at_end);
}

static void out_of_bounds_output(void)
{
  size_t size = 0;
  const char *value = NULL;
  char *end = (char *)memory_end();
  int data_slot = proxy_get_header_map_value(REQUEST_HEADERS, ":authority", 10, (const char **)(end - 2), &size);
  int size_slot = proxy_get_header_map_value(REQUEST_HEADERS, ":authority", 10, &value, (size_t *)0xffffffffu);
  int level_slot = proxy_get_log_level((int *)(end - 3));
  LOGF(LOG_INFO, "oob-output: value_slot=%d size_slot=%d log_level_slot=%d", data_slot, size_slot, level_slot);
}

static void huge_sizes(void)
{
  static const char text[] = "huge";
  const char *data = NULL;
  size_t size = 0;
  int log = proxy_log(LOG_INFO, text, 0xffffffffu);
  int replace = proxy_replace_header_map_value(REQUEST_HEADERS, "x-huge", 6, text, 0x7fffffffu);
  int all = proxy_get_buffer_bytes(REQUEST_BODY, 0, 0xffffffffu, &data, &size);
  size_t got = size;
  free((void *)data);
  data = NULL;
  size = 0;
  int past_end = proxy_get_buffer_bytes(REQUEST_BODY, 0xffffffffu, 0xffffffffu, &data, &size);
  LOGF(LOG_INFO, "huge-size: proxy_log=%d replace=%d whole_body=%d bytes=%zu start_past_end=%d", log, replace, all, got, past_end);
}

static void slots_untouched(void)
{
  const char *value = (const char *)0xdeadbeefu;
  size_t size = 0xfeedu;
  int missing = proxy_get_header_map_value(REQUEST_HEADERS, "x-absent", 8, &value, &size);
  LOGF(LOG_INFO, "slots-untouched: status=%d value=%#lx size=%#zx", missing, (unsigned long)(uintptr_t)value, size);
}

static void misbehaving_allocator(void)
{
  const char *value = NULL;
  size_t size = 0;
  int statuses[2];
  for (int mode = 1; mode <= 2; mode++) {
    bad_allocator = mode;
    statuses[mode - 1] = proxy_get_header_map_value(REQUEST_HEADERS, ":authority", 10, &value, &size);
    bad_allocator = 0;
  }
  LOGF(LOG_INFO, "bad-allocator: past_the_end=%d null=%d", statuses[0], statuses[1]);
}

/* WASI preview 1 errors as cpp-host answers them: EFAULT (21) for a bad pointer, EBADF (8) for a file other than
   stdout/stderr, EINVAL (28) for random_get over 64 KiB. */
static void wasi_errors(void)
{
  static const char text[] = "x";
  static uint8_t random[65537];
  __wasi_size_t written = 0;
  __wasi_ciovec_t good = { (const uint8_t *)text, 1 }, bad = { (const uint8_t *)(memory_end() - 1), 2 };
  int bad_iovs = __wasi_fd_write(1, (const __wasi_ciovec_t *)0xfffffff0u, 1, &written);
  int bad_buffer = __wasi_fd_write(1, &bad, 1, &written);
  int bad_fd = __wasi_fd_write(5, &good, 1, &written);
  int bad_written = __wasi_fd_write(2, &good, 1, (__wasi_size_t *)0xfffffffcu);
  int big_random = __wasi_random_get(random, sizeof(random));
  int bad_clock = __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, (__wasi_timestamp_t *)(memory_end() - 4));
  LOGF(LOG_INFO, "wasi-errors: iovs=%d buffer=%d fd=%d written=%d random=%d clock=%d", bad_iovs, bad_buffer, bad_fd, bad_written, big_random, bad_clock);
}

/* A foreign function of the test (HostOptions.ForeignFunctions) named by the request header x-foreign. */
static void foreign(void)
{
  const char *name = NULL, *results = NULL;
  size_t name_size = 0, results_size = 0;
  proxy_get_header_map_value(REQUEST_HEADERS, "x-foreign", 9, &name, &name_size);
  int status = proxy_call_foreign_function(name, name_size, "ping", 4, &results, &results_size);
  LOGF(LOG_INFO, "foreign: status=%d results=%.*s", status, (int)results_size, results ? results : "");
  free((void *)name);
  free((void *)results);
}

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  if (header_is(REQUEST_HEADERS, "x-case", "oob-input")) out_of_bounds_input();
  else if (header_is(REQUEST_HEADERS, "x-case", "oob-output")) out_of_bounds_output();
  else if (header_is(REQUEST_HEADERS, "x-case", "slots-untouched")) slots_untouched();
  else if (header_is(REQUEST_HEADERS, "x-case", "bad-allocator")) misbehaving_allocator();
  else if (header_is(REQUEST_HEADERS, "x-case", "wasi-errors")) wasi_errors();
  else if (header_is(REQUEST_HEADERS, "x-case", "foreign")) foreign();
  proxy_replace_header_map_value(REQUEST_HEADERS, "x-survived", 10, "yes", 3);
  return CONTINUE;
}

/* The huge sizes need the request body in the buffer; the allocation cap needs a body larger than it. */
EXPORT(proxy_on_request_body) int on_request_body(int id, int body_size, int end_of_stream)
{
  (void)id; (void)end_of_stream;
  if (header_is(REQUEST_HEADERS, "x-case", "huge-size")) huge_sizes();
  else if (header_is(REQUEST_HEADERS, "x-case", "body-copy")) {
    const char *data = NULL;
    size_t size = 0;
    size_t before = memory_end();
    int status = proxy_get_buffer_bytes(REQUEST_BODY, 0, (size_t)body_size, &data, &size);
    uint32_t sum = 0;
    for (size_t i = 0; i < size; i++) sum = sum * 31u + (uint8_t)data[i];
    LOGF(LOG_INFO, "body-copy: status=%d bytes=%zu hash=%u memory_grew=%d", status, size, (unsigned)sum, memory_end() > before);
    free((void *)data);
  }
  return CONTINUE;
}
