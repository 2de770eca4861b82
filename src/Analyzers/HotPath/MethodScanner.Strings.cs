using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProxyWasm.Analyzers.HotPath;

// String rules: PXW1010 (concatenation, with the literal fold the code fix uses) and PXW1015 (a decoded header value or
// GetString result compared with a literal).
internal sealed partial class MethodScanner
{
    private void Binary(IBinaryOperation binary)
    {
        if (binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals &&
            binary.LeftOperand.Type?.SpecialType == SpecialType.System_String && binary.RightOperand.Type?.SpecialType == SpecialType.System_String)
        {
            Comparison(binary, binary.LeftOperand, binary.RightOperand);
            return;
        }

        if (binary.OperatorKind != BinaryOperatorKind.Add || binary.Type?.SpecialType != SpecialType.System_String ||
            binary.OperatorMethod is { ContainingType.SpecialType: not SpecialType.System_String } ||
            binary.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String })
        {
            return;
        }

        string? folded = FoldLiterals(binary);
        if (folded is null)
        {
            Add(HotPathDescriptors.StringConcatenation, binary.Syntax);
        }
        else
        {
            Add(HotPathDescriptors.StringConcatenation, binary.Syntax,
                ImmutableDictionary<string, string?>.Empty.Add(FixKeys.Fix, FixKeys.FoldLiterals).Add(FixKeys.Value, folded));
        }
    }

    /// <summary>The value of a concatenation whose leaves are all string, char or non-negative integer literals.</summary>
    private static string? FoldLiterals(IOperation operation)
    {
        operation = Unwrap(operation);
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } add)
        {
            string? left = FoldLiterals(add.LeftOperand);
            string? right = left is null ? null : FoldLiterals(add.RightOperand);
            return right is null ? null : left + right;
        }

        if (operation is not ILiteralOperation { ConstantValue: { HasValue: true, Value: var value } })
        {
            return null;
        }

        return value switch
        {
            string s => s,
            char c => c.ToString(),
            int i when i >= 0 => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            long l when l >= 0 => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
            uint u => u.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ulong ul => ul.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>PXW1015: a decoded header value or GetString result compared with a non-empty literal.</summary>
    private void Comparison(IOperation comparison, IOperation left, IOperation right)
    {
        IOperation? decoded = Decoded(left);
        string? literal = Literal(right);
        if (decoded is null || literal is null)
        {
            decoded = Decoded(right);
            literal = Literal(left);
        }

        if (decoded is null || literal is null)
        {
            return;
        }

        _handled.Add(decoded);
        Add(HotPathDescriptors.DecodedComparison, comparison.Syntax,
            ImmutableDictionary<string, string?>.Empty.Add(FixKeys.Fix, FixKeys.SequenceEqual), literal);
    }

    private static string? Literal(IOperation operation) =>
        Unwrap(operation) is ILiteralOperation { ConstantValue: { HasValue: true, Value: string { Length: > 0 } s } } && s.IndexOf('\uFFFD') < 0 ? s : null;

    private IOperation? Decoded(IOperation operation)
    {
        if (Unwrap(operation) is not IInvocationOperation invocation)
        {
            return null;
        }

        IMethodSymbol method = invocation.TargetMethod;
        if (method.Name == "GetValueString" && HotPathTypes.Is(method.ContainingType, _types.HeaderMapExtensions))
        {
            return invocation;
        }

        bool utf8 = invocation.Instance is IPropertyReferenceOperation { Property: { Name: "UTF8", IsStatic: true } p } && HotPathTypes.Is(p.ContainingType, _types.Encoding);
        return utf8 && method.Name == "GetString" && invocation.Arguments.Length is 1 or 3 ? invocation : null;
    }
}
