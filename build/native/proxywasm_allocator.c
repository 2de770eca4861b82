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
 * a host call returns against it. Blocks come from the same callback arena as HostMemory's own allocator: 64 KiB handed
 * out bottom up in 16-byte steps and taken back when the callback returns (a bump, where a malloc and free pair costs
 * 136 instructions per request in docs/benchmarks.md); a block that does not fit in what is left comes from malloc.
 * Sizes over 1 GiB (proxy-wasm-cpp-host's limit on a whole linear memory) and a failed
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

/* HostMemory.ArenaSize. */
#define ARENA_SIZE ((size_t)64 * 1024)
static _Alignas(16) unsigned char arena[ARENA_SIZE];
static size_t arena_top;

/* The record HostMemory uses in a module linked with this allocator (DllImport "proxywasm_native"). */
__attribute__((visibility("hidden"))) proxywasm_record *proxywasm_host_memory_record(void)
{
    return &record;
}

/* HostMemory.Exit, when a block from malloc is among those to release: every block since the mark, in the reverse of
   their order, a block of the arena by lowering its top (so the top ends at the earliest one), any other with free. */
__attribute__((noinline)) static void release_slow(int32_t mark)
{
    while (record.count > mark) {
        uintptr_t start = record.blocks[--record.count].start;
        size_t offset = start - (uintptr_t)arena;
        if (offset < ARENA_SIZE) {
            arena_top = offset;
        } else {
            free((void *)start);
        }
    }
}

/* HostMemory.Exit: frees every block allocated since the mark (a record count) was taken (nothing when there is none),
   without a GC transition: it only calls free. The usual case, only blocks of the arena, is a leaf: the top goes back
   to the first of them. */
__attribute__((visibility("hidden"))) void proxywasm_host_memory_release(int32_t mark)
{
    const proxywasm_block *blocks = record.blocks;
    const uintptr_t base = (uintptr_t)arena;
    int32_t i = record.count;
    if (i <= mark || mark < 0) {
        return;
    }
    do {
        if (blocks[--i].start - base >= ARENA_SIZE) {
            release_slow(mark);
            return;
        }
    } while (i > mark);
    arena_top = blocks[mark].start - base;
    record.count = mark;
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

/* proxy_on_memory_allocate when the fast path cannot serve: the record is full, the block does not fit in what is
   left of the arena, or the size is impossible. */
__attribute__((noinline)) static void *allocate_slow(size_t size, size_t rounded)
{
    if (size > ((size_t)1 << 30)) {
        return NULL;
    }
    /* room in the record first, so that a failure there cannot leak a block */
    if (record.count == record.capacity && !grow()) {
        return NULL;
    }
    void *block;
    if (rounded <= ARENA_SIZE - arena_top) {
        block = arena + arena_top;
        arena_top += rounded;
    } else {
        block = malloc(size == 0 ? 1 : size);
        if (block == NULL) {
            return NULL;
        }
    }
    record.blocks[record.count++] = (proxywasm_block){ (uintptr_t)block, size };
    return block;
}

/* proxy_on_memory_allocate(size) -> ptr: a block for data the host returns (16-byte aligned), owned by the module until
   the running callback returns; NULL when the size is over 1 GiB or memory is exhausted. Exported by the version script
   ProxyWasm.Native.targets extends. The usual case (room in the record and in the arena) is a leaf: a bump and a
   record entry. */
__attribute__((visibility("default"))) void *proxy_on_memory_allocate(size_t size)
{
    /* size is checked first, so that the rounding cannot wrap */
    size_t rounded = ((size == 0 ? 1 : size) + 15) & ~(size_t)15;
    if (size <= ARENA_SIZE && rounded <= ARENA_SIZE - arena_top && record.count < record.capacity) {
        void *block = arena + arena_top;
        arena_top += rounded;
        record.blocks[record.count++] = (proxywasm_block){ (uintptr_t)block, size };
        return block;
    }
    return allocate_slow(size, rounded);
}
