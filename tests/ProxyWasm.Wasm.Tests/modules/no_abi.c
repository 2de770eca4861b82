/* Refused at load: no proxy_abi_version_* marker export. */
#include "proxy_wasm.h"

EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) { return malloc(size); }
EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }
