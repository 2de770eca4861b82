/* A WASI command (compiled with -mexec-model=command, as every module named command_*): no _initialize, so start-up
   runs _start, which runs main. main logs and sets a flag the request callback reports as x-main-ran. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

static int main_ran = 0;

int main(void)
{
  LOG_LITERAL(LOG_INFO, "main: started");
  main_ran = 1;
  return 0;
}

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  proxy_replace_header_map_value(REQUEST_HEADERS, "x-main-ran", 10, main_ran ? "yes" : "no", main_ran ? 3 : 2);
  return CONTINUE;
}
