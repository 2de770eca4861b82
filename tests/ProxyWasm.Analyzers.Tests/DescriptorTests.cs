using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using ProxyWasm.Analyzers.HotPath;
using ProxyWasm.Analyzers.Sandbox;
using ProxyWasm.Analyzers.Tests.Harness;
using ProxyWasm.CodeFixes;
using Xunit;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>Every descriptor has its ID range, category, help link, release-tracking row and docs page and table row,
/// and the docs say which rules have a fix.</summary>
public class DescriptorTests
{
    /// <summary>One descriptor per rule: each rule also has an untagged twin for the IDE's live analysis
    /// (<see cref="IdeLiveAnalysisTests"/>), which differs only in that tag.</summary>
    private static IEnumerable<DiagnosticDescriptor> Rules() =>
        new HotPathAnalyzer().SupportedDiagnostics.Concat(new SandboxAnalyzer().SupportedDiagnostics)
            .Where(d => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));

    public static IEnumerable<object[]> Descriptors() => Rules().Select(d => new object[] { d.Id });

    private static DiagnosticDescriptor Find(string id) => Rules().Single(d => d.Id == id);

    private static readonly string[] s_fixed = new[]
    {
        new U8LiteralCodeFix().FixableDiagnosticIds, new SequenceEqualCodeFix().FixableDiagnosticIds, new FoldLiteralsCodeFix().FixableDiagnosticIds,
        new StaticReadonlyArrayCodeFix().FixableDiagnosticIds, new ConsoleToLogCodeFix().FixableDiagnosticIds,
    }.SelectMany(ids => ids).ToArray();

    [Fact]
    public void Ids_are_unique_and_cover_both_ranges()
    {
        string[] ids = Descriptors().Select(d => (string)d[0]).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(20, ids.Count(i => i.StartsWith("PXW1")));
        Assert.Equal(9, ids.Count(i => i.StartsWith("PXW2")));
    }

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_is_documented_and_tracked(string id)
    {
        DiagnosticDescriptor descriptor = Find(id);
        Assert.Equal(id.StartsWith("PXW1") ? "ProxyWasm.Performance" : "ProxyWasm.Sandbox", descriptor.Category);
        Assert.Equal(DiagnosticHelp.HelpLink(id), descriptor.HelpLinkUri);
        Assert.EndsWith("/docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri);

        string root = AnalyzerHarness.RepoRoot();
        string page = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", id + ".md"));
        Assert.StartsWith("# " + id + ": " + descriptor.Title, page);
        Assert.Contains("| Severity | " + descriptor.DefaultSeverity + " |", page);
        Assert.Contains("## Bad", page);
        Assert.Contains("## Good", page);

        string severity = descriptor.DefaultSeverity.ToString();
        string row = File.ReadAllLines(Path.Combine(root, "docs", "diagnostics", "README.md")).Single(l => l.StartsWith("| [" + id + "]"));
        Assert.Contains("| " + descriptor.Title + " | " + descriptor.Category + " | " + severity + " | ", row);
        Assert.Equal(s_fixed.Contains(id), row.Contains("| yes"));

        string release = File.ReadAllLines(Path.Combine(root, "src", "Analyzers", "AnalyzerReleases.Unshipped.md")).Single(l => l.StartsWith(id + " "));
        Assert.StartsWith(id + " | " + descriptor.Category + " | " + severity + " |", release);
    }
}
