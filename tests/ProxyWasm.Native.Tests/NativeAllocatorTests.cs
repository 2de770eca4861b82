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

    /// <summary>The host functions whose declaration does not say NeverCallsModule (the host allocates in the module
    /// during them), from src/Runtime/Abi/HostCalls.cs.</summary>
    private static IReadOnlySet<string> DataReturningHostFunctions()
        => Regex.Matches(File.ReadAllText(Repo.HostCallsSource), @"\[HostFunction\]\s*public\s+static\s+partial\s+ProxyStatus\s+(proxy_\w+)\s*\(")
            .Select(match => match.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
}
