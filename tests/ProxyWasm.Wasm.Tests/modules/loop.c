/* A callback that never returns: proxy_on_request_headers spins when the request has x-loop: 1. The host's epoch
   deadline (WasmHostOptions.CallbackTimeout) interrupts it with a trap, which fails the VM. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

static volatile unsigned spins;

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  if (header_is(REQUEST_HEADERS, "x-loop", "1")) {
    for (;;) spins++;
  }
  return CONTINUE;
}
