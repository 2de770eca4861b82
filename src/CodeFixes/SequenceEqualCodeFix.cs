using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using ProxyWasm.Analyzers.HotPath;

namespace ProxyWasm.CodeFixes;

/// <summary>
/// PXW1015: <c>headers.GetValueString(":method"u8) == "POST"</c> becomes
/// <c>headers.GetValue(":method"u8).SequenceEqual("POST"u8)</c>, and <c>Encoding.UTF8.GetString(bytes) == "x"</c> becomes
/// <c>bytes.SequenceEqual("x"u8)</c> (<c>!=</c> negated). The analyzer offers it only for non-empty literals without
/// U+FFFD, for which "absent" (null/empty) and invalid UTF-8 compare unequal either way.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SequenceEqualCodeFix)), Shared]
public sealed class SequenceEqualCodeFix : PxwCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PXW1015");

    /// <inheritdoc/>
    protected override string FixKey => FixKeys.SequenceEqual;

    /// <inheritdoc/>
    protected override string Title => "Compare the bytes with SequenceEqual";

    /// <inheritdoc/>
    protected override bool Fix(DocumentEditor editor, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SemanticModel model = editor.SemanticModel;
        ExpressionSyntax? comparison = node.FirstAncestorOrSelf<ExpressionSyntax>(e => e.Span == diagnostic.Location.SourceSpan);
        (IOperation Left, IOperation Right, bool Negated)? operands = model.GetOperation(comparison!, cancellationToken) switch
        {
            IBinaryOperation binary => (binary.LeftOperand, binary.RightOperand, binary.OperatorKind == BinaryOperatorKind.NotEquals),
            IInvocationOperation { Arguments.Length: 2 } call => (call.Arguments[0].Value, call.Arguments[1].Value, false),
            _ => null,
        };
        if (comparison is null || operands is not { } o)
        {
            return false;
        }

        IOperation left = Unwrap(o.Left), right = Unwrap(o.Right);
        (IOperation decoded, IOperation literal) = right.Syntax is LiteralExpressionSyntax ? (left, right) : (right, left);
        if (decoded is not IInvocationOperation invocation || literal.Syntax is not LiteralExpressionSyntax literalSyntax ||
            BytesOf(invocation) is not { } bytes)
        {
            return false;
        }

        ExpressionSyntax result = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Syntax.AsReceiver(bytes), SyntaxFactory.IdentifierName("SequenceEqual")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(Syntax.U8(literalSyntax)))));
        if (o.Negated)
        {
            result = SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, result);
        }

        editor.ReplaceNode(comparison, result.WithTriviaFrom(comparison));
        return true;
    }

    /// <inheritdoc/>
    protected override void AfterFixes(DocumentEditor editor, int position) => EnsureUsingSystem(editor, editor.SemanticModel, position);

    /// <summary>The bytes the decoding call decodes, as an expression that has SequenceEqual.</summary>
    private static ExpressionSyntax? BytesOf(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name == "GetValueString" && invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call)
        {
            SimpleNameSyntax name = access.Name is GenericNameSyntax generic
                ? generic.WithIdentifier(SyntaxFactory.Identifier("GetValue"))
                : SyntaxFactory.IdentifierName("GetValue");
            return call.WithExpression(access.WithName(name));
        }

        if (invocation.TargetMethod.Name != "GetString" || invocation.Syntax is not InvocationExpressionSyntax getString)
        {
            return null;
        }

        ArgumentSyntax[] args = getString.ArgumentList.Arguments.ToArray();
        IOperation bytes = Unwrap(invocation.Arguments[0].Value);
        ExpressionSyntax bytesSyntax = args[0].Expression;
        if (args.Length == 3)
        {
            return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Syntax.AsReceiver(bytesSyntax), SyntaxFactory.IdentifierName("AsSpan")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(args[1].Expression), SyntaxFactory.Argument(args[2].Expression) })));
        }

        return bytes.Type is IArrayTypeSymbol
            ? SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Syntax.AsReceiver(bytesSyntax), SyntaxFactory.IdentifierName("AsSpan")))
            : bytesSyntax;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary>Adds <c>using System;</c> when MemoryExtensions (SequenceEqual, AsSpan) is not in scope.</summary>
    internal static void EnsureUsingSystem(DocumentEditor editor, SemanticModel model, int position)
    {
        if (model.LookupNamespacesAndTypes(position, name: "MemoryExtensions").Any(s => s.ContainingNamespace?.ToDisplayString() == "System"))
        {
            return;
        }

        if (editor.OriginalRoot is CompilationUnitSyntax unit)
        {
            editor.ReplaceNode(unit, (current, _) =>
            {
                var currentUnit = (CompilationUnitSyntax)current;
                UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName("System")).NormalizeWhitespace()
                    .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed);
                return currentUnit.WithUsings(currentUnit.Usings.Insert(0, directive));
            });
        }
    }
}
