/* samples/HeaderAuthorization in C: a request passes only when its `allow` header is exactly `true`; otherwise it logs
   info "header-authorization: allow header not found or is not true, deny by default", answers 403 with
   content-type: text/plain and the sample's body, and stops the request. It exports the same callbacks as the
   generated glue (a stateless filter: no context create or delete), so an exchange records the same callbacks as the assembly. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE


EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  if (header_is(REQUEST_HEADERS, "allow", "true")) return CONTINUE;

  LOG_LITERAL(LOG_INFO, "header-authorization: allow header not found or is not true, deny by default");
  static const char body[] = "Forbidden by ASM Wasm Plugin, csharp version\n";
  /* One serialized pair: count, name size, value size, then "name\0value\0". */
  static const char pairs[] = "\x01\0\0\0" "\x0c\0\0\0" "\x0a\0\0\0" "content-type\0" "text/plain";
  proxy_send_local_response(403, NULL, 0, body, sizeof(body) - 1, pairs, sizeof(pairs), -1);
  return STOP_ITERATION;
}
