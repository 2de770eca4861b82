using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProxyWasm.Generators.Filters;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// The MSBuild property <c>ProxyWasmNativeAllocator</c> (set by ProxyWasm.Native.targets, which links
/// build/native/proxywasm_allocator.c) makes the generated module leave <c>proxy_on_memory_allocate</c> to the native
/// allocator: no managed export of that name, which would clash with the C symbol at link time.
/// </summary>
public sealed class NativeAllocatorTests
{
    private const string Filter = """
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class F
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers(RequestHeaders headers) => FilterHeadersStatus.Continue;
        }
        """;

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", true)]
    [InlineData("true", false)]
    [InlineData("True", false)]
    public void The_managed_allocator_is_emitted_unless_the_build_links_the_native_one(string? property, bool managed)
    {
        string module = Module(property);
        Assert.Equal(managed, module.Contains("[UnmanagedCallersOnly(EntryPoint = \"proxy_on_memory_allocate\")]"));
        Assert.Equal(managed, module.Contains("HostMemory.AllocateForHost(size)"));
        Assert.Equal(!managed, module.Contains("// proxy_on_memory_allocate is the native allocator the build links"));
        // The rest of the module is the same either way.
        Assert.Contains("[UnmanagedCallersOnly(EntryPoint = \"proxy_on_request_headers\")]", module);
        Assert.Contains("[UnmanagedCallersOnly(EntryPoint = \"proxy_abi_version_0_2_1\")]", module);
    }

    private static string Module(string? property)
    {
        var options = new Options(property is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["build_property.ProxyWasmNativeAllocator"] = property });
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new FilterGenerator().AsSourceGenerator() },
            parseOptions: TestCompilation.ParseOptions,
            optionsProvider: options);
        driver = driver.RunGeneratorsAndUpdateCompilation(TestCompilation.Create(Filter), out Compilation output, out ImmutableArray<Diagnostic> _);
        Assert.Empty(TestCompilation.Problems(output));
        return driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "ProxyWasmModule.g.cs").SourceText.ToString();
    }

    private sealed class Options(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values(new Dictionary<string, string>());
    }

    private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
