/* A WASI command whose main fails: _start exits through proc_exit(3), which start-up does not allow (and which must not
   return), so the VM fails before the first callback. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

int main(void) { return 3; }

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }
