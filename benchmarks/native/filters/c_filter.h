/* Shared declarations of the hand-written C filters of the native benchmark (docs/benchmarks.md, "Native benchmark").
   Each filter exports only what its work needs: the ABI marker, the allocator and the callbacks it handles. Built with
   -DFULL_EXPORTS it also exports no-op proxy_on_context_create, _done, _log and _delete, as an SDK that exports every
   lifecycle callback does (the first comparison). Built with -DARENA_ALLOCATOR, its allocator is a bump arena
   (below). */
#ifndef C_FILTER_H
#define C_FILTER_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

/* env.proxy_* host functions (ABI v0.2.1; pointers and sizes pointer-sized, as in the native stand-in). */
int32_t proxy_log(int32_t level, const char *message, size_t size);
int32_t proxy_get_header_map_value(int32_t map, const char *key, size_t key_size, char **value, size_t *value_size);
int32_t proxy_replace_header_map_value(int32_t map, const char *key, size_t key_size, const char *value, size_t value_size);
int32_t proxy_add_header_map_value(int32_t map, const char *key, size_t key_size, const char *value, size_t value_size);
int32_t proxy_send_local_response(uint32_t status, const char *details, size_t details_size, const char *body,
                                  size_t body_size, const char *headers, size_t headers_size, int32_t grpc_status);
int32_t proxy_get_buffer_bytes(int32_t type, size_t start, size_t max_size, char **data, size_t *size);

EXPORT void proxy_abi_version_0_2_1(void) {}

#ifndef ARENA_ALLOCATOR
/* The allocator the host fills host-returned data into; the filter frees each block when it is done with it. */
EXPORT void *proxy_on_memory_allocate(size_t size) { return malloc(size); }
static inline void release_block(void *block) { free(block); }
#else
/* Built with -DARENA_ALLOCATOR: the allocation strategy of ProxyWasm's allocator (HostMemory, proxywasm_allocator.c)
   with none of its bookkeeping: a bump arena in 16-byte steps, taken back whole when the filter is done with its
   block. The stricter reference: what the same work costs in C when host data costs no malloc and free either. */
static _Alignas(16) unsigned char arena[64 * 1024];
static size_t arena_top;
EXPORT void *proxy_on_memory_allocate(size_t size)
{
    size_t rounded = ((size == 0 ? 1 : size) + 15) & ~(size_t)15;
    if (rounded > sizeof arena - arena_top) {
        return NULL;
    }
    void *block = arena + arena_top;
    arena_top += rounded;
    return block;
}
static inline void release_block(void *block) { (void)block; arena_top = 0; }
#endif

#ifdef FULL_EXPORTS
EXPORT void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id) { (void)context_id; (void)parent_context_id; }
EXPORT uint32_t proxy_on_done(uint32_t context_id) { (void)context_id; return 1; }
EXPORT void proxy_on_log(uint32_t context_id) { (void)context_id; }
EXPORT void proxy_on_delete(uint32_t context_id) { (void)context_id; }
#endif

#endif
