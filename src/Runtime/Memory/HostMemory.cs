using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProxyWasm;

/// <summary>
/// Module memory handed to the host: the allocator behind the <c>proxy_on_memory_allocate</c> export, and the
/// per-callback ownership of what the host allocates.
/// </summary>
/// <remarks>
/// <para>When a host call returns data (<c>proxy_get_header_map_value</c>, <c>proxy_get_buffer_bytes</c>…), the host
/// calls the module's allocator and copies the data into the block; the module owns it (ABI "Memory ownership").
/// Every block allocated here is recorded with its size, and the generated export that was running when it was
/// allocated frees it when it returns. So a <see cref="ReadOnlySpan{T}"/> view over host data is valid until the
/// current callback returns, nothing leaks per request, and the views never need disposing.</para>
/// <para>The record also lets the runtime check every (pointer, size) pair a host call returns against the block the
/// module allocated for it in this callback (<see cref="Contains"/>): a host that reports more bytes than it was given
/// room for, or a pointer the module never handed out, gets its result refused with an error log line instead of an
/// over-read.</para>
/// <para>Blocks come from the callback arena: <see cref="ArenaSize"/> bytes of native memory, made once, handed out
/// from the bottom up in 16-byte steps and taken back whole when the callback that allocated them returns (a block is
/// never used after that, so no block is ever freed on its own). That is a bump and a record entry per block and, on
/// release, a walk of the record with no call, where a <c>malloc</c> and <c>free</c> pair (glibc's in the native
/// stand-in, wasi-libc's dlmalloc under NativeAOT-LLVM) costs 136 instructions per request in docs/benchmarks.md. A block that does not fit in what is left of the arena comes from <see cref="NativeMemory"/> and is freed with
/// the others. In a module linked with the native allocator (<see cref="NativeAllocator"/>: the linux-x64 stand-in),
/// that allocator has the same arena and fills the same record. The record is a growable array in native memory, so
/// steady state allocates nothing on the GC heap. Sizes over <see cref="MaxBlockSize"/> are refused up front, without
/// throwing.</para>
/// </remarks>
public static unsafe class HostMemory
{
    /// <summary>The largest block, in bytes, the allocator hands out: 1 GiB, proxy-wasm-cpp-host's limit on a module's
    /// whole linear memory (<c>include/proxy-wasm/limits.h</c>). Larger requests get 0 without an exception.</summary>
    public const nuint MaxBlockSize = 1u << 30;

    /// <summary>The size in bytes of the callback arena the allocator serves blocks from (64 KiB, one wasm page; the
    /// same in build/native/proxywasm_allocator.c). Every block takes its size rounded up to 16 bytes (16 for an empty
    /// one); a block that does not fit in what is left comes from <see cref="NativeMemory"/>.</summary>
    public const int ArenaSize = 64 * 1024;

    private static Record* s_record;
    private static byte* s_arena;
    private static nuint s_arenaTop;
    private static int s_depth;
    private static uint s_callback;

    /// <summary>Number of host-owned blocks not yet freed. 0 whenever no callback is running.</summary>
    public static int LiveBlocks => Blocks->Count;

    /// <summary>
    /// Allocates <paramref name="size"/> bytes for the host (the body of the <c>proxy_on_memory_allocate</c> export).
    /// The block is freed when the outermost running callback returns.
    /// </summary>
    /// <returns>The block, or <see langword="null"/> (0) when <paramref name="size"/> is over
    /// <see cref="MaxBlockSize"/> or memory is exhausted: the host then fails its call. Never throws.</returns>
    public static byte* Allocate(nuint size)
    {
        if (NativeAllocator.IsEnabled)
        {
            // One allocator per module: its blocks, its arena and its release (a block from here would not be its own).
            return NativeAllocator.Allocate(size);
        }

        if (size > MaxBlockSize)
        {
            // An impossible size (a buggy or hostile host): refuse it before the allocator can throw.
            return null;
        }

        // Make room in the record first, so that a failure there cannot leak a block. The record comes with the arena.
        Record* record = Blocks;
        if (record->Count == record->Capacity && !Grow(record))
        {
            return null;
        }

        void* block;
        nuint rounded = ((size == 0 ? 1 : size) + 15) & ~(nuint)15;
        if (rounded <= ArenaSize - s_arenaTop)
        {
            block = s_arena + s_arenaTop;
            s_arenaTop += rounded;
        }
        else
        {
            try
            {
                block = NativeMemory.Alloc(size == 0 ? 1 : size);
            }
            catch (OutOfMemoryException)
            {
                // Never let an exception escape the allocator export: the host sees 0 and fails its own call.
                return null;
            }
        }

        record->Items[record->Count++] = new Block((nuint)block, size);
        return (byte*)block;
    }

    /// <summary>
    /// <see cref="Allocate"/> for the generated <c>proxy_on_memory_allocate</c> export, which returns the address as an
    /// integer so that filter projects need no unsafe code.
    /// </summary>
    public static nint AllocateForHost(nuint size) => (nint)Allocate(size);

    /// <summary>
    /// Whether [<paramref name="data"/>, <paramref name="data"/> + <paramref name="size"/>) lies inside one block the
    /// module allocated for the host since the outermost running callback began. The last block is checked first (a
    /// host call's result is almost always the block it just allocated), so the usual cost is one comparison.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Contains(byte* data, nuint size)
    {
        // The last block inline (the usual answer); the earlier ones out of line.
        Record* record = Blocks;
        int last = record->Count - 1;
        return last >= 0 && (record->Items[last].Holds(data, size) || ContainsBefore(record, last, data, size));
    }

    private static bool ContainsBefore(Record* record, int end, byte* data, nuint size)
    {
        for (int i = end - 1; i >= 0; i--)
        {
            if (record->Items[i].Holds(data, size))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Opens a callback scope (called by every generated export on entry). Returns the mark to pass to
    /// <see cref="Exit"/>. The outermost scope's mark is 0, so blocks a host allocated between callbacks are freed too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Enter()
    {
        if (s_depth++ == 0)
        {
            // A new outermost callback: no local response has been refused in it yet.
            LocalResponse.Refused = false;
            s_callback++;
            return 0;
        }

        return Blocks->Count;
    }

    /// <summary>A number for the running host callback (the outermost scope), different for each callback; 0 outside
    /// callbacks. Lets the runtime keep what the host answered for the length of one callback (<see cref="Log"/>'s level).</summary>
    internal static uint CurrentCallback => s_depth == 0 ? 0 : s_callback;

    /// <summary>Frees every block allocated since <paramref name="mark"/> and closes the scope (called by every
    /// generated export on exit, in a <see langword="finally"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(int mark)
    {
        // Inlined into every export; the frees (most callbacks have none) are out of line.
        if (Blocks->Count > mark)
        {
            Free(mark);
        }

        if (--s_depth == 0)
        {
            Utf8ValueBuilder.ReleaseScratch();
        }
    }

    private static void Free(int mark)
    {
        if (NativeAllocator.IsEnabled)
        {
            // One call without GC transition instead of NativeMemory.Free's transition per block.
            NativeAllocator.Release(mark);
            return;
        }

        Record* record = Blocks;
        while (record->Count > mark)
        {
            nuint start = record->Items[--record->Count].Start;
            nuint offset = start - (nuint)s_arena;
            if (offset < ArenaSize)
            {
                // Blocks go in the order they came, so the arena's top ends at the earliest one released.
                s_arenaTop = offset;
            }
            else
            {
                NativeMemory.Free((void*)start);
            }
        }
    }

    /// <summary>The record of live blocks: in a module linked with the native allocator, the one that allocator fills
    /// (build/native/proxywasm_allocator.c); otherwise this runtime's own, made on first use with its arena.</summary>
    private static Record* Blocks
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_record != null ? s_record : CreateRecord();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Record* CreateRecord()
    {
        if (NativeAllocator.IsEnabled)
        {
            return s_record = NativeAllocator.Record();
        }

        // This runtime's own allocator: the record and the arena it serves blocks from, made together once.
        s_arena = (byte*)NativeMemory.AlignedAlloc(ArenaSize, 16);
        return s_record = (Record*)NativeMemory.AllocZeroed((nuint)sizeof(Record));
    }

    private static bool Grow(Record* record)
    {
        int capacity = record->Capacity == 0 ? 16 : record->Capacity * 2;
        try
        {
            record->Items = (Block*)NativeMemory.Realloc(record->Items, (nuint)capacity * (nuint)sizeof(Block));
            record->Capacity = capacity;
            return true;
        }
        catch (OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>The record of live blocks, in native memory so that the native allocator and the runtime share it:
    /// the same layout as <c>proxywasm_record</c> in build/native/proxywasm_allocator.c.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Record
    {
        public Block* Items;
        public int Count;
        public int Capacity;
    }

    /// <summary>One block the module allocated for the host: its address and size in bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly record struct Block(nuint Start, nuint Size)
    {
        /// <summary>Whether [<paramref name="data"/>, <paramref name="data"/> + <paramref name="size"/>) lies inside the block.</summary>
        public bool Holds(byte* data, nuint size)
        {
            nuint offset = (nuint)data - Start;
            return (nuint)data >= Start && offset <= Size && size <= Size - offset;
        }
    }
}
