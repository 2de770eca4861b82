using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace ProxyWasm.Analyzers.Tests.Harness;

/// <summary>
/// Applies a code fix the way the IDE does, through an <see cref="AdhocWorkspace"/>: the analyzers produce the
/// diagnostics, the provider registers its actions, and the action's operations (with their simplification and
/// formatting) give the new solution. Then checks the result compiles and the fixed diagnostics are gone.
/// </summary>
internal static class FixHarness
{
    /// <summary>Fixes the first fixable diagnostic (or all of them with <paramref name="fixAll"/>) and returns the new text.</summary>
    public static async Task<string> ApplyAsync(string source, CodeFixProvider provider, bool fixAll = false)
    {
        using var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Filter", "Filter", LanguageNames.CSharp,
                compilationOptions: AnalyzerHarness.CompilationOptions, parseOptions: AnalyzerHarness.ParseOptions,
                metadataReferences: AnalyzerHarness.References));
        DocumentId documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Filter.cs", SourceText.From(Normalize(source)), filePath: "/src/Filter.cs");
        Assert.True(workspace.TryApplyChanges(solution));
        Document document = workspace.CurrentSolution.GetDocument(documentId)!;

        ImmutableArray<Diagnostic> fixable = await FixableAsync(document, provider);
        Assert.NotEmpty(fixable);

        CodeAction action;
        if (fixAll)
        {
            FixAllProvider fixAllProvider = provider.GetFixAllProvider()!;
            string key = (await ActionsAsync(document, provider, fixable[0])).Single().EquivalenceKey!;
            var context = new FixAllContext(document, provider, FixAllScope.Document, key, provider.FixableDiagnosticIds,
                new Provider(fixable), CancellationToken.None);
            action = (await fixAllProvider.GetFixAsync(context))!;
        }
        else
        {
            action = (await ActionsAsync(document, provider, fixable[0])).Single();
        }

        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        Document fixedDocument = changed.GetDocument(documentId)!;
        string text = (await fixedDocument.GetTextAsync()).ToString();

        // The fixed code compiles, and the diagnostics that were fixed are gone.
        Compilation compilation = (await fixedDocument.Project.GetCompilationAsync())!;
        AnalyzerHarness.AssertNoErrors(compilation);
        ImmutableArray<Diagnostic> remaining = await FixableAsync(fixedDocument, provider);
        Assert.Equal(fixAll ? 0 : fixable.Length - 1, remaining.Length);
        return Normalize(text);
    }

    private static async Task<ImmutableArray<Diagnostic>> FixableAsync(Document document, CodeFixProvider provider)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.AnalyzeAsync(compilation);
        var fixable = new List<Diagnostic>();
        foreach (Diagnostic diagnostic in diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)))
        {
            if ((await ActionsAsync(document, provider, diagnostic)).Count > 0)
            {
                fixable.Add(diagnostic);
            }
        }

        return fixable.ToImmutableArray();
    }

    private static async Task<List<CodeAction>> ActionsAsync(Document document, CodeFixProvider provider, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    public static string Normalize(string text) => text.Replace("\r\n", "\n");

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public Provider(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(Array.Empty<Diagnostic>());
    }
}
