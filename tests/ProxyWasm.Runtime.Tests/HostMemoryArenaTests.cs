using System;
using Xunit;

namespace ProxyWasm.Runtime.Tests;

/// <summary>
/// The callback arena behind <see cref="HostMemory.Allocate"/>: blocks are handed out bottom up in 16-byte steps and
/// taken back when the scope that allocated them closes, so the host's blocks cost no <c>malloc</c> or <c>free</c>; a
/// block that does not fit comes from <c>NativeMemory</c> and is freed with the others.
/// </summary>
public unsafe class HostMemoryArenaTests
{
    private static bool InArena(byte* arena, byte* block) => (nuint)block - (nuint)arena < HostMemory.ArenaSize;

    /// <summary>The first block of an outermost scope: the bottom of the arena.</summary>
    private static byte* ArenaBottom()
    {
        int mark = HostMemory.Enter();
        byte* bottom = HostMemory.Allocate(1);
        HostMemory.Exit(mark);
        return bottom;
    }

    [Fact]
    public void Blocks_are_consecutive_16_byte_steps_and_the_next_callback_reuses_them()
    {
        byte* bottom = ArenaBottom();
        Assert.Equal(0u, (nuint)bottom % 16);

        int mark = HostMemory.Enter();
        byte* a = HostMemory.Allocate(10);
        byte* b = HostMemory.Allocate(16);
        byte* c = HostMemory.Allocate(0);
        byte* d = HostMemory.Allocate(17);
        byte* e = HostMemory.Allocate(1);
        HostMemory.Exit(mark);

        Assert.True(a == bottom, "the first block of a callback is the bottom of the arena");
        Assert.Equal(16, (int)(b - a));
        Assert.Equal(16, (int)(c - b));
        Assert.Equal(16, (int)(d - c)); // an empty block still takes a step of its own
        Assert.Equal(32, (int)(e - d));
        Assert.Equal(0, HostMemory.LiveBlocks);

        // The callback returned, so its blocks were taken back: the next callback starts at the bottom again.
        Assert.True(ArenaBottom() == bottom);
    }

    [Fact]
    public void A_block_larger_than_the_arena_comes_from_native_memory_and_is_freed_with_the_others()
    {
        byte* bottom = ArenaBottom();
        int mark = HostMemory.Enter();
        byte* small = HostMemory.Allocate(8);
        byte* large = HostMemory.Allocate(HostMemory.ArenaSize + 1);
        byte* after = HostMemory.Allocate(8);
        Assert.True(small == bottom);
        Assert.False(InArena(bottom, large));
        new Span<byte>(large, HostMemory.ArenaSize + 1).Fill(0x7E); // writable, all of it
        Assert.True(HostMemory.Contains(large, HostMemory.ArenaSize + 1));
        Assert.True(after == small + 16, "the large block took nothing from the arena");
        Assert.Equal(3, HostMemory.LiveBlocks);
        HostMemory.Exit(mark);

        Assert.Equal(0, HostMemory.LiveBlocks);
        Assert.True(ArenaBottom() == bottom);
    }

    [Fact]
    public void When_the_arena_is_full_the_rest_come_from_native_memory_until_the_callback_returns()
    {
        byte* bottom = ArenaBottom();
        int blocks = HostMemory.ArenaSize / 1024 + 8;
        int inArena = 0;
        int mark = HostMemory.Enter();
        try
        {
            for (int i = 0; i < blocks; i++)
            {
                byte* block = HostMemory.Allocate(1000); // 1,008 bytes of arena each: 65 fit
                Assert.True(block != null);
                new Span<byte>(block, 1000).Fill((byte)i);
                inArena += InArena(bottom, block) ? 1 : 0;
            }

            Assert.Equal(HostMemory.ArenaSize / 1008, inArena);
            Assert.Equal(blocks, HostMemory.LiveBlocks);
        }
        finally
        {
            HostMemory.Exit(mark);
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
        Assert.True(ArenaBottom() == bottom);
    }

    [Fact]
    public void An_inner_scope_takes_back_only_its_own_blocks()
    {
        int outer = HostMemory.Enter();
        try
        {
            byte* kept = HostMemory.Allocate(24);
            new Span<byte>(kept, 24).Fill(0x11);

            int inner = HostMemory.Enter();
            byte* first = HostMemory.Allocate(100);
            HostMemory.Allocate(HostMemory.ArenaSize); // from native memory, between two arena blocks
            HostMemory.Allocate(5);
            new Span<byte>(first, 100).Fill(0x22);
            HostMemory.Exit(inner);

            // The arena's top is back where the inner scope began: above the outer scope's live block.
            byte* next = HostMemory.Allocate(8);
            Assert.True(next == first);
            Assert.True(next >= kept + 32);
            Assert.True(new ReadOnlySpan<byte>(kept, 24).IndexOfAnyExcept((byte)0x11) < 0);
            Assert.Equal(2, HostMemory.LiveBlocks);
        }
        finally
        {
            HostMemory.Exit(outer);
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void Containment_is_per_block_not_per_arena()
    {
        int mark = HostMemory.Enter();
        try
        {
            byte* a = HostMemory.Allocate(10);
            byte* b = HostMemory.Allocate(10);
            Assert.True(HostMemory.Contains(a, 10));
            Assert.True(HostMemory.Contains(a + 4, 6));
            Assert.True(HostMemory.Contains(b, 10));

            // The arena has memory past each block (its padding, the next block, the free part above the top), but a
            // host that reports more than it was given room for is still refused.
            Assert.False(HostMemory.Contains(a, 11));
            Assert.False(HostMemory.Contains(a, 20));
            Assert.False(HostMemory.Contains(b + 10, 1));
            Assert.False(HostMemory.Contains(b + 16, 1));
        }
        finally
        {
            HostMemory.Exit(mark);
        }

        byte* gone = ArenaBottom();
        Assert.False(HostMemory.Contains(gone, 1), "a block of a callback that returned is no longer the module's to read");
    }
}
