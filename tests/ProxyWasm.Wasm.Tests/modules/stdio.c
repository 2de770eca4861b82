/* WASI output: what the module writes to stdout becomes an info log line and stderr an error line (cpp-host's
   fd_write), one trailing newline dropped. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  printf("stdout: %d headers\n", headers);
  fflush(stdout);
  fprintf(stderr, "stderr: something went wrong\n");
  return CONTINUE;
}
