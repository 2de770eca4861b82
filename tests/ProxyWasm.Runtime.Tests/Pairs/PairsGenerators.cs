using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using ProxyWasm.Runtime.Tests.Support;

namespace ProxyWasm.Runtime.Tests.Pairs;

/// <summary>A header list for the properties, printed as hex so a counterexample can be read back.</summary>
public sealed record PairList(List<(byte[] Name, byte[] Value)> Pairs)
{
    public override string ToString() => PairsModel.Describe(Pairs);
}

/// <summary>A buffer for the properties: how it was made, and its bytes in hex.</summary>
public sealed record Candidate(string Origin, byte[] Bytes)
{
    public override string ToString() => $"{Origin}: {Convert.ToHexString(Bytes)}";
}

/// <summary>FsCheck generators for the pairs codec.</summary>
internal static class PairsGenerators
{
    /// <summary>Any byte but NUL (the terminator), with obs-text (0x80–0xFF) as likely as ASCII.</summary>
    public static Gen<byte> NonNulByte { get; } = Gen.Frequency(
        (3, Gen.Choose(0x20, 0x7E).Select(b => (byte)b)),
        (3, Gen.Choose(0x80, 0xFF).Select(b => (byte)b)),
        (1, Gen.Choose(0x01, 0x1F).Select(b => (byte)b)),
        (1, Gen.Constant((byte)0x7F)));

    /// <summary>Names and values: often empty or short, sometimes a few hundred bytes.</summary>
    public static Gen<byte[]> Field { get; } = Gen.Frequency(
        (2, Gen.Constant(Array.Empty<byte>())),
        (8, Gen.Choose(1, 24).SelectMany(n => Gen.ArrayOf(NonNulByte, n))),
        (1, Gen.Choose(25, 400).SelectMany(n => Gen.ArrayOf(NonNulByte, n))));

    public static Gen<(byte[] Name, byte[] Value)> Pair { get; } = Gen.Zip(Field, Field);

    public static Gen<PairList> PairLists { get; } = Gen.Frequency(
        (1, Gen.Constant(0)),
        (8, Gen.Choose(1, 12)),
        (2, Gen.Choose(13, 80)))
        .SelectMany(count => Gen.ListOf(Pair, count))
        .Select(list => new PairList(list.ToList()));

    public static Gen<byte> AnyByte { get; } = Gen.Choose(0, 255).Select(b => (byte)b);

    /// <summary>Plain random bytes, mostly short.</summary>
    public static Gen<Candidate> RandomBytes { get; } = Gen.Choose(0, 64)
        .SelectMany(n => Gen.ArrayOf(AnyByte, n))
        .Select(bytes => new Candidate("random", bytes));

    /// <summary>Random bytes behind a plausible header: a small count and small (sometimes huge) lengths, so more
    /// inputs reach the per-pair checks and some are valid.</summary>
    public static Gen<Candidate> StructuredRandom { get; } =
        from count in Gen.Choose(0, 4)
        from lengths in Gen.ArrayOf(LengthValue, count * 2)
        from dataLength in Gen.Choose(0, 48)
        from data in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant((byte)0)), (2, AnyByte)), dataLength)
        select new Candidate("structured", BuildHeader((uint)count, lengths, data));

    /// <summary>A valid encoding, then one mutation: truncation, bit flip, length corruption, appended bytes,
    /// count corruption or a byte overwrite.</summary>
    public static Gen<Candidate> Mutated { get; } = PairLists
        .Select(list => PairsModel.Encode(list.Pairs))
        .SelectMany(valid => Gen.Choose(0, 5).SelectMany(kind => Mutate(valid, kind)));

    public static Gen<Candidate> AnyCandidate { get; } = Gen.Frequency((1, RandomBytes), (2, StructuredRandom), (3, Mutated));

    private static Gen<uint> LengthValue { get; } = Gen.Frequency(
        (8, Gen.Choose(0, 12).Select(n => (uint)n)),
        (1, Gen.Choose(0, 16).Select(n => uint.MaxValue - (uint)n)),
        (1, Gen.Choose(0, 16).Select(n => (uint)int.MaxValue + (uint)n - 8)));

    private static byte[] BuildHeader(uint count, uint[] lengths, byte[] data)
    {
        byte[] bytes = new byte[4 + (4 * lengths.Length) + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, count);
        for (int i = 0; i < lengths.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 + (4 * i)), lengths[i]);
        }

        data.CopyTo(bytes, 4 + (4 * lengths.Length));
        return bytes;
    }

    private static Gen<Candidate> Mutate(byte[] valid, int kind)
    {
        switch (kind)
        {
            case 0:
                return Gen.Choose(0, Math.Max(0, valid.Length - 1))
                    .Select(keep => new Candidate($"truncated to {keep} of {valid.Length}", valid[..keep]));
            case 1:
                return Gen.Zip(Gen.Choose(0, valid.Length - 1), Gen.Choose(0, 7)).Select(at =>
                {
                    byte[] copy = (byte[])valid.Clone();
                    copy[at.Item1] ^= (byte)(1 << at.Item2);
                    return new Candidate($"bit {at.Item2} of byte {at.Item1} flipped", copy);
                });
            case 2:
                int fields = (int)BinaryPrimitives.ReadUInt32LittleEndian(valid) * 2;
                if (fields == 0)
                {
                    return Gen.Constant(new Candidate("unchanged (no length field)", valid));
                }

                return Gen.Zip(Gen.Choose(0, fields - 1), LengthValue).Select(change =>
                {
                    byte[] copy = (byte[])valid.Clone();
                    BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4 + (4 * change.Item1)), change.Item2);
                    return new Candidate($"length field {change.Item1} set to {change.Item2}", copy);
                });
            case 3:
                return Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(AnyByte, n))
                    .Select(extra => new Candidate($"{extra.Length} bytes appended", [.. valid, .. extra]));
            case 4:
                return Gen.Frequency(
                        (3, Gen.Choose(0, 90).Select(n => (uint)n)),
                        (1, Gen.Choose(1025, 5000).Select(n => (uint)n)),
                        (1, Gen.Constant(uint.MaxValue)))
                    .Select(count =>
                    {
                        byte[] copy = (byte[])valid.Clone();
                        BinaryPrimitives.WriteUInt32LittleEndian(copy, count);
                        return new Candidate($"count set to {count}", copy);
                    });
            default:
                return Gen.Zip(Gen.Choose(0, valid.Length - 1), AnyByte).Select(change =>
                {
                    byte[] copy = (byte[])valid.Clone();
                    copy[change.Item1] = change.Item2;
                    return new Candidate($"byte {change.Item1} set to {change.Item2}", copy);
                });
        }
    }
}
