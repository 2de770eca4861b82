using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProxyWasm.Analyzers.Tests.Harness;
using ProxyWasm.Generators.Filters;
using Xunit;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>
/// Whole filters, as a build compiles them: the samples/ projects and the committed corpus of realistic filters, with
/// the generator's glue added. Written the allocation-free way, they must produce no PXW1xxx/PXW2xxx diagnostic.
/// </summary>
public class FilterProjectTests
{
    /// <summary>Every sample project: each folder under samples/ with a project of its name (samples/Shared holds
    /// files the projects link).</summary>
    public static IEnumerable<object[]> Samples()
    {
        string samples = Path.Combine(AnalyzerHarness.RepoRoot(), "samples");
        return Directory.GetDirectories(samples)
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")) && SourceFiles(d).Any())
            .Select(d => new object[] { Path.GetFileName(d) })
            .OrderBy(d => (string)d[0], StringComparer.Ordinal);
    }

    /// <summary>Every corpus filter embedded in this assembly.</summary>
    public static IEnumerable<object[]> Corpus() =>
        typeof(FilterProjectTests).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Corpus/", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new object[] { n });

    /// <summary>The C# files a sample project compiles: those in its folder (obj/ and bin/ excluded) and those its
    /// project links with <c>&lt;Compile Include="..."/&gt;</c>.</summary>
    private static IEnumerable<string> SourceFiles(string directory)
    {
        IEnumerable<string> own = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"));
        string project = Path.Combine(directory, Path.GetFileName(directory) + ".csproj");
        IEnumerable<string> linked = File.Exists(project)
            ? System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(project), "<Compile Include=\"([^\"]+\\.cs)\"")
                .Select(m => Path.GetFullPath(Path.Combine(directory, m.Groups[1].Value)))
            : [];
        return own.Concat(linked);
    }

    [Fact]
    public void There_are_samples_and_corpus_filters()
    {
        Assert.True(Samples().Count() >= 1, "no sample under samples/");
        Assert.True(Corpus().Count() >= 5, "the corpus is embedded as Corpus/*.cs resources");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_has_no_hot_path_or_sandbox_diagnostics(string sample)
    {
        string directory = Path.Combine(AnalyzerHarness.RepoRoot(), "samples", sample);
        var sources = SourceFiles(directory).OrderBy(f => f, StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f))).ToArray();
        await AssertCleanAsync(sources);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Corpus_filter_has_no_hot_path_or_sandbox_diagnostics(string resource)
    {
        using Stream stream = typeof(FilterProjectTests).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        await AssertCleanAsync(("/corpus/" + resource, await reader.ReadToEndAsync()));
    }

    /// <summary>The corpus would pass trivially if the analyzers did not see the filters: an allocating edit of one
    /// corpus file must be reported.</summary>
    [Fact]
    public async Task Corpus_check_detects_an_allocation_added_to_a_corpus_filter()
    {
        string resource = Corpus().Select(c => (string)c[0]).First(n => n.EndsWith("RoutingByHeader.cs", StringComparison.Ordinal));
        using Stream stream = typeof(FilterProjectTests).Assembly.GetManifestResourceStream(resource)!;
        string source = await new StreamReader(stream).ReadToEndAsync();
        string edited = source.Replace("ReadOnlySpan<byte> tenant = headers.GetValue(\"x-tenant\"u8);",
            "ReadOnlySpan<byte> tenant = System.Text.Encoding.UTF8.GetBytes(headers.GetValueString(\"x-tenant\"u8) ?? \"\");");
        Assert.NotEqual(source, edited);
        Compilation compilation = await GenerateAsync(("/corpus/edited.cs", edited));
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.AnalyzeAsync(compilation);
        Assert.Contains(diagnostics, d => d.Id == "PXW1013");
        Assert.Contains(diagnostics, d => d.Id == "PXW1014");
    }

    private static async Task AssertCleanAsync(params (string Path, string Source)[] sources)
    {
        Compilation compilation = await GenerateAsync(sources);
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.AnalyzeAsync(compilation);
        Diagnostic[] ours = diagnostics.Where(d => d.Id.StartsWith("PXW1", StringComparison.Ordinal) || d.Id.StartsWith("PXW2", StringComparison.Ordinal)).ToArray();
        Assert.True(ours.Length == 0, string.Join("\n", ours.Select(d => d.ToString())));
    }

    /// <summary>Compiles the sources and adds the output of every generator of ProxyWasm.Generators, as a filter
    /// project's build does; the result must compile.</summary>
    private static Task<Compilation> GenerateAsync(params (string Path, string Source)[] sources)
    {
        CSharpCompilation compilation = AnalyzerHarness.Compile(sources);
        IIncrementalGenerator[] generators = typeof(FilterGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t) && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .Select(t => (IIncrementalGenerator)Activator.CreateInstance(t)!)
            .ToArray();
        Assert.Contains(generators, g => g is FilterGenerator);
        string referenceDirectory = Path.GetDirectoryName(AnalyzerHarness.References.Select(r => r.Display!).First(d => d.EndsWith("System.Runtime.dll", StringComparison.Ordinal)))!;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            generators.Select(GeneratorExtensions.AsSourceGenerator).Append(ProxyWasm.Tests.Shared.SystemTextJsonGenerator.Load(referenceDirectory)),
            parseOptions: AnalyzerHarness.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Assert.DoesNotContain(generatorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(output.SyntaxTrees.Count() > compilation.SyntaxTrees.Count(), "the generator emitted nothing");
        AnalyzerHarness.AssertNoErrors(output);
        return Task.FromResult(output);
    }
}
