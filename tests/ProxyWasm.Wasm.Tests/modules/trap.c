/* A trap in a callback: proxy_on_request_headers executes `unreachable` when the request has x-trap: 1, recurses
   without end on x-trap: recurse and stores past the end of memory on x-trap: store; otherwise it marks the request
   (x-filtered: yes) and the response (x-filtered-response: yes). The trap fails the VM; later streams follow the
   failure policy (fail closed: a local 503; fail open: unfiltered). */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

/* Unbounded recursion (x-trap: recurse) on the engine's stack: no locals in linear memory, and not a tail call the
   optimiser could turn into a loop, so the engine's stack limit traps ("call stack exhausted"). */
static volatile int forever = 1;

__attribute__((noinline)) static int recurse(int depth)
{
  return forever ? recurse(depth + 1) / forever + depth : depth;
}

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  if (header_is(REQUEST_HEADERS, "x-trap", "1")) __builtin_trap();
  if (header_is(REQUEST_HEADERS, "x-trap", "recurse")) return recurse(headers);
  if (header_is(REQUEST_HEADERS, "x-trap", "store")) *(volatile int *)((uintptr_t)__builtin_wasm_memory_size(0) * 65536u + 16) = 1;
  proxy_replace_header_map_value(REQUEST_HEADERS, "x-filtered", 10, "yes", 3);
  return CONTINUE;
}

EXPORT(proxy_on_response_headers) int on_response_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  proxy_replace_header_map_value(RESPONSE_HEADERS, "x-filtered-response", 19, "yes", 3);
  return CONTINUE;
}
