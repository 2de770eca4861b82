using System;
using System.Buffers;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Xunit;

namespace ProxyWasm.Runtime.Tests;

public class Utf8ValueBuilderTests
{
    [Fact]
    public void AppendsBytesCharsAndIntegers_InTheCallersBuffer()
    {
        Span<byte> initial = stackalloc byte[128];
        var builder = new Utf8ValueBuilder(initial);
        builder.Append("id="u8);
        builder.Append(42);
        builder.Append(";"u8);
        builder.Append("neg=".AsSpan());
        builder.Append(-7);
        builder.Append(" "u8);
        builder.Append(long.MinValue);
        builder.Append(" "u8);
        builder.Append(long.MaxValue);
        builder.Append(" "u8);
        builder.Append(0);

        const string expected = "id=42;neg=-7 -9223372036854775808 9223372036854775807 0";
        Assert.Equal(expected, Encoding.UTF8.GetString(builder.AsSpan()));
        Assert.Equal(expected.Length, builder.Length);

        // Still in the caller's buffer: no growth happened.
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(initial), ref MemoryMarshal.GetReference(builder.AsSpan())));
        builder.Dispose();
    }

    [Fact]
    public void NonAsciiChars_AreEncodedAsUtf8()
    {
        var builder = new Utf8ValueBuilder(stackalloc byte[64]);
        builder.Append("é€😀 ü".AsSpan());
        Assert.Equal(new byte[] { 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0x20, 0xC3, 0xBC }, builder.AsSpan().ToArray());
        builder.Dispose();
    }

    [Fact]
    public void LoneSurrogate_BecomesTheReplacementCharacter()
    {
        var builder = new Utf8ValueBuilder(stackalloc byte[16]);
        builder.Append("a\uD800b".AsSpan());
        Assert.Equal(new byte[] { (byte)'a', 0xEF, 0xBF, 0xBD, (byte)'b' }, builder.AsSpan().ToArray());
        builder.Dispose();
    }

    [Fact]
    public void GrowsIntoThePool_KeepingTheContent()
    {
        var builder = new Utf8ValueBuilder(stackalloc byte[8]);
        var expected = new StringBuilder();
        for (int i = 0; i < 500; i++)
        {
            // Mixed appends, each crossing the current capacity at some point.
            builder.Append("k"u8);
            builder.Append(i);
            builder.Append("=ä".AsSpan());
            expected.Append('k').Append(i).Append("=ä");
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(builder.AsSpan()));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected.ToString()), builder.Length);
        builder.Dispose();
    }

    [Fact]
    public void IntegerAtTheEndOfTheInitialBuffer_Grows()
    {
        var builder = new Utf8ValueBuilder(stackalloc byte[4]);
        builder.Append("ab"u8);
        builder.Append(123456789);
        Assert.Equal("ab123456789", Encoding.ASCII.GetString(builder.AsSpan()));
        builder.Dispose();
    }

    [Fact]
    public void BytesLargerThanTwiceTheBuffer_AreCopiedWhole()
    {
        byte[] big = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        var builder = new Utf8ValueBuilder(stackalloc byte[16]);
        builder.Append("<"u8);
        builder.Append(big);
        builder.Append(">"u8);
        Assert.Equal([(byte)'<', .. big, (byte)'>'], builder.AsSpan().ToArray());
        builder.Dispose();
    }

    [Fact]
    public void Dispose_ReturnsTheRentedArrayToThePool()
    {
        // Hold the pool's per-thread array of this size class, so the next Return lands in the empty slot and the
        // next Rent on this thread gets it back.
        const int size = 600_000;
        byte[] held = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var builder = new Utf8ValueBuilder(stackalloc byte[64]);
            builder.Append(new byte[size]);
            ref byte rentedStart = ref MemoryMarshal.GetReference(builder.AsSpan());
            builder.Dispose();

            Assert.Equal(0, builder.Length);
            Assert.True(builder.AsSpan().IsEmpty);

            byte[] again = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                Assert.True(Unsafe.AreSame(ref rentedStart, ref again[0]), "Dispose did not return the rented array to ArrayPool<byte>.Shared.");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(again);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    [Fact]
    public void DisposeTwice_ReturnsTheArrayOnce()
    {
        const int size = 300_000;
        var builder = new Utf8ValueBuilder(stackalloc byte[64]);
        builder.Append(new byte[size]);
        builder.Dispose();
        builder.Dispose();

        // Returned twice, the same array would come out of the pool twice.
        byte[] first = ArrayPool<byte>.Shared.Rent(size);
        byte[] second = ArrayPool<byte>.Shared.Rent(size);
        Assert.NotSame(first, second);
        ArrayPool<byte>.Shared.Return(first);
        ArrayPool<byte>.Shared.Return(second);
    }

    [Fact]
    public void Dispose_WithoutGrowth_LeavesAnEmptyBuilderThatStillWorks()
    {
        var builder = new Utf8ValueBuilder(stackalloc byte[16]);
        builder.Append("abc"u8);
        builder.Dispose();
        Assert.Equal(0, builder.Length);

        builder.Append("xyz"u8);
        builder.Append(5);
        Assert.Equal("xyz5", Encoding.ASCII.GetString(builder.AsSpan()));
        builder.Dispose();
    }
}
