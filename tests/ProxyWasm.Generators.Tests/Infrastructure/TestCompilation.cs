using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Filters;

namespace ProxyWasm.Generators.Tests.Infrastructure;

/// <summary>One generated file: its hint name and text.</summary>
internal sealed record GeneratedFile(string HintName, string Text);

/// <summary>What one run of the filter generator produced.</summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    Compilation Output,
    ImmutableArray<Diagnostic> DriverDiagnostics,
    GeneratorRunResult Result)
{
    public IReadOnlyList<GeneratedFile> Files => Result.GeneratedSources.Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToList();

    public IEnumerable<string> HintNames => Result.GeneratedSources.Select(s => s.HintName);
}

/// <summary>In-memory filter compilations: net10.0 reference assemblies + ProxyWasm.Runtime.dll, nullable enabled,
/// unsafe code off, documentation comments checked.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>The net10.0 reference pack the test project compiled against.</summary>
    public static readonly ImmutableArray<MetadataReference> NetCoreReferences = Directory
        .GetFiles(TestPaths.NetCoreReferenceDirectory, "*.dll")
        .OrderBy(path => path, StringComparer.Ordinal)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    /// <summary>The net10.0 reference pack plus the built ProxyWasm.Runtime.dll.</summary>
    public static readonly ImmutableArray<MetadataReference> References = NetCoreReferences
        .Add(MetadataReference.CreateFromFile(typeof(HttpFilterAttribute).Assembly.Location));

    public static readonly CSharpCompilationOptions Options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        .WithNullableContextOptions(NullableContextOptions.Enable)
        .WithAllowUnsafe(false)
        .WithDeterministic(true)
        // Missing XML docs on the test inputs' public types are not about the generated code.
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress });

    /// <summary>A compilation of the given sources, named Filter0.cs, Filter1.cs...</summary>
    public static CSharpCompilation Create(params string[] sources)
        => Create(sources.Select((text, i) => ($"Filter{i}.cs", text)).ToArray());

    public static CSharpCompilation Create(params (string Path, string Text)[] sources)
        => CSharpCompilation.Create(
            "Filters",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
            References,
            Options);

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    /// <summary>A driver for the filter generator that tracks its steps; <paramref name="buildProperties"/> are the
    /// <c>build_property.*</c> options a build would pass (none by default).</summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator? generator = null, IReadOnlyDictionary<string, string>? buildProperties = null)
        => CSharpGeneratorDriver.Create(
            new[] { (generator ?? new FilterGenerator()).AsSourceGenerator() },
            parseOptions: ParseOptions,
            optionsProvider: buildProperties is null ? null : new BuildPropertyOptions(buildProperties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and checks it did not fail (no exception, no CS8784/CS8785).</summary>
    public static GeneratorRun Run(Compilation input, IIncrementalGenerator? generator = null, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        GeneratorDriver driver = CreateDriver(generator, buildProperties).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw: " + result.Exception);
        }

        Diagnostic? failure = diagnostics.Concat(result.Diagnostics).FirstOrDefault(d => d.Id is "CS8784" or "CS8785");
        if (failure is not null)
        {
            throw new InvalidOperationException("The generator failed: " + failure);
        }

        return new GeneratorRun(driver, WithJsonContexts(output), diagnostics, result);
    }

    /// <summary>System.Text.Json's source generator, which a filter with a typed configuration needs as a real build has it.</summary>
    public static readonly Lazy<ISourceGenerator> JsonGenerator = new(() => ProxyWasm.Tests.Shared.SystemTextJsonGenerator.Load(TestPaths.NetCoreReferenceDirectory));

    /// <summary><paramref name="compilation"/> with the code of its JsonSerializerContexts, when it has any.</summary>
    public static Compilation WithJsonContexts(Compilation compilation)
    {
        if (!compilation.SyntaxTrees.Any(t => t.ToString().Contains("JsonSerializerContext", StringComparison.Ordinal))
            || compilation.SyntaxTrees.Any(t => t.FilePath.Contains("System.Text.Json.SourceGeneration", StringComparison.Ordinal)))
        {
            return compilation;
        }

        CSharpGeneratorDriver.Create(new[] { JsonGenerator.Value }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return output;
    }

    /// <summary>Errors and warnings of a compilation, formatted one a line (empty when it is clean).</summary>
    public static string[] Problems(Compilation compilation)
        => compilation.GetDiagnostics()
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .Select(Format)
            .ToArray();

    /// <summary>Runs <paramref name="analyzer"/> (default <see cref="UsageAnalyzer"/>); an analyzer exception fails the
    /// test instead of becoming AD0001.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, DiagnosticAnalyzer? analyzer = null)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: static (exception, analyzer, _) => throw new InvalidOperationException($"{analyzer} threw", exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var analyzers = new CompilationWithAnalyzers(compilation, ImmutableArray.Create(analyzer ?? new UsageAnalyzer()), options);
        ImmutableArray<Diagnostic> all = await analyzers.GetAllDiagnosticsAsync();
        Diagnostic? crash = all.FirstOrDefault(d => d.Id == "AD0001");
        if (crash is not null)
        {
            throw new InvalidOperationException("Analyzer failure: " + crash);
        }

        ImmutableArray<Diagnostic> result = await analyzers.GetAnalyzerDiagnosticsAsync();
        return result
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    public static string Format(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} {diagnostic.Severity} {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic.GetMessage()}";
    }
}
