using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// Chooses how a filter's per-stream state is kept (<see cref="StateStrategy"/>): a struct in a slot; a pooled class
/// whose instance members are reset to their literal initializers; or, when that cannot be done safely, a class
/// created for each stream, with the reason for PXW0015.
/// </summary>
internal static class StateStrategyBuilder
{
    public static (StateStrategy Strategy, EquatableArray<MemberReset> Resets, string? PerStreamReason) Choose(INamedTypeSymbol type, List<DiagnosticInfo> errors, CancellationToken ct)
    {
        if (type.TypeKind == TypeKind.Struct)
        {
            return (StateStrategy.Struct, EquatableArray<MemberReset>.Empty, null);
        }

        if (type.IsStatic)
        {
            // Already reported as PXW0006; a static class has no constructors to judge.
            return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, null);
        }

        bool hasParameterless = false;
        string? explicitConstructor = null;
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.Length == 0 && constructor.DeclaredAccessibility != Accessibility.Private)
            {
                hasParameterless = true;
                if (!constructor.IsImplicitlyDeclared)
                {
                    explicitConstructor = "it declares a constructor";
                }
            }
        }

        if (!hasParameterless)
        {
            errors.Add(ShapeDiagnostics.NoParameterlessConstructor(type.Locations.FirstOrDefault(), type.Name));
            return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, null);
        }

        if (explicitConstructor is not null)
        {
            return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, explicitConstructor);
        }

        var resets = new List<MemberReset>();
        foreach (ISymbol member in type.GetMembers())
        {
            ct.ThrowIfCancellationRequested();
            if (member is IEventSymbol { IsStatic: false } evt)
            {
                // A field-like event keeps its handlers in a field that GetMembers does not list: reset it by name.
                if (evt.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) is VariableDeclaratorSyntax eventDeclarator)
                {
                    ExpressionSyntax? eventInitializer = eventDeclarator.Initializer?.Value;
                    if (eventInitializer is not null && !IsPortableConstant(eventInitializer))
                    {
                        return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"member '{evt.Name}' has a non-constant initializer");
                    }

                    resets.Add(new MemberReset(evt.Name, eventInitializer?.ToString() ?? "null!"));
                }

                continue;
            }

            if (member is not IFieldSymbol field || field.IsStatic || field.IsConst)
            {
                continue;
            }

            string name = field.Name;
            ExpressionSyntax? initializer = null;
            if (field.AssociatedSymbol is IPropertySymbol property)
            {
                if (property.SetMethod is null || property.SetMethod.IsInitOnly || property.IsRequired)
                {
                    return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"property '{property.Name}' is get-only, init-only or required");
                }

                name = property.Name;
                initializer = (property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as PropertyDeclarationSyntax)?.Initializer?.Value;
            }
            else if (field.AssociatedSymbol is IEventSymbol)
            {
                continue;
            }
            else if (field.IsImplicitlyDeclared)
            {
                // Backing fields of primary constructor parameters and other compiler-made state cannot be reset by name.
                return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"it has compiler-generated state '{field.Name}'");
            }
            else
            {
                if (field.IsReadOnly || field.IsRequired)
                {
                    return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"field '{field.Name}' is readonly");
                }

                initializer = (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as VariableDeclaratorSyntax)?.Initializer?.Value;
            }

            if (initializer is null)
            {
                resets.Add(new MemberReset(name, "default!"));
            }
            else if (IsPortableConstant(initializer))
            {
                resets.Add(new MemberReset(name, initializer.ToString()));
            }
            else
            {
                return (StateStrategy.NewPerStream, EquatableArray<MemberReset>.Empty, $"member '{name}' has a non-constant initializer");
            }
        }

        return (StateStrategy.PooledClass, resets.ToEquatableArray(), null);
    }

    /// <summary>A literal (optionally negated) or <c>default</c>: means the same in generated code as in the user's file.</summary>
    private static bool IsPortableConstant(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax => true,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax } => true,
        _ => false,
    };
}
