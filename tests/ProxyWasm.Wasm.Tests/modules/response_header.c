/* samples/ResponseHeader in C: every response gets `hello: world` (replacing any value the upstream sent). */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_response_headers) int on_response_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  if (proxy_replace_header_map_value(RESPONSE_HEADERS, "hello", 5, "world", 5) != OK) {
    LOG_LITERAL(LOG_CRITICAL, "response-header: failed to set response header");
  }
  return CONTINUE;
}
