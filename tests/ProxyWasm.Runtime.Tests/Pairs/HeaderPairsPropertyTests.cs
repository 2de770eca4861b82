using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Pairs;

/// <summary>
/// FsCheck properties of the pairs codec. Seeded: see <see cref="PropertyRunner"/> for the fixed replay seed and how
/// to override it (<c>PROXYWASM_FSCHECK_REPLAY=seed,gamma</c>).
/// </summary>
public class HeaderPairsPropertyTests
{
    [Fact]
    public void WriterThenParser_RoundTripsExactly()
    {
        Property property = Prop.ForAll(PairsGenerators.PairLists.ToArbitrary(), list =>
        {
            List<(byte[] Name, byte[] Value)> pairs = list.Pairs;
            int size = 4;
            foreach ((byte[] name, byte[] value) in pairs)
            {
                size += (int)PairsWriter.SizeOf(name, value);
            }

            byte[] destination = new byte[size];
            var writer = new PairsWriter(destination, pairs.Count);
            foreach ((byte[] name, byte[] value) in pairs)
            {
                if (!writer.TryAdd(name, value))
                {
                    return false;
                }
            }

            ReadOnlySpan<byte> written = writer.WrittenSpan;
            if (!writer.IsComplete || written.Length != size)
            {
                return false;
            }

            // Same bytes as the independent encoder, and the parser gives the pairs back in order.
            if (!written.SequenceEqual(PairsModel.Encode(pairs)))
            {
                return false;
            }

            if (HeaderPairs.TryParse(written, out HeaderPairs view) != PairsError.None || view.Count != pairs.Count)
            {
                return false;
            }

            return PairsModel.SameBytes(pairs, PairsModel.ToList(view)) && view.Serialized.SequenceEqual(written);
        });

        PropertyRunner.Check(nameof(WriterThenParser_RoundTripsExactly), property, maxTest: 400);
    }

    [Fact]
    public void TryGetValue_AgreesWithALinearSearch()
    {
        Gen<(PairList List, byte[] Probe)> gen = PairsGenerators.PairLists.SelectMany(list =>
            (list.Pairs.Count == 0
                ? PairsGenerators.Field
                : Gen.Frequency((3, Gen.Elements(list.Pairs.ToArray()).Select(p => p.Name)), (1, PairsGenerators.Field)))
            .Select(probe => (list, probe)));

        Property property = Prop.ForAll(gen.ToArbitrary(), input =>
        {
            byte[] buffer = PairsModel.Encode(input.List.Pairs);
            if (HeaderPairs.TryParse(buffer, out HeaderPairs view) != PairsError.None)
            {
                return false;
            }

            int expected = input.List.Pairs.FindIndex(p => p.Name.AsSpan().SequenceEqual(input.Probe));
            bool found = view.TryGetValue(input.Probe, out ReadOnlySpan<byte> value);
            return expected < 0
                ? !found && value.IsEmpty
                : found && value.SequenceEqual(input.List.Pairs[expected].Value);
        });

        PropertyRunner.Check(nameof(TryGetValue_AgreesWithALinearSearch), property, maxTest: 300);
    }

    [Fact]
    public void RandomBytes_NeverThrow_AndGiveAnErrorOrAConsistentView()
        => PropertyRunner.Check(nameof(RandomBytes_NeverThrow_AndGiveAnErrorOrAConsistentView), Prop.ForAll(PairsGenerators.RandomBytes.ToArbitrary(), ParsesConsistently), maxTest: 2000);

    [Fact]
    public void StructuredRandomBytes_NeverThrow_AndGiveAnErrorOrAConsistentView()
        => PropertyRunner.Check(nameof(StructuredRandomBytes_NeverThrow_AndGiveAnErrorOrAConsistentView), Prop.ForAll(PairsGenerators.StructuredRandom.ToArbitrary(), ParsesConsistently), maxTest: 3000);

    [Fact]
    public void MutatedValidBuffers_NeverThrow_AndGiveAnErrorOrAConsistentView()
        => PropertyRunner.Check(nameof(MutatedValidBuffers_NeverThrow_AndGiveAnErrorOrAConsistentView), Prop.ForAll(PairsGenerators.Mutated.ToArbitrary(), ParsesConsistently), maxTest: 3000);

    [Fact]
    public void Generators_ReachEveryOutcome()
    {
        // Guards the properties above against generators that only ever produce one kind of input.
        var seen = new HashSet<PairsError>();
        IEnumerable<Candidate> sample = PairsGenerators.AnyCandidate.Sample(3000, new Rnd(PropertyRunner.DefaultSeed, PropertyRunner.DefaultGamma), 30);
        foreach (Candidate candidate in sample)
        {
            seen.Add(HeaderPairs.TryParse(candidate.Bytes, out _));
        }

        Assert.Contains(PairsError.None, seen);
        Assert.Contains(PairsError.Truncated, seen);
        Assert.Contains(PairsError.LengthMismatch, seen);
        Assert.Contains(PairsError.MissingNul, seen);
        Assert.Contains(PairsError.TooManyPairs, seen);
    }

    /// <summary>
    /// TryParse on <paramref name="candidate"/>, parsed as a slice of a larger array with non-NUL bytes around it:
    /// no exception; the same outcome as the model; on success every name and value lies inside the slice, the pairs
    /// are the model's, and re-serializing them gives the input back byte for byte.
    /// </summary>
    private static bool ParsesConsistently(Candidate candidate)
    {
        byte[] input = candidate.Bytes;
        byte[] backing = new byte[input.Length + 32];
        backing.AsSpan().Fill(0xA5);
        input.CopyTo(backing, 16);
        ReadOnlySpan<byte> slice = backing.AsSpan(16, input.Length);

        PairsError actual;
        HeaderPairs view;
        try
        {
            actual = HeaderPairs.TryParse(slice, out view);
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"TryParse threw on {candidate}", exception);
        }

        PairsError expected = PairsModel.Validate(input, out List<(byte[] Name, byte[] Value)> modelPairs);
        if (actual != expected)
        {
            throw new InvalidOperationException($"TryParse returned {actual}, the model {expected}, for {candidate}");
        }

        if (actual != PairsError.None)
        {
            return view.Count == 0 && view.Serialized.IsEmpty;
        }

        var parsed = new List<(byte[] Name, byte[] Value)>();
        foreach (HeaderPair pair in view)
        {
            if (!Inside(slice, pair.Name) || !Inside(slice, pair.Value))
            {
                throw new InvalidOperationException($"A pair points outside the buffer for {candidate}");
            }

            parsed.Add((pair.Name.ToArray(), pair.Value.ToArray()));
        }

        if (parsed.Count != view.Count || !PairsModel.SameBytes(parsed, modelPairs))
        {
            return false;
        }

        // The empty map has three encodings; the others re-serialize to exactly the input.
        return input.Length <= 1
            ? view.Count == 0
            : PairsModel.Encode(parsed).AsSpan().SequenceEqual(input);
    }

    private static bool Inside(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> part)
    {
        if (part.IsEmpty)
        {
            return true;
        }

        return buffer.Overlaps(part, out int offset) && offset >= 0 && offset + part.Length <= buffer.Length;
    }
}
