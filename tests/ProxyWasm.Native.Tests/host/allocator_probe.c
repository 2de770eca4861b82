/*
 * allocator_probe: drives the native allocator (build/native/proxywasm_allocator.c) of a published HelloWorld.so and
 * prints what it saw, one "<key> <value>" line each, for NativeAllocatorTests.
 *
 * Build:  gcc -std=c11 -O1 -Wall -Wextra -Werror -rdynamic -o allocator_probe allocator_probe.c -ldl
 * Run:    allocator_probe <HelloWorld.so> <arena size in bytes>
 *
 * It defines the six host functions HelloWorld.so imports (the :authority lookup answers "example.com" through the
 * module's allocator, as a host does) and counts the malloc and free calls made while it calls into the module
 * (wrapped around glibc's __libc_* entry points). Between two callbacks it allocates two small blocks and one larger
 * than the arena; the next callback owns them (HostMemory: the outermost scope's mark is 0) and takes them back when it
 * returns.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
static int counting;
static long mallocs, frees;
EXPORT void *malloc(size_t size) { mallocs += counting; return __libc_malloc(size); }
EXPORT void free(void *block) { frees += counting && block != NULL; __libc_free(block); }

typedef void *(*allocate_fn)(size_t);
typedef uint32_t (*headers_fn)(uint32_t, uint32_t, uint32_t);
static allocate_fn allocate;
static char x_hello[256];

EXPORT int32_t proxy_log(int32_t level, const char *message, size_t size) { (void)level; (void)message; (void)size; return 0; }
EXPORT int32_t proxy_get_log_level(int32_t *level) { *level = 2; return 0; }
EXPORT int32_t proxy_close_stream(int32_t type) { (void)type; return 0; }
EXPORT int32_t proxy_send_local_response(uint32_t status, const char *d, size_t ds, const char *b, size_t bs,
                                         const char *h, size_t hs, int32_t grpc)
{
    (void)status; (void)d; (void)ds; (void)b; (void)bs; (void)h; (void)hs; (void)grpc;
    return 0;
}
EXPORT int32_t proxy_get_header_map_value(int32_t map, const char *key, size_t key_size, char **value, size_t *value_size)
{
    (void)map;
    if (key_size != 10 || memcmp(key, ":authority", 10) != 0) {
        return 1; /* NotFound */
    }
    char *block = allocate(11);
    if (block == NULL) {
        return 10; /* InvalidMemoryAccess, as cpp-host answers a failed allocation */
    }
    memcpy(block, "example.com", 11);
    *value = block;
    *value_size = 11;
    return 0;
}
EXPORT int32_t proxy_replace_header_map_value(int32_t map, const char *key, size_t key_size, const char *value, size_t size)
{
    (void)map;
    if (key_size == 7 && memcmp(key, "x-hello", 7) == 0 && size < sizeof x_hello) {
        memcpy(x_hello, value, size);
        x_hello[size] = 0;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: allocator_probe <HelloWorld.so> <arena size>\n");
        return 2;
    }
    size_t arena = strtoul(argv[2], NULL, 10);
    void *module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (module == NULL) {
        fprintf(stderr, "allocator_probe: %s\n", dlerror());
        return 1;
    }
    allocate = (allocate_fn)dlsym(module, "proxy_on_memory_allocate");
    headers_fn request_headers = (headers_fn)dlsym(module, "proxy_on_request_headers");
    if (allocate == NULL || request_headers == NULL) {
        fprintf(stderr, "allocator_probe: the module lacks proxy_on_memory_allocate or proxy_on_request_headers\n");
        return 1;
    }

    request_headers(2, 10, 1); /* starts the runtime; its own allocations are not counted */
    counting = 1;
    uintptr_t a = (uintptr_t)allocate(10), b = (uintptr_t)allocate(16);
    long small_mallocs = mallocs;
    uintptr_t c = (uintptr_t)allocate(arena + 1);
    long large_mallocs = mallocs - small_mallocs;
    counting = 0;
    memset((void *)c, 0x5a, arena + 1);

    mallocs = frees = 0;
    counting = 1;
    request_headers(3, 10, 1);
    counting = 0;
    uintptr_t d = (uintptr_t)allocate(10);

    printf("small_mallocs %ld\n", small_mallocs);
    printf("large_mallocs %ld\n", large_mallocs);
    printf("aligned %d\n", a % 16 == 0 && b % 16 == 0);
    printf("step %ld\n", (long)(b - a));
    printf("large_in_arena %d\n", c - a < arena);
    printf("callback_mallocs %ld\n", mallocs);
    printf("callback_frees %ld\n", frees);
    printf("x-hello %s\n", x_hello);
    printf("reused %d\n", d == a);
    return 0;
}
