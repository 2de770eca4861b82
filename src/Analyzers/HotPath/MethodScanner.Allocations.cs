using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ProxyWasm.Analyzers.HotPath;

// Allocations the language makes implicitly or explicitly: PXW1008 (boxing conversions), PXW1002 (arrays), PXW1003
// (constant array arguments), PXW1004 (collection expressions), PXW1017 (foreach with a reference-type enumerator) and
// PXW1018 (iterators).
internal sealed partial class MethodScanner
{
    private void Conversion(IConversionOperation conversion)
    {
        ITypeSymbol? from = conversion.Operand.Type;
        ITypeSymbol? to = conversion.Type;
        if (from is null || to is null || conversion.OperatorMethod is not null || !to.IsReferenceType || from.IsRefLikeType)
        {
            return;
        }

        bool valueType = from is ITypeParameterSymbol tp ? tp.HasValueTypeConstraint || tp.HasUnmanagedTypeConstraint : from.IsValueType;
        if (!valueType)
        {
            return;
        }

        // Concatenation and interpolation are reported as such; Enum.HasFlag is a JIT/ILC intrinsic that does not box.
        if (conversion.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } or IInterpolationOperation ||
            conversion.Parent is ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } ||
            conversion.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "HasFlag", ContainingType.SpecialType: SpecialType.System_Enum } } })
        {
            return;
        }

        Add(HotPathDescriptors.Boxing, conversion.Operand.Syntax,
            from.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), to.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
    }

    private void ArrayCreation(IArrayCreationOperation array)
    {
        if (array.IsImplicit && array.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray })
        {
            return;
        }

        if (array.Type is not IArrayTypeSymbol arrayType)
        {
            return; // error type in code that does not compile yet
        }

        ITypeSymbol element = arrayType.ElementType;
        bool constant = array.Initializer is { ElementValues.Length: > 0 } init && init.ElementValues.All(e => e.ConstantValue.HasValue);
        IOperation parent = array.Parent is IConversionOperation { IsImplicit: true } c ? c : array;
        if (constant && IsBlittablePrimitive(element) && _types.IsReadOnlySpan(parent.Type) && parent != array)
        {
            // new byte[] { 1, 2 } converted to ReadOnlySpan<byte> is emitted as data in the assembly: no allocation.
            return;
        }

        string elementName = element.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        if (constant && arrayType.Rank == 1 && parent.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.Explicit, Parameter: { } parameter })
        {
            Add(HotPathDescriptors.ConstantArrayArgument, array.Syntax,
                ImmutableDictionary<string, string?>.Empty.Add(FixKeys.Fix, FixKeys.StaticReadonlyArray),
                elementName, parameter.ContainingSymbol.Name);
            return;
        }

        Add(HotPathDescriptors.NewArray, array.Syntax, elementName);
    }

    private static bool IsBlittablePrimitive(ITypeSymbol type) => type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Byte
        or SpecialType.System_SByte or SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16
        or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
        or SpecialType.System_Single or SpecialType.System_Double;

    private void CollectionExpression(ICollectionExpressionOperation collection)
    {
        ITypeSymbol? type = collection.Type;
        if (type is null || _types.IsSpan(type) || type.IsValueType && type is not INamedTypeSymbol { Name: "ImmutableArray" })
        {
            return;
        }

        if (collection.Elements.Length == 0 && (type is IArrayTypeSymbol || type.TypeKind == TypeKind.Interface))
        {
            return; // Array.Empty<T>()
        }

        if (collection.IsImplicit && collection.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.ParamCollection })
        {
            return; // reported as a params argument
        }

        Add(HotPathDescriptors.CollectionExpression, collection.Syntax, type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
    }

    private void ForEach(IForEachLoopOperation loop)
    {
        if (loop.IsAsynchronous || loop.Syntax is not CommonForEachStatementSyntax syntax || loop.SemanticModel is null)
        {
            return;
        }

        ITypeSymbol? collectionType = Unwrap(loop.Collection).Type;
        if (collectionType is null or IArrayTypeSymbol || collectionType.SpecialType == SpecialType.System_String || _types.IsSpan(collectionType))
        {
            return;
        }

        ForEachStatementInfo info = loop.SemanticModel.GetForEachStatementInfo(syntax);
        if (info.GetEnumeratorMethod is { ReturnType.IsReferenceType: true })
        {
            Add(HotPathDescriptors.InterfaceEnumeration, syntax.Expression, collectionType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        }
    }

    private void Yield(IOperation yield)
    {
        for (IOperation? p = yield.Parent; p is not null; p = p.Parent)
        {
            if (p is ILocalFunctionOperation local)
            {
                AddFunctionFinding(HotPathDescriptors.Iterator, local.Symbol, Identifier(local.Syntax));
                return;
            }
        }

        if (_owner is not null)
        {
            AddFunctionFinding(HotPathDescriptors.Iterator, _owner, _owner.Locations.FirstOrDefault());
        }
    }
}
