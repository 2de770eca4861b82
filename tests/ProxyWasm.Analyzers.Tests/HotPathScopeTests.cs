using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProxyWasm.Analyzers.Tests.Harness;
using Xunit;
using static ProxyWasm.Analyzers.Tests.Harness.AnalyzerHarness;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>What is hot (hooks, callees, [HotPath]), the Allow opt-outs, messages, and severities from .editorconfig.</summary>
public class HotPathScopeTests
{
    [Fact]
    public async Task Methods_called_from_a_hook_are_hot_transitively()
    {
        var d = await VerifyAsync(Code.Hook("""
                    Step1();
            """, """
                private void Step1() => Step2();
                private void Step2() { _name = {|PXW1013:_count.ToString()|}; }
            """));
        Assert.Equal("'Int32.ToString' returns a newly allocated string in TestFilter.Step2, called from TestFilter.OnRequestHeaders; " +
            "format into a span with TryFormat, or append the value to a Utf8ValueBuilder", d.Single().GetMessage());
    }

    [Fact]
    public async Task Message_names_the_hook_when_the_method_has_another_name()
    {
        var d = await VerifyAsync(Code.Filter("""
                [OnResponseHeaders]
                public void Check(ResponseHeaders headers) => Helper();
                private void Helper() { _name = {|PXW1013:_count.ToString()|}; }
            """));
        Assert.Contains("in TestFilter.Helper, called from TestFilter.Check [OnResponseHeaders];", d.Single().GetMessage());
    }

    [Fact]
    public async Task Callees_in_other_types_properties_and_constructors_are_hot() => await VerifyAsync(Code.Hook("""
                var helper = new Helper(_count);
                _count = helper.Length + Helper.Shared.Length;
        """, """
            }

            public readonly struct Helper
            {
                public Helper(int n) { Length = n; _ = {|PXW1013:n.ToString()|}; }
                public int Length { get; }
                public static Helper Shared => new(Compute());
                private static int Compute() => {|PXW1016:{|PXW1016:Enumerable.Range(0, 3)|}.Sum()|};
        """));

    [Fact]
    public async Task Interface_and_virtual_calls_reach_the_implementations_in_the_compilation() => await VerifyAsync(Code.Hook("""
                IRule rule = new AllowAll();
                _count += rule.Check() ? 1 : 0;
                Base b = new Derived();
                _count += b.Value();
        """, """
            }

            public interface IRule { bool Check(); }
            public sealed class AllowAll : IRule { public bool Check() => {|PXW1013:1.ToString()|}.Length > 0; }
            public class Base { public virtual int Value() => 0; }
            public sealed class Derived : Base { public override int Value() => {|PXW1016:new[] { 1 }.Sum()|}; }
            public sealed class OtherRule : IRule { public bool Check() => {|PXW1013:2.ToString()|}.Length > 0;
        """, attribute: "[OnRequestHeaders(Allow = HotPathAllow.Allocations)]"));

    [Fact]
    public async Task Lambdas_and_local_functions_inside_a_hook_are_hot() => await VerifyAsync(Code.Hook("""
                Func<int, string> format = static x => {|PXW1013:x.ToString()|};
                _name = {|PXW1010:format(1) + Local()|};
                string Local() => {|PXW1011:$"{_count}"|};
        """, attribute: "[OnRequestHeaders(Allow = HotPathAllow.Captures)]"));

    [Fact]
    public async Task Allow_on_the_hook_turns_off_its_groups_for_the_hook_and_its_callees() => await VerifyAsync(Code.Hook("""
                _name = _count.ToString() + Helper();
                var sb = {|PXW1001:new StringBuilder()|};
                _ = sb;
        """, """
            private string Helper() => string.Concat(_name, _name);
        """, attribute: "[OnRequestHeaders(Allow = HotPathAllow.Strings)]"));

    [Fact]
    public async Task Allow_All_turns_off_every_hot_path_rule() => await VerifyAsync(Code.Hook("""
                object boxed = _count;
                _name = $"{boxed}" + _list.Select(x => x.ToString()).First();
        """, attribute: "[OnRequestHeaders(Allow = HotPathAllow.All)]"));

    [Fact]
    public async Task A_callee_reached_from_two_hooks_is_reported_once_when_one_does_not_allow_it()
    {
        var d = await VerifyAsync(Code.Filter("""
                [OnRequestHeaders(Allow = HotPathAllow.Strings)]
                public void A(RequestHeaders headers) => Shared();
                [OnResponseHeaders]
                public void B(ResponseHeaders headers) => Shared();
                private void Shared() { _name = {|PXW1013:_count.ToString()|}; }
            """));
        Assert.Contains("[OnResponseHeaders]", d.Single().GetMessage());
    }

    [Fact]
    public async Task HotPath_attribute_makes_a_member_hot_with_its_own_Allow()
    {
        var d = await VerifyAsync(Code.Filter("""
                [HotPath]
                public string Format() => {|PXW1013:_count.ToString()|};
                [HotPath(Allow = HotPathAllow.Strings)]
                public string Allowed() => _count.ToString() + {|PXW1016:_list.First()|};
                [HotPath]
                public string Property => {|PXW1011:$"{_count}"|};
            """));
        Assert.Contains("in [HotPath] TestFilter.Format", d[0].GetMessage());
    }

    [Fact]
    public async Task Configuration_hooks_are_not_hot_but_tick_is() => await VerifyAsync(Code.Usings + """
        public sealed class Plugin
        {
            private string _config = "";
            private int _ticks;
            [OnVmStart]
            public bool OnVmStart(ReadOnlySpan<byte> vm) { _config = Encoding.UTF8.GetString(vm).Trim(); return true; }
            [OnConfigure]
            public bool OnConfigure(ReadOnlySpan<byte> config) { _config = string.Join(",", Encoding.UTF8.GetString(config).Split(',')); return true; }
            [OnTick]
            public void OnTick() { _config = {|PXW1013:_ticks.ToString()|}; _ticks++; s_lastTick = _ticks; }
            private static int s_lastTick;
        }

        [HttpFilter("test", Plugin = typeof(Plugin))]
        public partial class Filter
        {
            [OnRequestHeaders]
            public void OnRequestHeaders(RequestHeaders headers) { }
        }
        """);

    [Fact]
    public async Task Generated_code_is_not_analyzed()
    {
        CSharpCompilation compilation = Compile(
            ("/src/Filter.cs", Code.Hook("        Generated.Helper();")),
            ("/src/Filter.g.cs", "// <auto-generated/>\npublic static class Generated { public static string Helper() => 1.ToString() + new object(); }"));
        Assert.Empty(await AnalyzeAsync(compilation));
    }

    [Fact]
    public async Task Nothing_is_reported_without_the_runtime()
    {
        CSharpCompilation compilation = CSharpCompilation.Create("NoRuntime",
            new[] { CSharpSyntaxTree.ParseText("public class C { public string M() => 1.ToString() + new object(); public void N() => System.Console.WriteLine(\"x\"); }", AnalyzerHarness.ParseOptions) },
            References.Where(r => !r.Display!.Contains("ProxyWasm.Runtime")), AnalyzerHarness.CompilationOptions);
        Assert.Empty(await AnalyzeAsync(compilation));
    }

    [Fact]
    public async Task PXW2009_static_writes_from_a_hook_and_its_callees()
    {
        var d = await VerifyAsync(Code.Hook("""
                    {|PXW2009:s_requests|}++;
                    _count++;
                    Remember();
                    Interlocked.Increment(ref {|PXW2009:s_total|});
                    {|PXW2009:s_stats.Count|} = 1;
                    _count += s_requests + s_readonly.Length;
            """, """
                private static int s_requests;
                private static int s_total;
                private static Stats s_stats;
                private static readonly int[] s_readonly = { 1 };
                private struct Stats { public int Count; }
                private void Remember() => {|PXW2009:s_last|} = _count;
                private static int s_last;
            """));
        Assert.Contains("Writing static 'TestFilter.s_requests' in OnRequestHeaders shares", d.First().GetMessage());
        Assert.Contains("Writing static 'TestFilter.s_last' in TestFilter.Remember, called from TestFilter.OnRequestHeaders shares", d.Last().GetMessage());
    }

    [Fact]
    public async Task Severity_comes_from_editorconfig()
    {
        string markup = Code.Hook("""
                    _name = {|PXW1013:_count.ToString()|};
                    var sb = new StringBuilder();
                    _ = sb;
            """);
        (string source, _) = Markup.Parse(markup);
        AnalyzerConfig config = AnalyzerConfig.Parse("""
            root = true
            [*.cs]
            dotnet_diagnostic.PXW1001.severity = none
            dotnet_diagnostic.PXW1013.severity = error
            """, "/src/.editorconfig");
        AnalyzerConfigSet set = AnalyzerConfigSet.Create(new[] { config });
        CSharpCompilation compilation = Compile(("/src/Test0.cs", source));
        compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new EditorConfigOptions(set)));

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(compilation);

        Diagnostic single = Assert.Single(diagnostics);
        Assert.Equal("PXW1013", single.Id);
        Assert.Equal(DiagnosticSeverity.Error, single.Severity);
    }

    /// <summary>Severities per tree from a parsed .editorconfig, as the compiler's own provider does.</summary>
    private sealed class EditorConfigOptions : SyntaxTreeOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;

        public EditorConfigOptions(AnalyzerConfigSet set) => _set = set;

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }
}
