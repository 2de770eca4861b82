/* Host calls from inside the allocator. cpp-host lets the allocator call only proxy_log, fd_write, clock_time_get and
   poll_oneoff; anything else traps (restricted_callback), which fails the VM, and the host call that was allocating
   fails. The allocator logs every allocation (allowed); after the request header x-restricted: 1 it also asks the
   time with proxy_get_current_time_nanoseconds (not allowed). */
#include "proxy_wasm.h"

static int restricted = 0;

EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}

EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size)
{
  LOGF(LOG_DEBUG, "allocator: %zu bytes", size);
  if (restricted) {
    uint64_t now = 0;
    proxy_get_current_time_nanoseconds(&now);
  }
  return malloc(size);
}

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers, int end_of_stream)
{
  (void)id; (void)headers; (void)end_of_stream;
  restricted = header_is(REQUEST_HEADERS, "x-restricted", "1");
  const char *value = NULL;
  size_t size = 0;
  int status = proxy_get_header_map_value(REQUEST_HEADERS, ":authority", 10, &value, &size);
  restricted = 0;
  LOGF(LOG_INFO, "after the allocation: status=%d", status);
  return CONTINUE;
}
