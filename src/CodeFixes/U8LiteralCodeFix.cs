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

/// <summary>PXW1014: <c>Encoding.UTF8.GetBytes("x")</c> used as a <c>ReadOnlySpan&lt;byte&gt;</c> becomes <c>"x"u8</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(U8LiteralCodeFix)), Shared]
public sealed class U8LiteralCodeFix : PxwCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PXW1014");

    /// <inheritdoc/>
    protected override string FixKey => FixKeys.U8Literal;

    /// <inheritdoc/>
    protected override string Title => "Use a u8 literal";

    /// <inheritdoc/>
    protected override bool Fix(DocumentEditor editor, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { ArgumentList.Arguments.Count: 1 } invocation ||
            invocation.ArgumentList.Arguments[0].Expression is not LiteralExpressionSyntax literal)
        {
            return false;
        }

        editor.ReplaceNode(invocation, Syntax.U8(literal).WithTriviaFrom(invocation));
        return true;
    }
}

/// <summary>Syntax helpers shared by the fixes.</summary>
internal static class Syntax
{
    /// <summary>The u8 form of a string literal, keeping its spelling (regular, verbatim or raw).</summary>
    public static ExpressionSyntax U8(LiteralExpressionSyntax literal) =>
        SyntaxFactory.ParseExpression(literal.Token.Text + "u8");

    /// <summary>Parenthesizes <paramref name="expression"/> unless it can be the receiver of a member access as is.</summary>
    public static ExpressionSyntax AsReceiver(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or GenericNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or
        ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or LiteralExpressionSyntax or ThisExpressionSyntax => expression,
        _ => SyntaxFactory.ParenthesizedExpression(expression),
    };
}
