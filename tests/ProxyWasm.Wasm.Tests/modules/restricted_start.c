/* Host calls during start-up (_initialize runs the constructors). cpp-host allows proxy_log and the WASI functions a
   runtime needs (fd_write, clocks, random, ...) there; any other proxy_* call traps (restricted_callback) and fails
   the VM before the first callback. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

__attribute__((constructor)) static void start(void)
{
  LOG_LITERAL(LOG_INFO, "start: proxy_log is allowed");
  printf("start: stdout is allowed\n");
  fflush(stdout);
  proxy_set_tick_period_milliseconds(1000);
  LOG_LITERAL(LOG_INFO, "start: not reached");
}

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  proxy_replace_header_map_value(REQUEST_HEADERS, "x-filtered", 10, "yes", 3);
  return CONTINUE;
}
