using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The module's <c>proxy_on_memory_allocate</c> is the native allocator (build/native/proxywasm_allocator.c) and so no
/// host call runs managed code: which is what lets every host call skip its GC transition (NativeAllocator). Checked on
/// the symbol table, ILC's response file, ILC's map and the machine code of every published sample.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class NativeAllocatorTests(NativeBuild build)
{
    public static IEnumerable<object[]> Samples() => Repo.SampleNames();

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void The_exported_allocator_is_the_native_one_and_no_managed_allocator_is_compiled(string sample)
    {
        PublishedSample published = build.Published(sample);

        // Exported, a function, and defined by the C object: its helpers are next to it in the full symbol table.
        Assert.Contains(Symbols.DynamicDefined(published.Library), s => s.Name == "proxy_on_memory_allocate" && s.Type == 'T');
        IReadOnlyList<Symbol> all = Symbols.All(published.DebugSymbols);
        Assert.Contains(all, s => s.Name == "proxywasm_host_memory_record");
        Assert.Contains(all, s => s.Name == "proxywasm_host_memory_release");

        // ILC compiled the runtime with the switch on, and no managed allocator export exists.
        Assert.Contains("--feature:ProxyWasm.HostMemory.NativeAllocator=true", File.ReadAllLines(published.IlcResponseFile));
        List<string> nodes = IlcMap.NodeNames(published.MapFile);
        Assert.DoesNotContain(nodes, n => n.Contains("ProxyWasmModule__OnMemoryAllocate", StringComparison.Ordinal));
        Assert.DoesNotContain(nodes, n => n.Contains("HostMemory__AllocateForHost", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Every_host_call_that_returns_data_is_bound_without_gc_transition(string sample)
    {
        PublishedSample published = build.Published(sample);
        IReadOnlySet<string> dataReturning = DataReturningHostFunctions();
        Assert.Contains("proxy_get_header_map_value", dataReturning);
        Assert.DoesNotContain("proxy_log", dataReturning);

        // The runtime's Aot flavor calls each import directly, so the import's call sits in whichever function it was
        // inlined into. A call with a GC transition is bracketed by RhpPInvoke/RhpPInvokeReturn in that function; the
        // ImportsWithoutTransition import (the branch NativeAllocator.IsEnabled selects) is a bare call.
        IReadOnlyDictionary<string, IReadOnlySet<string>> calls = Disassembly.CallsByFunction(published.Library, published.DebugSymbols);
        var callers = calls.Where(c => c.Value.Any(dataReturning.Contains)).ToList();
        var withTransition = callers.Where(c => c.Value.Contains("RhpPInvoke")).Select(c => c.Key).ToList();
        Assert.True(withTransition.Count == 0, "Data-returning host calls made with a GC transition in: " + string.Join(", ", withTransition));
        if (sample == "HelloWorld")
        {
            Assert.Contains(callers, c => c.Value.Contains("proxy_get_header_map_value"));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Host_calls_are_compiled_from_the_aot_flavor_of_the_runtime(string sample)
    {
        PublishedSample published = build.Published(sample);
        List<string> nodes = IlcMap.NodeNames(published.MapFile);

        // The default flavor puts each [SuppressGCTransition] import in an out-of-line local function
        // (HostCalls.<name>g__Import / g__ImportWithoutTransition); the Aot flavor has none.
        var wrappers = nodes.Where(n => n.StartsWith("ProxyWasm_Runtime_ProxyWasm_Abi_HostCalls___", StringComparison.Ordinal) && n.Contains("_g__Import", StringComparison.Ordinal)).ToList();
        Assert.True(wrappers.Count == 0, "Out-of-line host-call wrappers in the map: " + string.Join(", ", wrappers));
        Assert.Contains(nodes, n => n.StartsWith("ProxyWasm_Runtime_ProxyWasm_", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Host_blocks_come_from_the_callback_arena_and_only_an_oversized_one_costs_a_malloc()
    {
        PublishedSample published = build.Published("HelloWorld");
        int arena = ArenaSize();
        ProcessResult probe = Tools.Run(build.AllocatorProbe(), [published.Library, arena.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(1));
        Assert.True(probe.ExitCode == 0, probe.Describe());
        Dictionary<string, string> seen = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

        // Two small blocks between callbacks: consecutive 16-byte steps of the arena, no malloc.
        Assert.Equal("0", seen["small_mallocs"]);
        Assert.Equal("1", seen["aligned"]);
        Assert.Equal("16", seen["step"]);
        // One larger than the arena: malloc'd, outside it.
        Assert.Equal("1", seen["large_mallocs"]);
        Assert.Equal("0", seen["large_in_arena"]);
        // The next callback looks :authority up (one more arena block), builds x-hello, and on return takes every block
        // back: the malloc'd one with free, the arena by lowering its top, so the next block is the first one again.
        Assert.Equal("Hello world from example.com", seen["x-hello"]);
        Assert.Equal("0", seen["callback_mallocs"]);
        Assert.Equal("1", seen["callback_frees"]);
        Assert.Equal("1", seen["reused"]);
    }

    /// <summary>The arena's size, the same in both allocators: <c>ARENA_SIZE</c> in build/native/proxywasm_allocator.c and
    /// <c>HostMemory.ArenaSize</c> in src/Runtime/Memory/HostMemory.cs (each written as <c>64 * 1024</c>-style
    /// products).</summary>
    private static int ArenaSize()
    {
        static int Product(string text) => text.Split('*').Select(part => int.Parse(part.Trim(), System.Globalization.CultureInfo.InvariantCulture)).Aggregate(1, (a, b) => a * b);
        Match native = Regex.Match(File.ReadAllText(Path.Combine(Repo.Root, "build", "native", "proxywasm_allocator.c")), @"#define ARENA_SIZE \(\(size_t\)([\d\s*]+)\)");
        Match managed = Regex.Match(File.ReadAllText(Path.Combine(Repo.Root, "src", "Runtime", "Memory", "HostMemory.cs")), @"public const int ArenaSize = ([\d\s*]+);");
        Assert.True(native.Success && managed.Success, "ARENA_SIZE or HostMemory.ArenaSize not found in its source");
        Assert.Equal(Product(managed.Groups[1].Value), Product(native.Groups[1].Value));
        return Product(native.Groups[1].Value);
    }

    /// <summary>The host functions whose declaration does not say NeverCallsModule (the host allocates in the module
    /// during them), from src/Runtime/Abi/HostCalls.cs.</summary>
    private static IReadOnlySet<string> DataReturningHostFunctions()
        => Regex.Matches(File.ReadAllText(Repo.HostCallsSource), @"\[HostFunction\]\s*public\s+static\s+partial\s+ProxyStatus\s+(proxy_\w+)\s*\(")
            .Select(match => match.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
}
