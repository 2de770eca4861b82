/* samples/HelloWorld in C: x-hello: Hello world from <:authority> (replacing any value), Continue. It exports the
   same callbacks as the generated glue (a stateless filter: no context create or delete), so an exchange through it
   records the same callbacks as through the assembly. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE


EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  static const char prefix[] = "Hello world from ";
  const char *authority = NULL;
  size_t authority_size = 0;
  if (proxy_get_header_map_value(REQUEST_HEADERS, ":authority", 10, &authority, &authority_size) != OK) {
    authority_size = 0;
  }
  char stack[256];
  size_t size = sizeof(prefix) - 1 + authority_size;
  char *value = size <= sizeof(stack) ? stack : malloc(size);
  memcpy(value, prefix, sizeof(prefix) - 1);
  if (authority_size != 0) {
    memcpy(value + sizeof(prefix) - 1, authority, authority_size);
  }
  proxy_replace_header_map_value(REQUEST_HEADERS, "x-hello", 7, value, size);
  if (value != stack) free(value);
  free((void *)authority);
  return 0;
}
