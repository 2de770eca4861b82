using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ProxyWasm.Analyzers.HotPath;

namespace ProxyWasm.CodeFixes;

/// <summary>PXW1010: a concatenation of string, char and integer literals becomes one string literal.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FoldLiteralsCodeFix)), Shared]
public sealed class FoldLiteralsCodeFix : PxwCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PXW1010");

    /// <inheritdoc/>
    protected override string FixKey => FixKeys.FoldLiterals;

    /// <inheritdoc/>
    protected override string Title => "Write one literal";

    /// <inheritdoc/>
    protected override bool Fix(DocumentEditor editor, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(FixKeys.Value, out string? value) || value is null ||
            node.FirstAncestorOrSelf<BinaryExpressionSyntax>(b => b.Span == diagnostic.Location.SourceSpan) is not { } concatenation)
        {
            return false;
        }

        editor.ReplaceNode(concatenation,
            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value)).WithTriviaFrom(concatenation));
        return true;
    }
}
