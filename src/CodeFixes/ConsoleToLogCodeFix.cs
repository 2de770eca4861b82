using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using ProxyWasm.Analyzers.HotPath;

namespace ProxyWasm.CodeFixes;

/// <summary>
/// PXW2006: <c>Console.WriteLine(text)</c> (or <c>Console.Write</c>, <c>Console.Out.WriteLine</c>) becomes
/// <c>ProxyWasm.Log.Info(text)</c>, and <c>Console.Error.WriteLine(text)</c> becomes <c>Log.Error(text)</c>. A string
/// literal becomes a u8 literal (the UTF-8 overload, nothing to encode); any other string goes to the
/// <c>ReadOnlySpan&lt;char&gt;</c> overload.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConsoleToLogCodeFix)), Shared]
public sealed class ConsoleToLogCodeFix : PxwCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PXW2006");

    /// <inheritdoc/>
    protected override string FixKey => FixKeys.ConsoleToLog;

    /// <inheritdoc/>
    protected override string Title => "Log through ProxyWasm.Log";

    /// <inheritdoc/>
    protected override bool Fix(DocumentEditor editor, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(FixKeys.Value, out string? method) || method is null ||
            node.FirstAncestorOrSelf<InvocationExpressionSyntax>(i => i.Span == diagnostic.Location.SourceSpan) is not { ArgumentList.Arguments.Count: 1 } invocation)
        {
            return false;
        }

        ArgumentSyntax argument = invocation.ArgumentList.Arguments[0];
        ExpressionSyntax text = argument.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? Syntax.U8(literal)
            : argument.Expression;
        ExpressionSyntax target = SyntaxFactory.ParseExpression("global::ProxyWasm.Log." + method).WithAdditionalAnnotations(Simplifier.Annotation);
        InvocationExpressionSyntax replacement = SyntaxFactory.InvocationExpression(target,
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(text))));
        editor.ReplaceNode(invocation, replacement.WithTriviaFrom(invocation));
        return true;
    }
}
