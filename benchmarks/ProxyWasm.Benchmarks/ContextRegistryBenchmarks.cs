using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using ProxyWasm.Generated;

namespace ProxyWasm.Benchmarks;

/// <summary>
/// The generated glue's context table (<see cref="ContextRegistry"/>: an array indexed by id, linear probing) against
/// the <see cref="Dictionary{TKey,TValue}"/> it replaced, with ids as proxy-wasm-cpp-host hands them out: root context
/// 1, then streams counting up, 64 live at a time. <c>Lookup</c> is what every callback pays; <c>Cycle</c> is a stream's
/// create and delete.
/// </summary>
[MemoryDiagnoser]
public class ContextRegistryBenchmarks
{
    private const int Live = 64;
    private readonly ContextRegistry _registry = new();
    private readonly Dictionary<uint, ContextEntry> _dictionary = new(64);
    private uint _next;

    [GlobalSetup]
    public void Setup()
    {
        var root = new ContextEntry(0, -1, 0, isRoot: true, FailurePolicy.FailClosed);
        _registry.TryAdd(1, root);
        _dictionary[1] = root;
        for (uint id = 2; id < 2 + Live; id++)
        {
            var stream = new ContextEntry(0, (int)id, 0, isRoot: false, FailurePolicy.FailClosed, parentContextId: 1);
            _registry.TryAdd(id, stream);
            _dictionary[id] = stream;
        }

        _next = 2 + Live;
    }

    /// <summary>64 lookups of live stream ids (one per callback).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Live)]
    public int LookupDictionary()
    {
        int sum = 0;
        uint first = _next - Live;
        for (uint id = first; id < _next; id++)
        {
            _dictionary.TryGetValue(id, out ContextEntry entry);
            sum += entry.Slot;
        }

        return sum;
    }

    /// <summary>The same lookups in the registry.</summary>
    [Benchmark(OperationsPerInvoke = Live)]
    public int LookupRegistry()
    {
        int sum = 0;
        uint first = _next - Live;
        for (uint id = first; id < _next; id++)
        {
            _registry.TryGet(id, out ContextEntry entry);
            sum += entry.Slot;
        }

        return sum;
    }

    /// <summary>A stream's life in the table: the oldest live stream is deleted, a new id is created (the window slides,
    /// the root stays).</summary>
    [Benchmark]
    public bool CycleRegistry()
    {
        uint id = _next++;
        _registry.Remove(id - Live, out _);
        return _registry.TryAdd(id, new ContextEntry(0, (int)id, 0, isRoot: false, FailurePolicy.FailClosed, parentContextId: 1));
    }

    /// <summary>The same cycle in a dictionary.</summary>
    [Benchmark]
    public bool CycleDictionary()
    {
        uint id = _next++;
        _dictionary.Remove(id - Live);
        return _dictionary.TryAdd(id, new ContextEntry(0, (int)id, 0, isRoot: false, FailurePolicy.FailClosed, parentContextId: 1));
    }
}
