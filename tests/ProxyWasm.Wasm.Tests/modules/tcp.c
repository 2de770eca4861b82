/* A network (TCP) filter: each downstream chunk is read with proxy_get_buffer_bytes and written back upper-cased with
   proxy_set_buffer_bytes; each upstream chunk gets "> " prepended (set_buffer_bytes at 0 with size 0); the
   connection's events are logged. A downstream chunk that starts with "trap" executes `unreachable`. */
#include <ctype.h>
#include "proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_new_connection) int on_new_connection(int id)
{
  LOGF(LOG_INFO, "tcp: new connection %d", id);
  return CONTINUE;
}

EXPORT(proxy_on_downstream_data) int on_downstream_data(int id, int size, int end_of_stream)
{
  (void)id; (void)end_of_stream;
  const char *data = NULL;
  size_t got = 0;
  int status = proxy_get_buffer_bytes(DOWNSTREAM_DATA, 0, (size_t)size, &data, &got);
  if (status != OK) {
    LOGF(LOG_ERROR, "tcp: downstream data: status %d", status);
    return CONTINUE;
  }
  if (got >= 4 && memcmp(data, "trap", 4) == 0) __builtin_trap();
  char *upper = (char *)data;
  for (size_t i = 0; i < got; i++) upper[i] = (char)toupper((unsigned char)upper[i]);
  proxy_set_buffer_bytes(DOWNSTREAM_DATA, 0, got, upper, got);
  LOGF(LOG_INFO, "tcp: downstream %zu bytes", got);
  free(upper);
  return CONTINUE;
}

EXPORT(proxy_on_upstream_data) int on_upstream_data(int id, int size, int end_of_stream)
{
  (void)id; (void)end_of_stream;
  proxy_set_buffer_bytes(UPSTREAM_DATA, 0, 0, "> ", 2);
  LOGF(LOG_INFO, "tcp: upstream %d bytes", size);
  return CONTINUE;
}

EXPORT(proxy_on_downstream_connection_close) void on_downstream_close(int id, int peer)
{
  LOGF(LOG_INFO, "tcp: downstream closed %d by peer type %d", id, peer);
}
