using System;
using Xunit;

namespace ProxyWasm.Runtime.Tests;

public unsafe class HostMemoryTests
{
    [Fact]
    public void Allocate_RecordsEachBlock_AndExitFreesThem()
    {
        Assert.Equal(0, HostMemory.LiveBlocks);
        int mark = HostMemory.Enter();
        try
        {
            Assert.Equal(0, mark);
            byte* a = HostMemory.Allocate(16);
            byte* b = HostMemory.Allocate(0);
            Assert.True(a != null);
            Assert.True(b != null);
            Assert.True(a != b);
            new Span<byte>(a, 16).Fill(0x5A);
            Assert.Equal(2, HostMemory.LiveBlocks);
        }
        finally
        {
            HostMemory.Exit(mark);
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void NestedScopes_FreeOnlyTheBlocksSinceTheirMark()
    {
        int outer = HostMemory.Enter();
        try
        {
            byte* kept = HostMemory.Allocate(8);
            new Span<byte>(kept, 8).Fill(0x11);
            Assert.Equal(1, HostMemory.LiveBlocks);

            int inner = HostMemory.Enter();
            Assert.Equal(1, inner);
            try
            {
                HostMemory.Allocate(32);
                HostMemory.Allocate(64);
                Assert.Equal(3, HostMemory.LiveBlocks);

                int innermost = HostMemory.Enter();
                Assert.Equal(3, innermost);
                HostMemory.Allocate(1);
                Assert.Equal(4, HostMemory.LiveBlocks);
                HostMemory.Exit(innermost);
                Assert.Equal(3, HostMemory.LiveBlocks);
            }
            finally
            {
                HostMemory.Exit(inner);
            }

            Assert.Equal(1, HostMemory.LiveBlocks);
            Assert.True(new ReadOnlySpan<byte>(kept, 8).IndexOfAnyExcept((byte)0x11) < 0);
        }
        finally
        {
            HostMemory.Exit(outer);
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void OutermostScope_FreesBlocksAllocatedOutsideAnyScope()
    {
        // A host may call the allocator between callbacks; the next callback's scope owns those blocks.
        HostMemory.Allocate(10);
        HostMemory.Allocate(20);
        Assert.Equal(2, HostMemory.LiveBlocks);

        int mark = HostMemory.Enter();
        Assert.Equal(0, mark);
        HostMemory.Allocate(5);
        Assert.Equal(3, HostMemory.LiveBlocks);
        HostMemory.Exit(mark);

        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void ManyBlocks_GrowTheRecord_AndAreAllFreed()
    {
        int mark = HostMemory.Enter();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                byte* block = HostMemory.Allocate((nuint)(i + 1));
                block[i] = (byte)i;
            }

            Assert.Equal(200, HostMemory.LiveBlocks);
        }
        finally
        {
            HostMemory.Exit(mark);
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void AllocateForHost_ReturnsARecordedWritableAddress()
    {
        int mark = HostMemory.Enter();
        try
        {
            nint address = HostMemory.AllocateForHost(24);
            nint other = HostMemory.AllocateForHost(0);
            Assert.NotEqual(0, address);
            Assert.NotEqual(0, other);
            Assert.NotEqual(address, other);
            Assert.Equal(2, HostMemory.LiveBlocks);

            var block = new Span<byte>((void*)address, 24);
            "twenty-four bytes here!!"u8.CopyTo(block);
            Assert.True(block.SequenceEqual("twenty-four bytes here!!"u8));

            // The same kind of block as Allocate: one record, freed by the same scope.
            byte* direct = HostMemory.Allocate(24);
            Assert.True(direct != null);
            Assert.Equal(3, HostMemory.LiveBlocks);
        }
        finally
        {
            HostMemory.Exit(mark);
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void Allocate_ReturnsNullWhenMemoryIsExhausted()
    {
        // Documented: "The block, or null (0) when memory is exhausted: the host then fails its call."
        int mark = HostMemory.Enter();
        try
        {
            byte* block;
            try
            {
                block = HostMemory.Allocate(nuint.MaxValue);
            }
            catch (OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException("HostMemory.Allocate(nuint.MaxValue) threw OutOfMemoryException instead of returning null.");
            }

            Assert.True(block == null);
            Assert.Equal(0, HostMemory.LiveBlocks);
            Assert.Equal(0, HostMemory.AllocateForHost(nuint.MaxValue));
        }
        finally
        {
            HostMemory.Exit(mark);
        }
    }
}
