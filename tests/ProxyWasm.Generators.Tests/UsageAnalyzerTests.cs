using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// Every usage rule on a failing input (PXW0001..PXW0015 here, the others in the other parts of the class): ID,
/// location (the <c>[|...|]</c> span) and message. Each input also contains a valid filter (<see cref="GoodFilter"/>):
/// the generator must not fail, must emit no glue for a filter with an error, and the module built from the remaining
/// filters must compile.
/// </summary>
public sealed partial class UsageAnalyzerTests
{
    private const string GoodFilter = """
        using ProxyWasm;

        namespace Filters.Good;

        [HttpFilter("good")]
        public partial class GoodFilter
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers(RequestHeaders headers) => FilterHeadersStatus.Continue;
        }
        """;

    private const string GoodGlue = "Filters.Good.GoodFilter.ProxyWasm.g.cs";

    [Fact]
    public void Descriptors_cover_every_id_and_are_documented_and_tracked()
    {
        ImmutableArray<DiagnosticDescriptor> descriptors = new UsageAnalyzer().SupportedDiagnostics;
        string[] readme = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "diagnostics", "README.md"));
        string[] releases = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "src", "Generators", "AnalyzerReleases.Unshipped.md"));

        Assert.Equal(Enumerable.Range(1, 15).Append(19).Concat(Enumerable.Range(20, 5)).Select(i => $"PXW{i:0000}"), descriptors.Select(d => d.Id));
        foreach (DiagnosticDescriptor d in descriptors)
        {
            Assert.Equal("ProxyWasm.Usage", d.Category);
            Assert.Equal(d.Id switch { "PXW0015" => DiagnosticSeverity.Info, "PXW0024" => DiagnosticSeverity.Warning, _ => DiagnosticSeverity.Error }, d.DefaultSeverity);
            Assert.True(d.IsEnabledByDefault);
            Assert.Equal($"https://github.com/proxywasm-generators/ProxyWasm.Generators/blob/main/docs/diagnostics/{d.Id}.md", d.HelpLinkUri);

            string page = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "diagnostics", d.Id + ".md"));
            Assert.StartsWith($"# {d.Id}: {d.Title}\n", page);
            Assert.Contains($"| Severity | {d.DefaultSeverity} |", page);
            Assert.Contains("## Bad", page);
            Assert.Contains("## Good", page);
            Assert.Contains("## Why", page);

            string row = Assert.Single(readme, line => line.StartsWith($"| [{d.Id}]({d.Id}.md) |", StringComparison.Ordinal));
            Assert.Equal($"| [{d.Id}]({d.Id}.md) | {d.Title} | {d.Category} | {d.DefaultSeverity} | no |", row);
            string release = Assert.Single(releases, line => line.StartsWith(d.Id + " ", StringComparison.Ordinal));
            Assert.StartsWith($"{d.Id} | {d.Category} | {d.DefaultSeverity} | UsageAnalyzer, ", release);
            Assert.Equal(d.Id == "PXW0005", d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));
        }
    }

    [Fact]
    public Task PXW0001_class_not_partial() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("hello_world")]
        public class [|HelloWorld|]
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0001", "'HelloWorld' must be partial for the generator to add its glue: declare it 'public partial class HelloWorld'"));

    [Fact]
    public Task PXW0001_keeps_the_other_modifiers_and_the_keyword() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("s")]
        internal struct [|Counter|]
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [HttpFilter("r")]
        internal sealed record [|Recorder|]
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0001", "'Counter' must be partial for the generator to add its glue: declare it 'internal partial struct Counter'"),
        ("PXW0001", "'Recorder' must be partial for the generator to add its glue: declare it 'internal sealed partial record Recorder'"));

    [Fact]
    public Task PXW0002_parameter_type_the_callback_does_not_provide() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class F
        {
            [OnRequestHeaders] public void Headers(RequestHeaders headers, string [|name|]) { }
        }
        """,
        glue: None,
        ("PXW0002", "Parameter 'name' of type 'string' cannot be bound to [OnRequestHeaders] method 'Headers': remove it, or use parameters of these types, each once and by value: RequestHeaders, RequestTrailers, ResponseHeaders, ResponseTrailers, int (number of headers), bool (end of stream), HttpStream"));

    [Fact]
    public Task PXW0002_by_reference_and_callback_specific_parameters() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class P
        {
        }

        [HttpFilter("f", Plugin = typeof(P))]
        public partial class F
        {
            [OnRequestTrailers] public void Trailers(bool [|end|]) { }
            [OnResponseHeaders] public void Headers(ref ResponseHeaders [|headers|]) { }
            [OnLog] public void Log(RequestBody [|body|]) { }
        }
        """,
        glue: None,
        ("PXW0002", "Parameter 'end' of type 'bool' cannot be bound to [OnRequestTrailers] method 'Trailers': remove it, or use parameters of these types, each once and by value: RequestHeaders, RequestTrailers, ResponseHeaders, ResponseTrailers, int (number of trailers), HttpStream, P"),
        ("PXW0002", "Parameter 'headers' of type 'ResponseHeaders' cannot be bound to [OnResponseHeaders] method 'Headers': remove it, or use parameters of these types, each once and by value: RequestHeaders, RequestTrailers, ResponseHeaders, ResponseTrailers, int (number of headers), bool (end of stream), HttpStream, P"),
        ("PXW0002", "Parameter 'body' of type 'RequestBody' cannot be bound to [OnLog] method 'Log': remove it, or use parameters of these types, each once and by value: RequestHeaders, RequestTrailers, ResponseHeaders, ResponseTrailers, HttpStream, P"));

    [Fact]
    public Task PXW0002_plugin_hook_parameter() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class P
        {
            [OnTick] public void Tick(int [|count|]) { }
        }

        [HttpFilter("f", Plugin = typeof(P))]
        public partial class F
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0002", "Parameter 'count' of type 'int' cannot be bound to [OnTick] method 'Tick': remove it, or use parameters of these types, each once and by value: none ([OnTick] takes no parameters)"));

    [Fact]
    public Task PXW0002_and_PXW0003_callout_answer_hooks_on_the_filter_and_on_the_plugin() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class P
        {
            [OnHttpCallResponse] public void Polled(HttpCallResponse response, HttpStream [|stream|]) { }
        }

        [HttpFilter("f", Plugin = typeof(P))]
        public partial class F
        {
            [OnHttpCallResponse] public bool [|Answer|](HttpCallResponse response, int [|status|]) => true;
        }
        """,
        glue: None,
        ("PXW0002", "Parameter 'stream' of type 'HttpStream' cannot be bound to [OnHttpCallResponse] method 'Polled': remove it, or use parameters of these types, each once and by value: HttpCallResponse"),
        ("PXW0003", "[OnHttpCallResponse] method 'Answer' returns 'bool', which the glue cannot pass to the host: return void"),
        ("PXW0002", "Parameter 'status' of type 'int' cannot be bound to [OnHttpCallResponse] method 'Answer': remove it, or use parameters of these types, each once and by value: HttpCallResponse, RequestHeaders, RequestTrailers, ResponseHeaders, ResponseTrailers, HttpStream, P"));

    [Fact]
    public Task PXW0003_return_type() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class F
        {
            [OnRequestHeaders] public FilterDataStatus [|Headers|]() => FilterDataStatus.Continue;
            [OnStreamDone] public int [|Done|]() => 1;
        }
        """,
        glue: None,
        ("PXW0003", "[OnRequestHeaders] method 'Headers' returns 'FilterDataStatus', which the glue cannot pass to the host: return FilterHeadersStatus or void"),
        ("PXW0003", "[OnStreamDone] method 'Done' returns 'int', which the glue cannot pass to the host: return bool (true: the host may finish the stream now) or void"));

    [Fact]
    public Task PXW0004_two_hooks_for_one_callback() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class F
        {
            [OnRequestHeaders] public void First() { }
            [OnRequestHeaders] public void [|Second|]() { }
        }
        """,
        glue: None,
        ("PXW0004", "'Second' is a second [OnRequestHeaders] method, but 'First' already handles that callback: merge them into one method"));

    [Fact]
    public Task PXW0004_two_plugin_hooks_for_one_callback() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        public class P
        {
            [OnConfigure] public bool Configure(ReadOnlySpan<byte> configuration) => true;
            [OnConfigure] public void [|ConfigureAgain|]() { }
        }

        [HttpFilter("f", Plugin = typeof(P))]
        public partial class F
        {
            [OnRequestHeaders] public void Headers(P plugin) { }
        }
        """,
        glue: None,
        ("PXW0004", "'ConfigureAgain' is a second [OnConfigure] method, but 'Configure' already handles that callback: merge them into one method"));

    [Fact]
    public async Task PXW0005_two_filters_with_one_root_id_are_reported_on_each()
    {
        await Verify("""
            using ProxyWasm;

            namespace Filters;

            [[|HttpFilter("shared")|]]
            public partial class Alpha
            {
                [OnRequestHeaders] public void Headers() { }
            }

            [[|HttpFilter("shared")|]]
            public partial class Beta
            {
                [OnRequestHeaders] public void Headers() { }
            }

            [[|HttpFilter("shared")|]]
            public partial struct Gamma
            {
                [OnRequestHeaders] public void Headers() { }
            }
            """,
            glue: new[] { "Filters.Alpha", "Filters.Beta", "Filters.Gamma" },
            ("PXW0005", "Root id \"shared\" of 'Alpha' is also used by 'Beta' and 'Gamma': give each [HttpFilter] its own root id"),
            ("PXW0005", "Root id \"shared\" of 'Beta' is also used by 'Alpha' and 'Gamma': give each [HttpFilter] its own root id"),
            ("PXW0005", "Root id \"shared\" of 'Gamma' is also used by 'Alpha' and 'Beta': give each [HttpFilter] its own root id"));
    }

    [Fact]
    public Task PXW0006_generic_abstract_and_static_filters() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("g")]
        public partial class [|Generic|]<T>
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [HttpFilter("a")]
        public abstract partial class [|Abstract|]
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [HttpFilter("s")]
        public static partial class [|Static|]
        {
        }
        """,
        glue: None,
        ("PXW0006", "'Generic' cannot be an [HttpFilter] type: declare it as a non-generic, non-abstract, non-static class or struct"),
        ("PXW0006", "'Abstract' cannot be an [HttpFilter] type: declare it as a non-generic, non-abstract, non-static class or struct"),
        ("PXW0006", "'Static' cannot be an [HttpFilter] type: declare it as a non-generic, non-abstract, non-static class or struct"));

    [Fact]
    public Task PXW0007_nested_filter() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public partial class Outer
        {
            [HttpFilter("n")]
            public partial class [|Inner|]
            {
                [OnRequestHeaders] public void Headers() { }
            }
        }
        """,
        glue: None,
        ("PXW0007", "'Inner' is nested in 'Outer': declare the [HttpFilter] type directly in a namespace"));

    [Fact]
    public Task PXW0008_static_generic_and_accessor_hooks() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class F
        {
            [OnRequestHeaders] public static void [|Headers|]() { }
            [OnResponseHeaders] public void [|Response|]<T>() { }
            public int Count { [OnLog] [|get|] => 0; }
        }
        """,
        glue: None,
        ("PXW0008", "[OnRequestHeaders] method 'Headers' must be an ordinary instance method: remove 'static', 'abstract' and type parameters, and do not put hook attributes on accessors, operators or explicit interface implementations"),
        ("PXW0008", "[OnResponseHeaders] method 'Response' must be an ordinary instance method: remove 'static', 'abstract' and type parameters, and do not put hook attributes on accessors, operators or explicit interface implementations"),
        ("PXW0008", "[OnLog] method 'get_Count' must be an ordinary instance method: remove 'static', 'abstract' and type parameters, and do not put hook attributes on accessors, operators or explicit interface implementations"));

    private static (Compilation Input, IReadOnlyList<TextSpan> Spans) Input(string markup)
    {
        (string source, IReadOnlyList<TextSpan> spans) = Markup.Parse(markup);
        return (TestCompilation.Create(("Input.cs", source), ("Good.cs", GoodFilter)), spans);
    }

    private static readonly string[] None = Array.Empty<string>();

    /// <summary>
    /// Checks that the analyzer reports exactly <paramref name="expected"/> (ID and message, in source order) at the
    /// marked spans; that the input compiles (with what System.Text.Json's generator adds to its contexts); that the generator neither throws nor reports CS8785; that exactly the
    /// filters in <paramref name="glue"/> (display names) and the valid <see cref="GoodFilter"/> get glue and a place in
    /// the module; and that the output compiles without errors.
    /// </summary>
    private static async Task Verify(string markup, string[] glue, params (string Id, string Message)[] expected)
    {
        (Compilation input, IReadOnlyList<TextSpan> spans) = Input(markup);
        Assert.Equal(expected.Length, spans.Count);
        // A JsonSerializerContext compiles once System.Text.Json's generator has added its members, as in a real build.
        Assert.Empty(TestCompilation.WithJsonContexts(input).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(TestCompilation.Format));

        GeneratorRun run = TestCompilation.Run(input);
        ImmutableArray<Diagnostic> diagnostics = await TestCompilation.AnalyzeAsync(run.Output);

        Assert.Equal(
            expected.Select((e, i) => $"{e.Id} Input.cs {spans[i]}: {e.Message}").ToArray(),
            diagnostics.Select(d => $"{d.Id} {d.Location.SourceTree?.FilePath} {d.Location.SourceSpan}: {d.GetMessage()}").ToArray());

        string[] filters = glue.Append("Filters.Good.GoodFilter").OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            filters.Select(n => n + ".ProxyWasm.g.cs").Append("ProxyWasmModule.g.cs").ToArray(),
            run.HintNames.OrderBy(n => n, StringComparer.Ordinal).ToArray());
        string module = run.Files.Single(f => f.HintName == "ProxyWasmModule.g.cs").Text;
        Assert.Equal(
            filters,
            Regex.Matches(module, @"global::([\w.]+)\.ProxyWasmGlue").Select(m => m.Groups[1].Value).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray());
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(TestCompilation.Format));
    }
}
