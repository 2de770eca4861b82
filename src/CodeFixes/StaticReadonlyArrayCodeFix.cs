using System.Collections.Generic;
using System.Runtime.CompilerServices;
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
using Microsoft.CodeAnalysis.Simplification;
using ProxyWasm.Analyzers.HotPath;

namespace ProxyWasm.CodeFixes;

/// <summary>
/// PXW1003: an array of constants passed as an argument moves to a <c>private static readonly</c> field of the
/// containing type, named after the parameter (<c>s_</c> prefix), and the argument reads the field. Like CA1861's fix it
/// assumes the callee does not write to the array.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticReadonlyArrayCodeFix)), Shared]
public sealed class StaticReadonlyArrayCodeFix : PxwCodeFixProvider
{
    private static readonly ConditionalWeakTable<DocumentEditor, EditState> s_states = new();

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("PXW1003");

    /// <inheritdoc/>
    protected override string FixKey => FixKeys.StaticReadonlyArray;

    /// <inheritdoc/>
    protected override string Title => "Move the constant array to a static readonly field";

    /// <inheritdoc/>
    protected override bool Fix(DocumentEditor editor, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SemanticModel model = editor.SemanticModel;
        ExpressionSyntax? array = node.FirstAncestorOrSelf<ExpressionSyntax>(e => e.Span == diagnostic.Location.SourceSpan);
        if (array is null || model.GetOperation(array, cancellationToken) is not IArrayCreationOperation { Type: IArrayTypeSymbol arrayType } creation ||
            array.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } typeDeclaration ||
            model.GetDeclaredSymbol(typeDeclaration, cancellationToken) is not { } type)
        {
            return false;
        }

        IOperation parent = creation.Parent is IConversionOperation { IsImplicit: true } conversion ? conversion : creation;
        string baseName = parent.Parent is IArgumentOperation { Parameter: { } parameter } ? parameter.Name : "values";
        string name = UniqueName(editor, type, "s_" + char.ToLowerInvariant(baseName[0]) + baseName.Substring(1));

        FieldDeclarationSyntax field = SyntaxFactory.FieldDeclaration(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.ParseTypeName(arrayType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(array.WithoutTrivia())))))
            .WithModifiers(SyntaxFactory.TokenList(
                SyntaxFactory.Token(SyntaxKind.PrivateKeyword), SyntaxFactory.Token(SyntaxKind.StaticKeyword), SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword)));

        EditState state = s_states.GetValue(editor, _ => new EditState());
        state.Inserted.TryGetValue(typeDeclaration, out int inserted);
        state.Inserted[typeDeclaration] = inserted + 1;
        editor.InsertMembers(typeDeclaration, inserted, new SyntaxNode[] { field });
        editor.ReplaceNode(array, SyntaxFactory.IdentifierName(name).WithTriviaFrom(array));
        return true;
    }

    private static string UniqueName(DocumentEditor editor, INamedTypeSymbol type, string candidate)
    {
        HashSet<string> taken = s_states.GetValue(editor, _ => new EditState()).Names;
        string name = candidate;
        for (int i = 2; taken.Contains(name) || type.GetMembers(name).Length > 0; i++)
        {
            name = candidate + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(name);
        return name;
    }

    /// <summary>Per-document state of one fix (all) pass: field names handed out, fields inserted per type.</summary>
    private sealed class EditState
    {
        public HashSet<string> Names { get; } = new();
        public Dictionary<TypeDeclarationSyntax, int> Inserted { get; } = new();
    }
}
