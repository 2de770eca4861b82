using System;
using System.Linq;
using System.Runtime.InteropServices;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Pairs;

public class PairsWriterTests
{
    [Fact]
    public void SizeOf_IsEightPlusLengthsPlusTwoNuls()
    {
        Assert.Equal(10, PairsWriter.SizeOf(default, default));
        Assert.Equal(8 + 7 + 1 + 3 + 1, PairsWriter.SizeOf(":method"u8, "GET"u8));
        Assert.Equal(8 + 300 + 1 + 0 + 1, PairsWriter.SizeOf(new byte[300], default));
    }

    [Fact]
    public void Writes_TheRustSdkFixture_ByteForByte()
    {
        int size = (int)(4 + PairsWriter.SizeOf(":method"u8, "GET"u8) + PairsWriter.SizeOf(":path"u8, "/bytes/1"u8)
            + PairsWriter.SizeOf(":authority"u8, "httpbin.org"u8) + PairsWriter.SizeOf("Powered-By"u8, "proxy-wasm"u8));
        Assert.Equal(HeaderPairsParseTests.RustSdkSerializedMap.Length, size);

        Span<byte> destination = stackalloc byte[size];
        var writer = new PairsWriter(destination, 4);
        writer.Add(":method"u8, "GET"u8);
        writer.Add(":path"u8, "/bytes/1"u8);
        writer.Add(":authority"u8, "httpbin.org"u8);
        Assert.False(writer.IsComplete);
        writer.Add("Powered-By"u8, "proxy-wasm"u8);
        Assert.True(writer.IsComplete);

        Assert.Equal(HeaderPairsParseTests.RustSdkSerializedMap, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WrittenSpan_StopsAtTheData_InALargerDestination()
    {
        byte[] destination = Enumerable.Repeat((byte)0xEE, 100).ToArray();
        var writer = new PairsWriter(destination, 1);
        Assert.True(writer.TryAdd("a"u8, "1"u8));
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'1', 0 }, writer.WrittenSpan.ToArray());
        Assert.All(destination.Skip(16), b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void ZeroPairs_IsFourZeroBytes_AndCompleteAtOnce()
    {
        Span<byte> destination = stackalloc byte[4];
        destination.Fill(0xFF);
        var writer = new PairsWriter(destination, 0);
        Assert.True(writer.IsComplete);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, writer.WrittenSpan.ToArray());
        Assert.False(writer.TryAdd("a"u8, "b"u8));
    }

    [Fact]
    public void TryAdd_ReturnsFalseAndWritesNothing_WhenThePairDoesNotFit()
    {
        // Table for 2 pairs (20 bytes) + 6 data bytes: "a\0b\0" fits (4), "cc\0d\0" (5) then does not.
        byte[] destination = Enumerable.Repeat((byte)0xEE, 20 + 6).ToArray();
        var writer = new PairsWriter(destination, 2);
        Assert.True(writer.TryAdd("a"u8, "b"u8));
        byte[] before = destination.ToArray();

        Assert.False(writer.TryAdd("cc"u8, "d"u8));
        Assert.Equal(before, destination);
        Assert.False(writer.IsComplete);

        // Exactly the remaining 2 bytes still fit.
        Assert.True(writer.TryAdd(""u8, ""u8));
        Assert.True(writer.IsComplete);
        Assert.Equal(PairsError.None, HeaderPairs.TryParse(writer.WrittenSpan, out HeaderPairs pairs));
        Assert.Equal(2, pairs.Count);
        Assert.Equal(26, writer.WrittenSpan.Length);
    }

    [Fact]
    public void TryAdd_ReturnsFalse_BeyondTheAnnouncedCount()
    {
        byte[] destination = new byte[200];
        var writer = new PairsWriter(destination, 1);
        Assert.True(writer.TryAdd("a"u8, "b"u8));
        byte[] before = destination.ToArray();
        Assert.False(writer.TryAdd("c"u8, "d"u8));
        Assert.Equal(before, destination);
        Assert.Equal(16, writer.WrittenSpan.Length);

        bool threw = false;
        try
        {
            writer.Add("c"u8, "d"u8);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void Add_Throws_WhenThePairDoesNotFit()
    {
        byte[] destination = new byte[12 + 3];
        var writer = new PairsWriter(destination, 1);
        bool threw = false;
        try
        {
            writer.Add("a"u8, "b"u8);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
        Assert.False(writer.IsComplete);
    }

    [Fact]
    public void WrittenSpan_Throws_UntilAllAnnouncedPairsAreAdded()
    {
        byte[] destination = new byte[64];
        var writer = new PairsWriter(destination, 2);
        Assert.Contains("0 of 2", WrittenSpanError(writer));
        writer.Add("a"u8, "b"u8);
        Assert.Contains("1 of 2", WrittenSpanError(writer));
        writer.Add("c"u8, "d"u8);
        Assert.Null(WrittenSpanError(writer));
        Assert.Equal(28, writer.WrittenSpan.Length);
    }

    private static string? WrittenSpanError(PairsWriter writer)
    {
        try
        {
            _ = writer.WrittenSpan;
            return null;
        }
        catch (InvalidOperationException exception)
        {
            return exception.Message;
        }
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 11)]
    [InlineData(2, 19)]
    [InlineData(1024, 4 + (8 * 1024) - 1)]
    [InlineData(-1, 100)]
    [InlineData(int.MaxValue, 100)]
    public void Constructor_RejectsDestinationsTooSmallForTheTable(int count, int length)
    {
        byte[] destination = new byte[length];
        Assert.Throws<ArgumentException>(() => { _ = new PairsWriter(destination, count); });
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 12)]
    [InlineData(1024, 4 + (8 * 1024))]
    public void Constructor_AcceptsExactlyTheTable(int count, int length)
    {
        byte[] destination = new byte[length];
        var writer = new PairsWriter(destination, count);
        Assert.Equal(count == 0, writer.IsComplete);
        Assert.Equal(count, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(destination));
    }

    [Fact]
    public void MoreThan1024Pairs_CanBeWritten_ButDoNotParse()
    {
        // The writer does not enforce the host's limit; the parser (and SetAll) does.
        const int count = 1025;
        byte[] destination = new byte[4 + (count * 10)];
        var writer = new PairsWriter(destination, count);
        for (int i = 0; i < count; i++)
        {
            writer.Add(default, default);
        }

        Assert.Equal(PairsError.TooManyPairs, HeaderPairs.TryParse(writer.WrittenSpan, out _));
    }

    [Fact]
    public unsafe void TryAdd_HugePair_ReturnsFalseInsteadOfOverflowing()
    {
        // A 2 GiB - 1 name: untouched virtual memory, never committed. 12 + int.MaxValue + 2 overflows an int.
        byte* huge = (byte*)NativeMemory.Alloc((nuint)int.MaxValue);
        try
        {
            var name = new ReadOnlySpan<byte>(huge, int.MaxValue);
            byte[] destination = Enumerable.Repeat((byte)0xEE, 64).ToArray();
            var writer = new PairsWriter(destination, 1);
            byte[] before = destination.ToArray();

            bool added;
            try
            {
                added = writer.TryAdd(name, default);
            }
            catch (Exception exception)
            {
                throw new Xunit.Sdk.XunitException($"TryAdd threw {exception.GetType().Name} instead of returning false: {exception.Message}");
            }

            Assert.False(added);
            Assert.Equal(before, destination);
        }
        finally
        {
            NativeMemory.Free(huge);
        }
    }
}
