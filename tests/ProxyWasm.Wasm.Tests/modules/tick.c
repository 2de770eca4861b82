/* A plugin with a timer: proxy_on_vm_start reads the VM configuration (buffer type 6) as the tick period in
   milliseconds and proxy_on_configure sets it with proxy_set_tick_period_milliseconds; each proxy_on_tick logs
   "tick N" and the current time from proxy_get_current_time_nanoseconds, in seconds. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

static unsigned period = 0, ticks = 0;

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

EXPORT(proxy_on_vm_start) int on_vm_start(int root, int configuration_size)
{
  (void)root;
  const char *data = NULL;
  size_t size = 0;
  if (configuration_size <= 0 || proxy_get_buffer_bytes(VM_CONFIGURATION, 0, (size_t)configuration_size, &data, &size) != OK) {
    LOG_LITERAL(LOG_ERROR, "tick: no VM configuration");
    return 0;
  }
  for (size_t i = 0; i < size && data[i] >= '0' && data[i] <= '9'; i++) period = period * 10 + (unsigned)(data[i] - '0');
  free((void *)data);
  return period != 0;
}

EXPORT(proxy_on_configure) int on_configure(int root, int configuration_size)
{
  (void)root; (void)configuration_size;
  return proxy_set_tick_period_milliseconds(period) == OK;
}

EXPORT(proxy_on_tick) void on_tick(int root)
{
  (void)root;
  uint64_t now = 0;
  proxy_get_current_time_nanoseconds(&now);
  LOGF(LOG_INFO, "tick %u at %llu s", ++ticks, (unsigned long long)(now / 1000000000u));
}
