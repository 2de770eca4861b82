/* Properties: proxy_on_request_headers copies request.path, plugin_root_id and the test property custom.value into the
   request headers x-path, x-root-id and x-custom, and logs the status of a property nobody set. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

static void copy(const char *path, size_t path_size, const char *header)
{
  const char *value = NULL;
  size_t size = 0;
  int status = proxy_get_property(path, path_size, &value, &size);
  if (status == OK) {
    proxy_replace_header_map_value(REQUEST_HEADERS, header, strlen(header), value, size);
  } else {
    LOGF(LOG_WARN, "properties: %s: status %d", header, status);
  }
  free((void *)value);
}

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  static const char request_path[] = "request\0path", root_id[] = "plugin_root_id", custom[] = "custom\0value", missing[] = "no\0such\0property";
  copy(request_path, sizeof(request_path) - 1, "x-path");
  copy(root_id, sizeof(root_id) - 1, "x-root-id");
  copy(custom, sizeof(custom) - 1, "x-custom");
  const char *value = NULL;
  size_t size = 0;
  LOGF(LOG_INFO, "properties: missing=%d", proxy_get_property(missing, sizeof(missing) - 1, &value, &size));
  return CONTINUE;
}
