/* samples/AddHeader in C, for plain-text configuration: proxy_on_configure reads the plugin configuration with
   proxy_get_buffer_bytes (buffer type 7) and every response gets `hello: <configuration>`, or `hello: world!` when the
   configuration is empty. (The C# sample also accepts JSON; this module takes the configuration as it is.) */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

static char *value = NULL;
static size_t value_size = 0;

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_configure) int on_configure(int root, int configuration_size)
{
  (void)root;
  const char *data = NULL;
  size_t size = 0;
  free(value);
  value = NULL;
  value_size = 0;
  if (configuration_size > 0) {
    int status = proxy_get_buffer_bytes(PLUGIN_CONFIGURATION, 0, (size_t)configuration_size, &data, &size);
    if (status != OK) {
      LOGF(LOG_ERROR, "add-header: cannot read the plugin configuration: status %d", status);
      return 0;
    }
    value = (char *)data;
    value_size = size;
  }
  return 1;
}

EXPORT(proxy_on_response_headers) int on_response_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  if (value_size == 0) {
    proxy_add_header_map_value(RESPONSE_HEADERS, "hello", 5, "world!", 6);
  } else {
    proxy_add_header_map_value(RESPONSE_HEADERS, "hello", 5, value, value_size);
  }
  return CONTINUE;
}
