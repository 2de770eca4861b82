using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Pairs;

/// <summary>Example-based tests of <see cref="HeaderPairs.TryParse"/> and the enumerator, on hand-built buffers.</summary>
public class HeaderPairsParseTests
{
    /// <summary>proxy-wasm-rust-sdk <c>src/hostcalls.rs</c> test fixture <c>SERIALIZED_MAP</c>, byte for byte.</summary>
    internal static readonly byte[] RustSdkSerializedMap =
    [
        // number of pairs
        4, 0, 0, 0,
        // len (":method", "GET")
        7, 0, 0, 0, 3, 0, 0, 0,
        // len (":path", "/bytes/1")
        5, 0, 0, 0, 8, 0, 0, 0,
        // len (":authority", "httpbin.org")
        10, 0, 0, 0, 11, 0, 0, 0,
        // len ("Powered-By", "proxy-wasm")
        10, 0, 0, 0, 10, 0, 0, 0,
        // ":method"
        58, 109, 101, 116, 104, 111, 100, 0,
        // "GET"
        71, 69, 84, 0,
        // ":path"
        58, 112, 97, 116, 104, 0,
        // "/bytes/1"
        47, 98, 121, 116, 101, 115, 47, 49, 0,
        // ":authority"
        58, 97, 117, 116, 104, 111, 114, 105, 116, 121, 0,
        // "httpbin.org"
        104, 116, 116, 112, 98, 105, 110, 46, 111, 114, 103, 0,
        // "Powered-By"
        80, 111, 119, 101, 114, 101, 100, 45, 66, 121, 0,
        // "proxy-wasm"
        112, 114, 111, 120, 121, 45, 119, 97, 115, 109, 0,
    ];

    private static List<(string Name, string Value)> Ascii(HeaderPairs pairs)
    {
        var list = new List<(string, string)>();
        foreach (HeaderPair pair in pairs)
        {
            list.Add((System.Text.Encoding.Latin1.GetString(pair.Name), System.Text.Encoding.Latin1.GetString(pair.Value)));
        }

        return list;
    }

    [Fact]
    public void RustSdkFixture_ParsesToFourPairsInOrder()
    {
        Assert.Equal(108, RustSdkSerializedMap.Length);
        Assert.Equal(PairsError.None, HeaderPairs.TryParse(RustSdkSerializedMap, out HeaderPairs pairs));
        Assert.Equal(4, pairs.Count);
        Assert.Equal(
            new List<(string, string)> { (":method", "GET"), (":path", "/bytes/1"), (":authority", "httpbin.org"), ("Powered-By", "proxy-wasm") },
            Ascii(pairs));
        Assert.True(pairs.Serialized.SequenceEqual(RustSdkSerializedMap));
    }

    [Fact]
    public void RustSdkFixture_ViewsPointIntoTheBuffer()
    {
        ReadOnlySpan<byte> buffer = RustSdkSerializedMap;
        Assert.Equal(PairsError.None, HeaderPairs.TryParse(buffer, out HeaderPairs pairs));
        var offsets = new List<(int Name, int Value)>();
        foreach (HeaderPair pair in pairs)
        {
            Assert.True(buffer.Overlaps(pair.Name, out int nameOffset));
            Assert.True(buffer.Overlaps(pair.Value, out int valueOffset));
            offsets.Add((nameOffset, valueOffset));
        }

        // Data starts after 4 + 4 × 8 bytes; each name and value is followed by its NUL.
        Assert.Equal(new List<(int, int)> { (36, 44), (48, 54), (63, 74), (86, 97) }, offsets);
    }

    [Fact]
    public void SpecExample_CorrectedBytes_Parse()
    {
        // spec v0.2.1 §Serialization: {{"a": "1"}, {"b": "22"}}, with '1' = 0x31 and '2' = 0x32 (the spec prints
        // 0x49/0x50, the decimal codes) and each integer as a little-endian u32.
        byte[] corrected =
        [
            0x02, 0x00, 0x00, 0x00,
            0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
            0x61, 0x00, 0x31, 0x00, 0x62, 0x00, 0x32, 0x32, 0x00,
        ];

        Assert.Equal(PairsError.None, HeaderPairs.TryParse(corrected, out HeaderPairs pairs));
        Assert.Equal(new List<(string, string)> { ("a", "1"), ("b", "22") }, Ascii(pairs));
    }

    [Fact]
    public void SpecExample_AsLiterallyPrinted_IsRejected()
    {
        // The spec lists the integers as single bytes; read as the u32 format, the count is 0x01010102.
        byte[] literal = [0x02, 0x01, 0x01, 0x01, 0x02, 0x61, 0x00, 0x49, 0x00, 0x62, 0x00, 0x50, 0x50, 0x00];
        Assert.Equal(PairsError.TooManyPairs, HeaderPairs.TryParse(literal, out HeaderPairs pairs));
        Assert.Equal(0, pairs.Count);
    }

    public static TheoryData<byte[]> EmptyEncodings => new()
    {
        Array.Empty<byte>(),
        new byte[] { 0 },
        new byte[] { 0, 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(EmptyEncodings))]
    public void EmptyEncodings_AreTheEmptyMap(byte[] buffer)
    {
        Assert.Equal(PairsError.None, HeaderPairs.TryParse(buffer, out HeaderPairs pairs));
        Assert.Equal(0, pairs.Count);
        int seen = 0;
        foreach (HeaderPair pair in pairs)
        {
            seen++;
        }

        Assert.Equal(0, seen);
        Assert.False(pairs.TryGetValue(""u8, out ReadOnlySpan<byte> value));
        Assert.True(value.IsEmpty);
    }

    public static TheoryData<string, byte[], PairsError> Malformed => new()
    {
        // Shorter than the u32 count.
        { "count: 1 byte, not 0", new byte[] { 1 }, PairsError.Truncated },
        { "count: 2 bytes", new byte[] { 1, 0 }, PairsError.Truncated },
        { "count: 3 zero bytes", new byte[] { 0, 0, 0 }, PairsError.Truncated },
        // The length table does not fit.
        { "table: count 1, no lengths", new byte[] { 1, 0, 0, 0 }, PairsError.Truncated },
        { "table: count 1, half a length pair", new byte[] { 1, 0, 0, 0, 1, 0, 0, 0 }, PairsError.Truncated },
        { "table: count 2, one length pair and data", new byte[] { 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', 0 }, PairsError.Truncated },
        // A length points past the end.
        { "name length past the end", new byte[] { 1, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, (byte)'a', 0, 0 }, PairsError.LengthMismatch },
        { "value length past the end", new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, (byte)'a', 0, (byte)'b', 0 }, PairsError.LengthMismatch },
        { "final NUL missing (buffer ends)", new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b' }, PairsError.LengthMismatch },
        // NUL terminators.
        { "no NUL after the name", new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', (byte)'x', (byte)'b', 0 }, PairsError.MissingNul },
        { "no NUL after the value", new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', (byte)'x' }, PairsError.MissingNul },
        { "no NUL after the 2nd value", new byte[] { 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, 0, 0, (byte)'v', 7 }, PairsError.MissingNul },
        // Bytes left over.
        { "one trailing byte", new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', 0, 0 }, PairsError.LengthMismatch },
        { "count 0 with trailing bytes", new byte[] { 0, 0, 0, 0, 0 }, PairsError.LengthMismatch },
        // Count limit, checked before the table size.
        { "count 1025", new byte[] { 0x01, 0x04, 0, 0 }, PairsError.TooManyPairs },
        { "count uint.MaxValue", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, PairsError.TooManyPairs },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedBuffers_AreRejectedWithTheirReason(string description, byte[] buffer, PairsError expected)
    {
        Assert.False(string.IsNullOrEmpty(description));
        Assert.Equal(expected, HeaderPairs.TryParse(buffer, out HeaderPairs pairs));
        Assert.Equal(0, pairs.Count);
        Assert.True(pairs.Serialized.IsEmpty);
        Assert.Equal(expected, PairsModel.Validate(buffer, out _));
    }

    [Fact]
    public void Exactly1024Pairs_AreAccepted_1025AreNot()
    {
        var pairs = Enumerable.Range(0, 1024).Select(i => (BitConverter.GetBytes(i + 1).Where(b => b != 0).ToArray(), Array.Empty<byte>())).ToList();
        byte[] max = PairsModel.Encode(pairs);
        Assert.Equal(PairsError.None, HeaderPairs.TryParse(max, out HeaderPairs view));
        Assert.Equal(1024, view.Count);
        Assert.True(PairsModel.SameBytes(pairs, PairsModel.ToList(view)));

        pairs.Add(([(byte)'z'], []));
        byte[] over = PairsModel.Encode(pairs);
        Assert.Equal(PairsError.TooManyPairs, HeaderPairs.TryParse(over, out _));
    }

    [Fact]
    public void BufferOf1MiB_IsAccepted_OneByteMoreIsTooLarge()
    {
        // One pair: 4 + 8 + "n" + NUL + value + NUL = 1 MiB.
        byte[] value = Enumerable.Repeat((byte)'v', HeaderPairs.MaxBytes - 15).ToArray();
        byte[] exact = PairsModel.Encode([([(byte)'n'], value)]);
        Assert.Equal(HeaderPairs.MaxBytes, exact.Length);
        Assert.Equal(PairsError.None, HeaderPairs.TryParse(exact, out HeaderPairs pairs));
        Assert.True(pairs.TryGetValue("n"u8, out ReadOnlySpan<byte> parsed));
        Assert.Equal(value.Length, parsed.Length);

        byte[] tooLarge = PairsModel.Encode([([(byte)'n'], [.. value, (byte)'v'])]);
        Assert.Equal(HeaderPairs.MaxBytes + 1, tooLarge.Length);
        Assert.Equal(PairsError.TooLarge, HeaderPairs.TryParse(tooLarge, out _));

        // The size limit comes first, whatever the content.
        Assert.Equal(PairsError.TooLarge, HeaderPairs.TryParse(new byte[HeaderPairs.MaxBytes + 1], out _));
    }

    public static TheoryData<uint, uint, int> HugeLengths => new()
    {
        // (name length, value length, data bytes after the table)
        { uint.MaxValue, uint.MaxValue, 4 },
        { uint.MaxValue, 0, 2 },
        { 0, uint.MaxValue, 2 },
        // These wrap to small numbers in 32-bit arithmetic: 0xFFFFFFFF + 1 + 0 + 1 = 1, 0xFFFFFFFE + 1 + 1 + 1 = 1.
        { uint.MaxValue, 0, 1 },
        { uint.MaxValue - 1, 1, 1 },
        { 1, uint.MaxValue - 2, 3 },
        { int.MaxValue, int.MaxValue, 4 },
        { (uint)int.MaxValue + 1, 0, 8 },
        { 0x8000_0000, 0x7FFF_FFFF, 2 },
    };

    [Theory]
    [MemberData(nameof(HugeLengths))]
    public void LengthsNearUIntMax_AreRejectedWithoutOverflow(uint nameLength, uint valueLength, int dataBytes)
    {
        byte[] buffer = new byte[12 + dataBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), nameLength);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), valueLength);

        // Parse a slice of a larger array whose tail is not NUL, so an over-read could not pass as a terminator.
        byte[] backing = Enumerable.Repeat((byte)0xAA, buffer.Length + 64).ToArray();
        buffer.CopyTo(backing, 0);
        PairsError error = HeaderPairs.TryParse(backing.AsSpan(0, buffer.Length), out HeaderPairs pairs);

        Assert.Equal(PairsError.LengthMismatch, error);
        Assert.Equal(0, pairs.Count);
    }

    [Fact]
    public void HugeLengthInSecondPair_AfterAValidFirstPair_IsRejected()
    {
        // The first pair is fine; the second pair's lengths would wrap the running offset back into the buffer.
        byte[] buffer = new byte[4 + 16 + 4 + 2];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(12), uint.MaxValue - 3);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(16), 0);
        "a\0b\0"u8.CopyTo(buffer.AsSpan(20));
        Assert.Equal(PairsError.LengthMismatch, HeaderPairs.TryParse(buffer, out _));
    }

    [Fact]
    public void ObsTextBytes_PassThroughByteExact()
    {
        byte[] name = [(byte)'x', (byte)'-', 0x80, 0xC3, 0xFF];
        byte[] value = Enumerable.Range(0x80, 0x80).Select(b => (byte)b).ToArray();
        byte[] buffer = PairsModel.Encode([(name, value), ([0xE9], [0xFE, 0x20, 0xFF])]);

        Assert.Equal(PairsError.None, HeaderPairs.TryParse(buffer, out HeaderPairs pairs));
        List<(byte[] Name, byte[] Value)> parsed = PairsModel.ToList(pairs);
        Assert.Equal(name, parsed[0].Name);
        Assert.Equal(value, parsed[0].Value);
        Assert.Equal(new byte[] { 0xE9 }, parsed[1].Name);
        Assert.Equal(new byte[] { 0xFE, 0x20, 0xFF }, parsed[1].Value);
        Assert.True(pairs.TryGetValue(name, out ReadOnlySpan<byte> found));
        Assert.True(found.SequenceEqual(value));
    }

    [Fact]
    public void EmptyNamesAndValues_AreAllowed()
    {
        byte[] buffer = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(PairsError.None, HeaderPairs.TryParse(buffer, out HeaderPairs pairs));
        Assert.Equal(1, pairs.Count);
        Assert.True(pairs.TryGetValue(ReadOnlySpan<byte>.Empty, out ReadOnlySpan<byte> value));
        Assert.True(value.IsEmpty);
    }

    [Fact]
    public void TryGetValue_FindsTheFirstOfDuplicateNames()
    {
        byte[] buffer = PairsModel.Encode(
        [
            ("set-cookie"u8.ToArray(), "a=1"u8.ToArray()),
            ("x"u8.ToArray(), "other"u8.ToArray()),
            ("set-cookie"u8.ToArray(), "b=2"u8.ToArray()),
        ]);

        Assert.Equal(PairsError.None, HeaderPairs.TryParse(buffer, out HeaderPairs pairs));
        Assert.True(pairs.TryGetValue("set-cookie"u8, out ReadOnlySpan<byte> value));
        Assert.Equal("a=1", System.Text.Encoding.ASCII.GetString(value));
        Assert.True(pairs.TryGetValue("x"u8, out value));
        Assert.Equal("other", System.Text.Encoding.ASCII.GetString(value));

        // Byte-wise and case-sensitive; a prefix is not a match.
        Assert.False(pairs.TryGetValue("Set-Cookie"u8, out value));
        Assert.True(value.IsEmpty);
        Assert.False(pairs.TryGetValue("set-cooki"u8, out _));
        Assert.False(pairs.TryGetValue("set-cookies"u8, out _));
    }

    [Fact]
    public void Empty_IsAnEmptyView()
    {
        HeaderPairs empty = HeaderPairs.Empty;
        Assert.Equal(0, empty.Count);
        Assert.True(empty.Serialized.IsEmpty);
        Assert.False(empty.GetEnumerator().MoveNext());
    }
}
