using BenchmarkDotNet.Attributes;
using ProxyWasm.Testing;

namespace ProxyWasm.Benchmarks;

/// <summary>Validating and enumerating a serialized header map (proxy_get_header_map_pairs result), zero-copy.</summary>
[MemoryDiagnoser]
public class PairsBenchmarks
{
    private byte[] _twentyHeaders = null!;

    [GlobalSetup]
    public void Setup()
    {
        var headers = new HeaderList();
        for (int i = 0; i < 20; i++)
        {
            headers.Add($"x-header-{i}", new string('v', 24));
        }

        _twentyHeaders = headers.Serialize();
    }

    /// <summary>TryParse (full validation) then enumerate all 20 pairs, summing value lengths.</summary>
    [Benchmark]
    public int ParseAndEnumerate20()
    {
        HeaderPairs.TryParse(_twentyHeaders, out HeaderPairs pairs);
        int total = 0;
        foreach (HeaderPair pair in pairs)
        {
            total += pair.Value.Length;
        }

        return total;
    }
}
