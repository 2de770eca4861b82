using System;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace ProxyWasm.Runtime.Tests;

/// <summary><c>new Utf8ValueBuilder()</c>: a builder over the runtime's scratch memory, owned by one builder at a time
/// until it is disposed or the running callback returns.</summary>
public unsafe class Utf8ValueBuilderScratchTests
{
    private static nint Address(in Utf8ValueBuilder builder) => (nint)Unsafe(builder.AsSpan());

    private static byte* Unsafe(ReadOnlySpan<byte> span)
    {
        fixed (byte* p = &MemoryMarshal.GetReference(span))
        {
            return p;
        }
    }

    [Fact]
    public void Builds_in_scratch_memory_and_gives_it_back_on_dispose()
    {
        var first = new Utf8ValueBuilder();
        first.Append("Hello world from "u8);
        first.Append("example.com"u8);
        Assert.Equal("Hello world from example.com"u8.ToArray(), first.AsSpan().ToArray());
        nint scratch = Address(first);
        first.Dispose();

        var again = new Utf8ValueBuilder();
        again.Append("x"u8);
        Assert.Equal(scratch, Address(again));
        again.Dispose();
    }

    [Fact]
    public void A_second_builder_while_the_first_owns_the_scratch_grows_elsewhere_and_both_stay_intact()
    {
        var outer = new Utf8ValueBuilder();
        outer.Append("outer"u8);
        var inner = new Utf8ValueBuilder();
        inner.Append("inner value"u8);
        outer.Append("+more"u8);

        Assert.NotEqual(Address(outer), Address(inner));
        Assert.Equal("outer+more"u8.ToArray(), outer.AsSpan().ToArray());
        Assert.Equal("inner value"u8.ToArray(), inner.AsSpan().ToArray());
        nint scratch = Address(outer);
        inner.Dispose();
        outer.Dispose();

        var next = new Utf8ValueBuilder();
        next.Append("n"u8);
        Assert.Equal(scratch, Address(next));
        next.Dispose();
    }

    [Fact]
    public void The_end_of_the_outermost_callback_takes_back_scratch_a_hook_did_not_dispose()
    {
        nint scratch;
        int mark = HostMemory.Enter();
        try
        {
            var forgotten = new Utf8ValueBuilder();
            forgotten.Append("not disposed"u8);
            scratch = Address(forgotten);

            // A nested scope ending does not take it back: the outer callback still runs.
            HostMemory.Exit(HostMemory.Enter());
            var nested = new Utf8ValueBuilder();
            nested.Append("n"u8);
            Assert.NotEqual(scratch, Address(nested));
            nested.Dispose();
        }
        finally
        {
            HostMemory.Exit(mark);
        }

        var next = new Utf8ValueBuilder();
        next.Append("n"u8);
        Assert.Equal(scratch, Address(next));
        next.Dispose();
    }

    [Fact]
    public void A_value_larger_than_the_scratch_memory_grows_into_a_rented_array()
    {
        byte[] chunk = Enumerable.Range(0, 1000).Select(i => (byte)('a' + (i % 26))).ToArray();
        var builder = new Utf8ValueBuilder();
        for (int i = 0; i < 5; i++)
        {
            builder.Append(chunk);
        }

        Assert.True(builder.Length > Utf8ValueBuilder.ScratchBytes);
        Assert.Equal(Enumerable.Repeat(chunk, 5).SelectMany(c => c).ToArray(), builder.AsSpan().ToArray());
        builder.Dispose();

        var next = new Utf8ValueBuilder();
        next.Append("n"u8);
        Assert.Equal(1, next.Length);
        next.Dispose();
    }

    [Fact]
    public void Default_builder_is_empty_and_grows()
    {
        Utf8ValueBuilder builder = default;
        builder.Append("abc"u8);
        Assert.Equal("abc"u8.ToArray(), builder.AsSpan().ToArray());
        builder.Dispose();
    }
}
