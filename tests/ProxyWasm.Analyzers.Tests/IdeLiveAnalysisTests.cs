using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProxyWasm.Analyzers.HotPath;
using ProxyWasm.Analyzers.Sandbox;
using ProxyWasm.Analyzers.Tests.Harness;
using ProxyWasm.Generators.Filters;
using Xunit;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>
/// What the IDE shows while the author types. Roslyn's live analysis asks a document's semantic diagnostics
/// (<see cref="CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(SemanticModel, Microsoft.CodeAnalysis.Text.TextSpan?, System.Threading.CancellationToken)"/>,
/// which runs no compilation-end action) and keeps only IDs that have a descriptor without the CompilationEnd tag.
/// </summary>
public sealed class IdeLiveAnalysisTests
{
    [Fact]
    public void Every_rule_has_a_descriptor_the_live_analysis_keeps()
    {
        foreach (DiagnosticAnalyzer analyzer in new DiagnosticAnalyzer[] { new HotPathAnalyzer(), new SandboxAnalyzer() })
        {
            ImmutableArray<DiagnosticDescriptor> supported = analyzer.SupportedDiagnostics;
            foreach (string id in supported.Select(d => d.Id).Distinct())
            {
                Assert.Contains(supported, d => d.Id == id && !d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));
                Assert.Contains(supported, d => d.Id == id && d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));
            }
        }
    }

    [Fact]
    public async Task Hook_findings_and_sandbox_uses_are_reported_while_the_document_is_analyzed()
    {
        string source = Code.Hook("""
                    string greeting = "Hello " + _count.ToString();
                    var client = new System.Net.Http.HttpClient();
                    Task.Run(static () => 1);
                    headers.Replace("x"u8, Encoding.UTF8.GetBytes(greeting));
            """);
        CSharpCompilation compilation = AnalyzerHarness.Compile(source);
        CSharpGeneratorDriver.Create(new FilterGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation withGlue, out _);
        Assert.NotNull(withGlue.Assembly.GetTypeByMetadataName("ProxyWasm.Generated.ProxyWasmModule"));

        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new HotPathAnalyzer(), new SandboxAnalyzer());
        var withAnalyzers = new CompilationWithAnalyzers(withGlue, analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (exception, _, _) => throw exception, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        SyntaxTree filterTree = withGlue.SyntaxTrees.First();
        ImmutableArray<Diagnostic> live = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(withGlue.GetSemanticModel(filterTree), null, CancellationToken.None);

        string[] ids = live.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.Contains("PXW1001", ids); // new HttpClient
        Assert.Contains("PXW1010", ids); // concatenation
        Assert.Contains("PXW1013", ids); // ToString
        Assert.Contains("PXW1014", ids); // Encoding.GetBytes
        Assert.Contains("PXW2001", ids); // Task.Run
        Assert.Contains("PXW2003", ids); // HttpClient
        Assert.All(live, d => Assert.DoesNotContain(WellKnownDiagnosticTags.CompilationEnd, d.Descriptor.CustomTags));
    }

    [Fact]
    public async Task Without_the_generated_module_sandbox_uses_wait_for_compilation_end()
    {
        string source = Code.Hook("""
                    Task.Run(static () => 1);
            """);
        CSharpCompilation compilation = AnalyzerHarness.Compile(source);
        var withAnalyzers = new CompilationWithAnalyzers(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new SandboxAnalyzer()), new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (exception, _, _) => throw exception, concurrentAnalysis: false, logAnalyzerExecutionTime: false));

        ImmutableArray<Diagnostic> live = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(compilation.SyntaxTrees.First()), null, CancellationToken.None);
        ImmutableArray<Diagnostic> all = await withAnalyzers.GetAnalyzerDiagnosticsAsync();

        Assert.DoesNotContain(live, d => d.Id == "PXW2001");
        Diagnostic atEnd = Assert.Single(all, d => d.Id == "PXW2001");
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, atEnd.Descriptor.CustomTags);
    }
}
