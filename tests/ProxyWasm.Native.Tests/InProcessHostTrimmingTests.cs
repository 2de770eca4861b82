using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The module pays nothing for the in-process host: it references the runtime's Aot flavor, whose host calls have no
/// IProxyHost branch, and the feature switch ProxyWasm.InProcessHost.IsSupported is off (build/ProxyWasm.Native.targets),
/// so ILC folds InProcessHost.IsSupported to false. Checked on ILC's map of the native image and on the full symbol
/// table (.so.dbg). A control build with the switch on (which references the default flavor, the only one that can
/// reach an in-process host: build/ProxyWasm.Filter.props) shows that both checks see that code when it is there.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class InProcessHostTrimmingTests(NativeBuild build)
{
    /// <summary>Name fragments of the in-process host in NativeAOT's mangled names (types, methods, statics, dispatch cells).</summary>
    private static readonly string[] InProcessHostNames = ["ProxyWasm_Abi_InProcessHost", "ProxyWasm_Abi_IProxyHost"];

    public static IEnumerable<object[]> Samples() => Repo.SampleNames();

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Native_image_contains_no_in_process_host_code(string sample)
    {
        PublishedSample published = build.Published(sample);

        List<string> nodes = IlcMap.NodeNames(published.MapFile);
        // The map names the module's own code (so the check below looks at the right names)...
        Assert.Contains(nodes, n => n.StartsWith(sample + "_ProxyWasm_Generated_ProxyWasmModule__", StringComparison.Ordinal));
        Assert.Contains(nodes, n => n.StartsWith("ProxyWasm_Runtime_ProxyWasm_", StringComparison.Ordinal));
        // ...and nothing of the in-process host: no method, static, type or interface dispatch cell.
        var leftovers = nodes.Where(n => InProcessHostNames.Any(n.Contains)).ToList();
        Assert.True(leftovers.Count == 0, "In-process host code in the map: " + string.Join(", ", leftovers));

        IReadOnlyList<Symbol> symbols = Symbols.All(published.DebugSymbols);
        Assert.Contains(symbols, s => s.Name.StartsWith(sample + "_ProxyWasm_Generated_ProxyWasmModule__", StringComparison.Ordinal));
        var leftoverSymbols = symbols.Where(s => InProcessHostNames.Any(s.Name.Contains)).Select(s => s.Name).ToList();
        Assert.True(leftoverSymbols.Count == 0, "In-process host symbols in the image: " + string.Join(", ", leftoverSymbols));
    }

    [SkippableFact]
    public void Control_build_with_the_switch_on_keeps_the_in_process_host()
    {
        PublishedSample control = build.ControlBuild();
        Assert.Contains("--feature:ProxyWasm.InProcessHost.IsSupported=true", System.IO.File.ReadAllLines(control.IlcResponseFile));

        List<string> nodes = IlcMap.NodeNames(control.MapFile);
        Assert.Contains(nodes, n => n == "ProxyWasm_Runtime_ProxyWasm_Abi_InProcessHost__get_Current");
        // The default flavor's out-of-line import wrappers, which NativeAllocatorTests finds in no published sample.
        Assert.Contains(nodes, n => n.StartsWith("ProxyWasm_Runtime_ProxyWasm_Abi_HostCalls___proxy_log_g__Import", StringComparison.Ordinal));

        IReadOnlyList<Symbol> symbols = Symbols.All(control.DebugSymbols);
        Assert.Contains(symbols, s => s.Name.StartsWith("__InterfaceDispatchCell_ProxyWasm_Runtime_ProxyWasm_Abi_IProxyHost__proxy_", StringComparison.Ordinal));
        Assert.Contains(symbols, s => s.Name.Contains("ProxyWasm_Abi_InProcessHost", StringComparison.Ordinal));
    }
}
