using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProxyWasm.Generators.HostCalls;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// The host-call expansion: each <c>[HostFunction] static partial</c> declaration becomes a wasm import
/// (<c>[WasmImportLinkage] [DllImport("env", EntryPoint = ...)]</c>), an <c>IProxyHost</c> member, and a body that
/// calls the in-process host when one is attached, else the import; <c>NeverCallsModule = true</c> adds
/// <c>[SuppressGCTransition]</c> to the import (proxy_log here, not proxy_get_header_map_value). The input declares its own attribute, status
/// enum and in-process host, so it compiles against the net10.0 references alone (WasmImportLinkageAttribute is not
/// in the Net80 set of Basic.Reference.Assemblies).
/// </summary>
public sealed class HostCallsGeneratorTests
{
    public const string SnapshotName = "HostCalls";

    /// <summary>The same declarations expanded for the runtime's Aot flavor (<c>ProxyWasmRuntimeFlavor=Aot</c>).</summary>
    public const string AotSnapshotName = "HostCallsAot";

    private const string Declarations = """
        using System;

        namespace ProxyWasm
        {
            public static class NativeAllocator
            {
                public static bool IsEnabled => false;
            }
        }

        namespace ProxyWasm.Abi
        {
            [AttributeUsage(AttributeTargets.Method)]
            internal sealed class HostFunctionAttribute : Attribute { public bool NeverCallsModule { get; set; } }

            public enum ProxyStatus { Ok = 0, NotFound = 1 }

            public enum LogLevel { Trace = 0, Info = 2 }

            public enum HostParameterKind { Value32, Value64, Size, InputData, OutputData, OutputSize, Output32, Output64 }

            public sealed record HostFunctionSignature(string Name, System.Collections.Generic.IReadOnlyList<HostParameterKind> Parameters);

            public static class InProcessHost
            {
                public static bool IsSupported => true;

                [ThreadStatic] private static IProxyHost? t_current;

                public static IProxyHost? Current { get => t_current; set => t_current = value; }
            }

            /// <summary>Host calls.</summary>
            public static unsafe partial class HostCalls
            {
                /// <summary>proxy_log.</summary>
                [HostFunction(NeverCallsModule = true)] public static partial ProxyStatus proxy_log(LogLevel level, byte* messageData, nuint messageSize);

                /// <summary>proxy_get_header_map_value.</summary>
                [HostFunction] public static partial ProxyStatus proxy_get_header_map_value(int mapType, byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize);

                /// <summary>proxy_done.</summary>
                [HostFunction] public static partial ProxyStatus proxy_done();
            }
        }
        """;

    internal static GeneratorRun Run(HostCallsGenerator? generator = null) => TestCompilation.Run(Compilation(), generator ?? new HostCallsGenerator());

    /// <summary>The generator run with <c>build_property.ProxyWasmRuntimeFlavor</c> set to <paramref name="flavor"/>.</summary>
    internal static GeneratorRun RunFlavor(string flavor)
        => TestCompilation.Run(Compilation(), new HostCallsGenerator(), new Dictionary<string, string> { ["build_property.ProxyWasmRuntimeFlavor"] = flavor });

    private static CSharpCompilation Compilation() => CSharpCompilation.Create(
        "HostCallsInput",
        new[] { CSharpSyntaxTree.ParseText(Declarations, TestCompilation.ParseOptions, "HostCalls.cs") },
        TestCompilation.NetCoreReferences,
        TestCompilation.Options.WithAllowUnsafe(true));

    [Fact]
    public void Snapshot_matches() => Infrastructure.Snapshot.Verify(SnapshotName, Run().Files);

    [Fact]
    public void The_table_gives_each_parameter_its_wasm32_kind_and_dispatches_by_index()
    {
        string text = Run().Files.Single(f => f.HintName == "HostCalls.g.cs").Text;

        // Declaration order; a pointer to bytes is an input, byte** and nuint* are output slots, nuint a size.
        Assert.Contains("new(\"proxy_log\", new HostParameterKind[] { HostParameterKind.Value32, HostParameterKind.InputData, HostParameterKind.Size }),", text);
        Assert.Contains("new(\"proxy_get_header_map_value\", new HostParameterKind[] { HostParameterKind.Value32, HostParameterKind.InputData, HostParameterKind.Size, HostParameterKind.OutputData, HostParameterKind.OutputSize }),", text);
        Assert.Contains("new(\"proxy_done\", new HostParameterKind[] {  }),", text);
        Assert.Contains("case 1: return host.proxy_get_header_map_value((int)a[0], (byte*)a[1], (nuint)a[2], (byte**)a[3], (nuint*)a[4]);", text);
    }

    [Fact]
    public void Each_declaration_becomes_an_env_import_with_its_abi_name()
    {
        string text = Run().Files.Single(f => f.HintName == "HostCalls.g.cs").Text;

        foreach (string name in new[] { "proxy_log", "proxy_get_header_map_value", "proxy_done" })
        {
            Assert.Contains(
                "[global::System.Runtime.InteropServices.WasmImportLinkage] "
                + $"[global::System.Runtime.InteropServices.DllImport(\"env\", EntryPoint = \"{name}\", ExactSpelling = true)] "
                + $"internal static extern global::ProxyWasm.Abi.ProxyStatus {name}(",
                OneLine(text));
        }

        // NeverCallsModule = true (proxy_log only) adds [SuppressGCTransition]; a call that returns host data keeps the
        // transition in Imports and gets a second import without it in ImportsWithoutTransition, which only the Aot
        // flavor's bodies call, when the module's allocator is native (The_aot_flavor_calls_each_import_directly).
        string imports = OneLine(Between(text, "internal static unsafe class Imports", "internal static unsafe class ImportsWithoutTransition"));
        Assert.Contains("[global::System.Runtime.InteropServices.SuppressGCTransition] [global::System.Runtime.InteropServices.WasmImportLinkage] "
            + "[global::System.Runtime.InteropServices.DllImport(\"env\", EntryPoint = \"proxy_log\"", imports);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(imports, "SuppressGCTransition"));

        string withoutTransition = OneLine(Between(text, "internal static unsafe class ImportsWithoutTransition", "HostFunctionTable"));
        foreach (string name in new[] { "proxy_get_header_map_value", "proxy_done" })
        {
            Assert.Contains("[global::System.Runtime.InteropServices.SuppressGCTransition] [global::System.Runtime.InteropServices.WasmImportLinkage] "
                + $"[global::System.Runtime.InteropServices.DllImport(\"env\", EntryPoint = \"{name}\"", withoutTransition);
        }

        Assert.DoesNotContain("\"proxy_log\"", withoutTransition);
        string bodies = Between(OneLine(text), "public static unsafe partial class HostCalls", "internal static unsafe class Imports");
        Assert.DoesNotContain("ImportsWithoutTransition", bodies);
        Assert.Contains("return Imports.proxy_get_header_map_value(mapType, keyData, keySize, returnValueData, returnValueSize); }", bodies);
    }

    [Fact]
    public void Each_declaration_becomes_an_IProxyHost_member_and_a_dispatching_body()
    {
        string text = Run().Files.Single(f => f.HintName == "HostCalls.g.cs").Text;

        Assert.Contains("public unsafe interface IProxyHost", text);
        Assert.Contains("global::ProxyWasm.Abi.ProxyStatus proxy_log(global::ProxyWasm.Abi.LogLevel level, byte* messageData, nuint messageSize);", text);
        Assert.Contains("public static partial global::ProxyWasm.Abi.ProxyStatus proxy_get_header_map_value(int mapType, byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize)", text);
        Assert.Contains("return host.proxy_get_header_map_value(mapType, keyData, keySize, returnValueData, returnValueSize);", text);
        Assert.Contains("return Imports.proxy_get_header_map_value(mapType, keyData, keySize, returnValueData, returnValueSize);", text);
        Assert.Contains("return host.proxy_done();", text);
    }

    [Fact]
    public void Output_compiles_without_errors_or_warnings()
    {
        GeneratorRun run = Run();

        Assert.Empty(TestCompilation.Problems(run.Output));
    }

    [Fact]
    public void Aot_snapshot_matches() => Infrastructure.Snapshot.Verify(AotSnapshotName, RunFlavor("Aot").Files);

    [Theory]
    [InlineData("Aot")]
    [InlineData("aot")]
    public void The_aot_flavor_calls_each_import_directly(string flavor)
    {
        GeneratorRun run = RunFlavor(flavor);
        string text = OneLine(run.Files.Single(f => f.HintName == "HostCalls.g.cs").Text);
        string bodies = Between(text, "public static unsafe partial class HostCalls", "internal static unsafe class Imports");

        // No in-process branch and no out-of-line wrapper: a NeverCallsModule call is its import...
        Assert.DoesNotContain("InProcessHost", bodies);
        Assert.DoesNotContain("NoInlining", bodies);
        Assert.DoesNotContain("Import(", bodies);
        Assert.Contains("{ return Imports.proxy_log(level, messageData, messageSize); }", bodies);
        // ...and a data-returning one picks its import by the same rule as the default flavor, both called directly.
        Assert.Contains("{ if (global::ProxyWasm.NativeAllocator.IsEnabled) { return ImportsWithoutTransition.proxy_get_header_map_value(mapType, keyData, keySize, returnValueData, returnValueSize); } "
            + "return Imports.proxy_get_header_map_value(mapType, keyData, keySize, returnValueData, returnValueSize); }", bodies);
        Assert.Contains("{ if (global::ProxyWasm.NativeAllocator.IsEnabled) { return ImportsWithoutTransition.proxy_done(); } return Imports.proxy_done(); }", bodies);
        Assert.Empty(TestCompilation.Problems(run.Output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Jit")]
    public void Any_other_flavor_is_the_default_one(string flavor)
    {
        Assert.Equal(
            Run().Files.Single(f => f.HintName == "HostCalls.g.cs").Text,
            RunFlavor(flavor).Files.Single(f => f.HintName == "HostCalls.g.cs").Text);
    }

    [Fact]
    public void Both_flavors_declare_the_same_imports_interface_and_table()
    {
        string normal = Run().Files.Single(f => f.HintName == "HostCalls.g.cs").Text;
        string aot = RunFlavor("Aot").Files.Single(f => f.HintName == "HostCalls.g.cs").Text;
        const string Rest = "/// <summary>The <c>env.proxy_*</c> imports";

        Assert.Equal(normal[normal.IndexOf(Rest, System.StringComparison.Ordinal)..], aot[aot.IndexOf(Rest, System.StringComparison.Ordinal)..]);
        Assert.NotEqual(normal, aot);
    }

    private static string Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, System.StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not found.");
        int to = text.IndexOf(end, from + start.Length, System.StringComparison.Ordinal);
        Assert.True(to >= 0, $"'{end}' not found after '{start}'.");
        return text.Substring(from, to - from);
    }

    private static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    [Fact]
    public void Without_declarations_it_emits_nothing()
    {
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(FilterCases.Get("HelloWorld").Sources), new HostCallsGenerator());

        Assert.Empty(run.HintNames);
    }
}
