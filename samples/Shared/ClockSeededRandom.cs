namespace ProxyWasm.Samples;

/// <summary>
/// The random numbers of the samples that port examples drawing them (Go's <c>crypto/rand</c>, Rust's
/// <c>getrandom</c>): a xorshift64 (13, 7, 17) sequence seeded from the host clock and a context id. Not
/// <c>System.Random</c> or <c>RandomNumberGenerator</c>: under NativeAOT-LLVM both end in the runtime's WASIp2 random
/// import (<c>wasi:random/random</c>), which Envoy does not register (docs/wasm.md, "Still open"). The numbers only
/// pick between paths of a sample, so a non-cryptographic generator is enough, and with a fixed host clock the
/// sequence is reproducible, which the tests use. A struct field of a plugin; nothing allocates.
/// </summary>
/// <remarks>One file, linked into each sample that uses it (<c>&lt;Compile Include="../Shared/ClockSeededRandom.cs"/&gt;</c>).</remarks>
internal struct ClockSeededRandom
{
    private ulong _state;

    /// <summary>A sequence seeded from <paramref name="nanoseconds"/> and <paramref name="contextId"/>: SplitMix64's
    /// finalizer spreads both over every bit, so close clock readings give unrelated sequences; never the all-zero
    /// state xorshift cannot leave.</summary>
    public static ClockSeededRandom Seed(ulong nanoseconds, uint contextId)
    {
        ulong z = nanoseconds ^ (contextId * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new ClockSeededRandom { _state = z == 0 ? 0x9E3779B97F4A7C15UL : z };
    }

    /// <summary>The next 64 bits of the sequence.</summary>
    public ulong Next()
    {
        ulong x = _state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        _state = x;
        return x;
    }

    /// <summary>The next byte: the top 8 bits of <see cref="Next"/>, the best mixed.</summary>
    public byte NextByte() => (byte)(Next() >> 56);

    /// <summary>The next 32-bit number: the top 32 bits of <see cref="Next"/>.</summary>
    public uint NextUInt32() => (uint)(Next() >> 32);
}
