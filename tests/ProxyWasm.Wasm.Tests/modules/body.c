/* Bodies: the request body is buffered until its end (StopIterationAndBuffer), then replaced upper-cased; the response
   body is wrapped in brackets (set_buffer_bytes prepends at 0 with size 0 and appends past the end). */
#include <ctype.h>
#include "proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_body) int on_request_body(int id, int body_size, int end_of_stream)
{
  (void)id;
  if (!end_of_stream) return DATA_STOP_ITERATION_AND_BUFFER;
  const char *data = NULL;
  size_t size = 0;
  if (proxy_get_buffer_bytes(REQUEST_BODY, 0, (size_t)body_size, &data, &size) != OK) return CONTINUE;
  char *upper = (char *)data;
  for (size_t i = 0; i < size; i++) upper[i] = (char)toupper((unsigned char)upper[i]);
  proxy_set_buffer_bytes(REQUEST_BODY, 0, size, upper, size);
  free(upper);
  return CONTINUE;
}

EXPORT(proxy_on_response_body) int on_response_body(int id, int body_size, int end_of_stream)
{
  (void)id;
  if (!end_of_stream) return DATA_STOP_ITERATION_AND_BUFFER;
  proxy_set_buffer_bytes(RESPONSE_BODY, 0, 0, "[", 1);
  proxy_set_buffer_bytes(RESPONSE_BODY, (size_t)body_size + 1, 0, "]", 1);
  return CONTINUE;
}
