using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>The glue generated for each valid input: snapshots, "the output compiles", and the analyzer's verdict.</summary>
public sealed class FilterGeneratorTests
{
    [Theory]
    [MemberData(nameof(FilterCases.Names), MemberType = typeof(FilterCases))]
    public void Snapshot_matches(string name)
    {
        FilterCase c = FilterCases.Get(name);
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(c.Sources));

        Assert.Contains("ProxyWasmModule.g.cs", run.HintNames);
        Infrastructure.Snapshot.Verify(c.Name, run.Files);
    }

    [Theory]
    [MemberData(nameof(FilterCases.Names), MemberType = typeof(FilterCases))]
    public void Output_compiles_without_errors_or_warnings(string name)
    {
        FilterCase c = FilterCases.Get(name);
        Compilation input = TestCompilation.Create(c.Sources);
        Assert.Empty(TestCompilation.Problems(TestCompilation.WithJsonContexts(input)));

        GeneratorRun run = TestCompilation.Run(input);

        Assert.Empty(TestCompilation.Problems(run.Output));
        using var stream = new System.IO.MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Select(TestCompilation.Format)));
    }

    [Theory]
    [MemberData(nameof(FilterCases.Names), MemberType = typeof(FilterCases))]
    public async Task Analyzer_reports_nothing_on_valid_filters(string name)
    {
        FilterCase c = FilterCases.Get(name);
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(c.Sources));

        var diagnostics = await TestCompilation.AnalyzeAsync(run.Output);

        Assert.Equal(c.ExpectedDiagnostics, diagnostics.Select(d => d.Id).ToArray());
    }

    [Fact]
    public void Each_filter_gets_one_glue_file_and_the_module_lists_every_filter_in_name_order()
    {
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(FilterCases.Get("TwoFilters").Sources));

        Assert.Equal(
            new[] { "Filters.Auth.AuthFilter.ProxyWasm.g.cs", "Filters.Metrics.MetricsFilter.ProxyWasm.g.cs", "ProxyWasmModule.g.cs" },
            run.HintNames.OrderBy(n => n, System.StringComparer.Ordinal).ToArray());
        string module = run.Files.Single(f => f.HintName == "ProxyWasmModule.g.cs").Text;
        Assert.Contains("//   0: Filters.Auth.AuthFilter, \"auth\"", module);
        Assert.Contains("//   1: Filters.Metrics.MetricsFilter, \"metrics\"", module);
        Assert.Contains("int filter = SelectFilter();", module);
    }

    [Fact]
    public void A_compilation_without_filters_gets_no_module()
    {
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create("namespace Plain; public class NotAFilter { }"));

        Assert.Empty(run.HintNames);
    }

    [Fact]
    public void Root_ids_with_quotes_backslashes_and_line_breaks_stay_inside_their_literals()
    {
        const string source = """
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("a\"b\\c\nd\u2028e")]
            public partial class OddRootId
            {
                [OnRequestHeaders] public void Headers() { }
            }

            [HttpFilter("plain")]
            public partial class PlainRootId
            {
                [OnRequestHeaders] public void Headers() { }
            }
            """;
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(source));

        Assert.Empty(TestCompilation.Problems(run.Output));
        string glue = run.Files.Single(f => f.HintName == "Filters.OddRootId.ProxyWasm.g.cs").Text;
        Assert.Contains("RootId => \"a\\\"b\\\\c\\u000ad\\u2028e\"u8;", glue);
    }
}
