/* A module that exports both `malloc` and proxy_on_memory_allocate, each counting its calls. cpp-host looks `malloc` up
   first, so every block the host returns must come from `malloc`; the request header x-allocations says
   "malloc=N proxy_on_memory_allocate=M" after two host calls that return data. */
#include "proxy_wasm.h"

static int malloc_calls = 0, allocate_calls = 0;

EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}
EXPORT(malloc) void *counting_malloc(size_t size) { malloc_calls++; return malloc(size); }
EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) { allocate_calls++; return malloc(size); }

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  const char *value = NULL, *pairs = NULL;
  size_t size = 0, pairs_size = 0;
  proxy_get_header_map_value(REQUEST_HEADERS, ":authority", 10, &value, &size);
  proxy_get_header_map_pairs(REQUEST_HEADERS, &pairs, &pairs_size);
  free((void *)value);
  free((void *)pairs);
  char text[64];
  int n = snprintf(text, sizeof(text), "malloc=%d proxy_on_memory_allocate=%d", malloc_calls, allocate_calls);
  proxy_replace_header_map_value(REQUEST_HEADERS, "x-allocations", 13, text, (size_t)n);
  return CONTINUE;
}
