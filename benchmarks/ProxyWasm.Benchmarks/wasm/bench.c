/* Cost probes for the Wasmtime host (WasmHostBenchmarks): an empty callback, and loops of host calls made from inside
   the module, so one benchmark invocation times many crossings. */
#include "../../../tests/ProxyWasm.Wasm.Tests/modules/proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }

/* n calls of proxy_get_log_level: the host-call crossing (wasm -> .NET -> IProxyHost -> back), nothing allocated. */
EXPORT(bench_log_level) int bench_log_level(int n)
{
  int level = 0, sum = 0;
  for (int i = 0; i < n; i++) {
    proxy_get_log_level(&level);
    sum += level;
  }
  return sum;
}

/* n reads of the plugin configuration: each host call allocates the returned block through the module's allocator
   (a call back into the module) and the module frees it. */
EXPORT(bench_read_configuration) int bench_read_configuration(int n)
{
  int sum = 0;
  for (int i = 0; i < n; i++) {
    const char *data = NULL;
    size_t size = 0;
    if (proxy_get_buffer_bytes(7, 0, 1024, &data, &size) == OK) {
      sum += (int)size;
      free((void *)data);
    }
  }
  return sum;
}
