using System.Reflection;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The samples' published <c>.wasm</c> modules, where this machine has them (NativeAOT-LLVM publishes them with
/// <c>dotnet publish samples/NAME -c Release -r wasi-wasm</c>; docs/wasm.md): each must pass proxy-wasm-cpp-host's load
/// checks, and the sample tests that take a <see cref="ModuleTarget"/> also run against it.</summary>
public sealed class PublishedWasmTests
{
    private static readonly Assembly[] Samples =
    [
        typeof(HelloWorld).Assembly, typeof(HeaderAuthorization).Assembly, typeof(AddHeader).Assembly,
        typeof(ResponseHeader).Assembly, typeof(HttpHeaders).Assembly, typeof(HttpBody).Assembly, typeof(ConfiguredHeaders).Assembly,
    ];

    [SkippableFact]
    public void Published_sample_modules_pass_the_load_checks_Envoy_applies()
    {
        var published = Samples.Select(a => (Name: a.GetName().Name!, Path: ModuleTarget.FindPublishedWasm(a))).ToList();
        string[] missing = published.Where(p => p.Path is null).Select(p => p.Name).ToArray();
        Skip.If(missing.Length == published.Count,
            $"no published .wasm for any sample ({string.Join(", ", missing)}): this machine has no NativeAOT-LLVM toolchain. Where it has one, " +
            $"`dotnet publish samples/<Name> -c Release -r wasi-wasm` (or {ModuleTarget.SearchPathVariable}=<dir>) makes the sample tests run against each .wasm too (docs/wasm.md).");

        foreach ((string name, string? path) in published.Where(p => p.Path is not null))
        {
            using WasmModule module = WasmModule.Load(path!);
            Assert.True(module.Report.Loadable, $"{name}: {module.Report.Verdict}\n{string.Join("\n", module.Report.Errors)}");
        }
    }
}
