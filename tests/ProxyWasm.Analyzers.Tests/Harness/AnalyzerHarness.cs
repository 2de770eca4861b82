using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ProxyWasm.Analyzers.HotPath;
using ProxyWasm.Analyzers.Sandbox;
using Xunit;

namespace ProxyWasm.Analyzers.Tests.Harness;

/// <summary>
/// Compiles sources in memory against the net10.0 reference assemblies and the built ProxyWasm.Runtime.dll, and runs
/// the ProxyWasm analyzers with <see cref="CompilationWithAnalyzers"/>; an analyzer exception fails the test.
/// </summary>
internal static class AnalyzerHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        allowUnsafe: true,
        nullableContextOptions: NullableContextOptions.Enable);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        ImmutableArray.Create<DiagnosticAnalyzer>(new HotPathAnalyzer(), new SandboxAnalyzer());

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string list = Path.Combine(AppContext.BaseDirectory, "framework-references.txt");
        Assert.True(File.Exists(list), "framework-references.txt is written by the test project's build");
        var references = File.ReadAllLines(list)
            .Where(l => l.Length > 0)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        Assert.Contains(references, r => r.Display!.EndsWith("System.Runtime.dll", StringComparison.Ordinal));
        references.Add(MetadataReference.CreateFromFile(typeof(ProxyWasm.Log).Assembly.Location));
        return references.ToImmutableArray();
    }

    public static CSharpCompilation Compile(params string[] sources) =>
        Compile(sources.Select((s, i) => ($"/src/Test{i}.cs", s)).ToArray());

    public static CSharpCompilation Compile(params (string Path, string Source)[] sources) =>
        CSharpCompilation.Create("Filter",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Source, ParseOptions, s.Path, Encoding.UTF8)),
            References, CompilationOptions);

    public static void AssertNoErrors(Compilation compilation)
    {
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "compilation errors:\n" + string.Join("\n", errors.Select(e => e.ToString())));
    }

    /// <summary>Runs the analyzers; fails on compile errors, analyzer exceptions and AD0001.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, AnalyzerOptions? options = null, bool requireNoErrors = true)
    {
        if (requireNoErrors)
        {
            AssertNoErrors(compilation);
        }

        var exceptions = new List<Exception>();
        var withAnalyzers = new CompilationWithAnalyzers(compilation, Analyzers,
            new CompilationWithAnalyzersOptions(options ?? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (ex, analyzer, diagnostic) => { lock (exceptions) { exceptions.Add(ex); } },
                concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.True(exceptions.Count == 0, "analyzer threw:\n" + string.Join("\n", exceptions));
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics.Where(d => d.Id.StartsWith("PXW", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>
    /// Checks the diagnostics of a source marked up with <c>{|PXW1001:code|}</c> spans: exactly those IDs at exactly
    /// those spans, and no other PXW diagnostic. Returns the diagnostics for message checks.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(string markup, AnalyzerOptions? options = null, CSharpCompilationOptions? compilationOptions = null)
    {
        (string source, List<(string Id, TextSpan Span)> expected) = Markup.Parse(markup);
        CSharpCompilation compilation = Compile(source);
        if (compilationOptions is not null)
        {
            compilation = compilation.WithOptions(compilationOptions);
        }

        ImmutableArray<Diagnostic> actual = await AnalyzeAsync(compilation, options);
        string Describe(IEnumerable<(string Id, TextSpan Span)> items) =>
            string.Join("\n", items.Select(i => $"  {i.Id} at {i.Span} '{source.Substring(i.Span.Start, i.Span.Length)}'"));
        var actualItems = actual.Select(d => (d.Id, Span: d.Location.SourceSpan)).OrderBy(i => i.Span.Start).ThenBy(i => i.Span.End).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        var expectedItems = expected.OrderBy(i => i.Span.Start).ThenBy(i => i.Span.End).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        Assert.True(actualItems.SequenceEqual(expectedItems),
            $"expected:\n{Describe(expectedItems)}\nactual:\n{Describe(actualItems)}\nmessages:\n{string.Join("\n", actual.Select(d => "  " + d))}");
        return actual;
    }

    /// <summary>The repository root (the folder with ProxyWasm.Generators.sln), found from the test binaries upwards
    /// or from the current directory.</summary>
    public static string RepoRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), ThisFileDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ProxyWasm.Generators.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    private static string ThisFileDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";
}

/// <summary>Parses <c>{|ID:text|}</c> markers (nestable) out of test sources.</summary>
internal static class Markup
{
    public static (string Source, List<(string Id, TextSpan Span)> Spans) Parse(string markup)
    {
        var output = new StringBuilder(markup.Length);
        var spans = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i + 2);
                open.Push((markup.Substring(i + 2, colon - i - 2), output.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                (string id, int start) = open.Pop();
                spans.Add((id, TextSpan.FromBounds(start, output.Length)));
                i++;
            }
            else
            {
                output.Append(markup[i]);
            }
        }

        Assert.Empty(open);
        return (output.ToString(), spans);
    }
}
