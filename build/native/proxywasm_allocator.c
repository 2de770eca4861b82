/*
 * The module's allocator in native code: the proxy_on_memory_allocate export of a NativeAOT module (the linux-x64
 * stand-in for wasm; docs/glue.md, "The allocator"). ProxyWasm.Native.targets compiles this file with the C compiler
 * NativeAOT links with and links it into the module.
 *
 * Why native: a host call that returns data (proxy_get_header_map_value, proxy_get_buffer_bytes...) makes the host call
 * the module's allocator from inside the call. A managed allocator is a reverse P/Invoke (thread lookup, GC-mode switch)
 * in every such call, and it forces the call itself to keep its GC transition. In C, the allocator is a plain function,
 * no host call ever runs managed code, and every import can be [SuppressGCTransition] (HostMemory.NativeAllocator).
 *
 * The contract is HostMemory's (src/Runtime/Memory/HostMemory.cs), which reads and frees the same record: every block is
 * recorded with its size, so the runtime frees it when the running callback returns and checks every (pointer, size)
 * a host call returns against it. Sizes over 1 GiB (proxy-wasm-cpp-host's limit on a whole linear memory) and a failed
 * malloc give NULL, which makes the host fail its call. Like the module itself, it is not thread-safe: a host drives one
 * module instance from one thread at a time, as a wasm VM is.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* HostMemory.Block and HostMemory.Record (the same layout, in the same order). */
typedef struct { uintptr_t start; size_t size; } proxywasm_block;
typedef struct { proxywasm_block *blocks; int32_t count; int32_t capacity; } proxywasm_record;

static proxywasm_record record;

/* The record HostMemory uses in a module linked with this allocator (DllImport "proxywasm_native"). */
__attribute__((visibility("hidden"))) proxywasm_record *proxywasm_host_memory_record(void)
{
    return &record;
}

/* HostMemory.Exit: frees every block allocated since the mark (a record count) was taken. Called without a GC
   transition: it only calls free. */
__attribute__((visibility("hidden"))) void proxywasm_host_memory_release(int32_t mark)
{
    while (record.count > mark) {
        free((void *)record.blocks[--record.count].start);
    }
}

static int grow(void)
{
    int32_t capacity = record.capacity == 0 ? 16 : record.capacity * 2;
    if (capacity <= record.capacity) {
        return 0;
    }
    proxywasm_block *blocks = realloc(record.blocks, (size_t)capacity * sizeof(proxywasm_block));
    if (blocks == NULL) {
        return 0;
    }
    record.blocks = blocks;
    record.capacity = capacity;
    return 1;
}

/* proxy_on_memory_allocate(size) -> ptr: a block for data the host returns, owned by the module until the running
   callback returns. Exported by the version script ProxyWasm.Native.targets extends. */
__attribute__((visibility("default"))) void *proxy_on_memory_allocate(size_t size)
{
    if (size > ((size_t)1 << 30)) {
        return NULL;
    }
    /* room in the record first, so that a failure there cannot leak a block */
    if (record.count == record.capacity && !grow()) {
        return NULL;
    }
    void *block = malloc(size == 0 ? 1 : size);
    if (block == NULL) {
        return NULL;
    }
    record.blocks[record.count++] = (proxywasm_block){ (uintptr_t)block, size };
    return block;
}
