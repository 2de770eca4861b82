/* Refused at load: proxy_on_request_headers takes (context_id, headers, end_of_stream); this one takes two. */
#include "proxy_wasm.h"

PROXY_WASM_MODULE

EXPORT(proxy_on_context_create) void on_context_create(int id, int parent) { (void)id; (void)parent; }
EXPORT(proxy_on_request_headers) int on_request_headers(int id, int headers) { (void)id; (void)headers; return CONTINUE; }
