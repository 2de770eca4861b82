using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using ProxyWasm.Analyzers.HotPath;

namespace ProxyWasm.CodeFixes;

/// <summary>
/// Base of the ProxyWasm code fixes: a fix applies to the diagnostics whose <c>PxwFix</c> property names it (the
/// analyzer only sets it where the rewrite is mechanical and keeps the code compiling), and Fix All rewrites each
/// document once with every such diagnostic.
/// </summary>
public abstract class PxwCodeFixProvider : CodeFixProvider
{
    /// <summary>The <c>PxwFix</c> property value this provider handles.</summary>
    protected abstract string FixKey { get; }

    /// <summary>The title shown in the light bulb.</summary>
    protected abstract string Title { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => new FixAll(this);

    /// <inheritdoc/>
    public sealed override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (Applies(diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), ct), equivalenceKey: FixKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private bool Applies(Diagnostic diagnostic) =>
        FixableDiagnosticIds.Contains(diagnostic.Id) &&
        diagnostic.Properties.TryGetValue(FixKeys.Fix, out string? key) && key == FixKey;

    private async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        SyntaxNode root = editor.OriginalRoot;
        int? firstFixed = null;
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Fix(editor, node, diagnostic, cancellationToken))
            {
                firstFixed ??= node.SpanStart;
            }
        }

        if (firstFixed is { } position)
        {
            AfterFixes(editor, position);
        }

        return editor.GetChangedDocument();
    }

    /// <summary>Called once per document after its fixes are recorded, e.g. to add a using directive.</summary>
    /// <param name="editor">The editor of the document.</param>
    /// <param name="position">Start of the first fixed node in the original document.</param>
    protected virtual void AfterFixes(DocumentEditor editor, int position)
    {
    }

    /// <summary>Records the rewrite for one diagnostic in <paramref name="editor"/>.</summary>
    /// <param name="editor">The editor of the document; its <see cref="DocumentEditor.SemanticModel"/> is the original's.</param>
    /// <param name="node">The innermost node covering the diagnostic's span.</param>
    /// <param name="diagnostic">The diagnostic.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Whether a rewrite was recorded.</returns>
    protected abstract bool Fix(DocumentEditor editor, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken);

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        private readonly PxwCodeFixProvider _provider;

        public FixAll(PxwCodeFixProvider provider) => _provider = provider;

        protected override string GetFixAllTitle(FixAllContext fixAllContext) => _provider.Title;

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            ImmutableArray<Diagnostic> mine = diagnostics.Where(_provider.Applies).ToImmutableArray();
            return mine.IsEmpty ? document : await _provider.FixAsync(document, mine, fixAllContext.CancellationToken).ConfigureAwait(false);
        }
    }
}
