/* An HTTP callout: proxy_on_request_headers calls cluster auth_cluster (GET /auth, 1000 ms) and pauses the request;
   proxy_on_http_call_response (five arguments) reads the answer's body (buffer type 4), sets it on the paused request
   as x-auth through proxy_set_effective_context, and resumes it with proxy_continue_stream. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

enum { HTTP_CALL_RESPONSE_BODY = 4, STREAM_HTTP_REQUEST = 0 };

static uint32_t pending_token = 0, pending_stream = 0;

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)headers; (void)end_of_stream;
  static const char pairs[] = "\x03\0\0\0" "\x07\0\0\0\x03\0\0\0" "\x05\0\0\0\x05\0\0\0" "\x0a\0\0\0\x04\0\0\0"
                              ":method\0GET\0" ":path\0/auth\0" ":authority\0auth";
  uint32_t token = 0;
  int status = proxy_http_call("auth_cluster", 12, pairs, sizeof(pairs), NULL, 0, NULL, 0, 1000, &token);
  if (status != OK) {
    LOGF(LOG_ERROR, "callout: proxy_http_call failed: %d", status);
    return CONTINUE;
  }
  pending_token = token;
  pending_stream = (uint32_t)id;
  return STOP_ITERATION;
}

EXPORT(proxy_on_http_call_response) void on_http_call_response(int root, int token, int headers, int body_size, int trailers)
{
  (void)root; (void)headers; (void)trailers;
  if ((uint32_t)token != pending_token) {
    LOGF(LOG_ERROR, "callout: unknown token %d", token);
    return;
  }
  const char *body = NULL;
  size_t size = 0;
  proxy_get_buffer_bytes(HTTP_CALL_RESPONSE_BODY, 0, (size_t)body_size, &body, &size);
  proxy_set_effective_context(pending_stream);
  proxy_replace_header_map_value(REQUEST_HEADERS, "x-auth", 6, body, size);
  free((void *)body);
  proxy_continue_stream(STREAM_HTTP_REQUEST);
}
