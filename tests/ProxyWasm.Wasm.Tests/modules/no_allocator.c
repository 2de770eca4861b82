/* Refused at load: no allocator (neither `malloc` nor proxy_on_memory_allocate is exported). */
#include "proxy_wasm.h"

EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}
EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }
