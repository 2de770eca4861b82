using System.Collections.Generic;
using System.Linq;
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
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(Filter), buildProperties: property is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["build_property.ProxyWasmNativeAllocator"] = property });
        Assert.Empty(TestCompilation.Problems(run.Output));
        return run.Files.Single(f => f.HintName == "ProxyWasmModule.g.cs").Text;
    }
}
