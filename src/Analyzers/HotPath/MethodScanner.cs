using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ProxyWasm.Analyzers.HotPath;

/// <summary>
/// One pass over the operation blocks of a method: the methods of the same compilation it calls (edges of the call
/// graph), the hot-path findings in its body (including its lambdas and local functions) and the static fields it
/// writes. Nothing here reports: whether the method is hot is decided later.
/// </summary>
/// <remarks>
/// <para>This file holds the walk (<see cref="Scan"/>, <see cref="Visit"/>), the rules simple enough to stay inline in it
/// (PXW1001 <c>new</c>, PXW1007 method-group delegates, PXW1010 <c>+=</c> on strings, PXW1011 interpolation, PXW1019
/// async methods and local functions, PXW1020 <c>throw new</c>) and the shared helpers. The rules <see cref="Visit"/>
/// dispatches to are grouped by family in the other parts: MethodScanner.Apis.cs, MethodScanner.Strings.cs,
/// MethodScanner.Allocations.cs, MethodScanner.Closures.cs and MethodScanner.StaticWrites.cs.</para>
/// </remarks>
internal sealed partial class MethodScanner
{
    private readonly HotPathTypes _types;
    private readonly HashSet<IOperation> _handled = new();
    private readonly HashSet<ISymbol> _functionsReported = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, ILocalFunctionOperation> _localFunctions = new(SymbolEqualityComparer.Default);
    private readonly List<IDelegateCreationOperation> _localFunctionDelegates = new();
    private IMethodSymbol? _owner;

    public MethodScanner(HotPathTypes types) => _types = types;

    public HashSet<IMethodSymbol> Callees { get; } = new(SymbolEqualityComparer.Default);
    public List<Finding> Findings { get; } = new();
    public List<Finding> StaticWrites { get; } = new();

    public void Scan(IMethodSymbol owner, ImmutableArray<IOperation> blocks)
    {
        _owner = owner;
        if (owner.IsAsync)
        {
            AddFunctionFinding(HotPathDescriptors.Async, owner, owner.Locations.FirstOrDefault());
        }

        var stack = new Stack<(IOperation Operation, bool Suppressed)>();
        foreach (IOperation block in blocks)
        {
            if (block.Kind is OperationKind.Attribute or OperationKind.ParameterInitializer)
            {
                continue;
            }

            stack.Push((block, false));
        }

        while (stack.Count > 0)
        {
            (IOperation op, bool suppressed) = stack.Pop();
            if (op.Kind == OperationKind.NameOf || (op.ConstantValue.HasValue && op.Kind != OperationKind.Invocation))
            {
                continue;
            }

            bool suppressChildren = Visit(op, suppressed || _handled.Contains(op));
            foreach (IOperation child in op.ChildOperations)
            {
                stack.Push((child, suppressed || suppressChildren));
            }
        }

        foreach (IDelegateCreationOperation creation in _localFunctionDelegates)
        {
            var method = ((IMethodReferenceOperation)creation.Target).Method;
            if (_localFunctions.TryGetValue(method.OriginalDefinition, out ILocalFunctionOperation? function) &&
                Captures(function, function.Symbol).Count > 0)
            {
                Add(HotPathDescriptors.DelegateAllocation, creation.Syntax, method.Name);
            }
        }
    }

    /// <summary>Records what <paramref name="op"/> calls and violates; returns true to suppress findings below it.</summary>
    private bool Visit(IOperation op, bool suppressed)
    {
        switch (op)
        {
            case IInvocationOperation invocation:
                AddCallee(invocation.TargetMethod);
                if (!suppressed)
                {
                    Invocation(invocation);
                }

                return false;
            case IObjectCreationOperation creation:
                if (creation.Constructor is not null)
                {
                    AddCallee(creation.Constructor);
                }

                if (!suppressed && creation.Type is { IsReferenceType: true } type)
                {
                    Add(HotPathDescriptors.NewReferenceType, creation.Syntax, type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
                }

                return false;
            case IPropertyReferenceOperation property:
                PropertyReference(property);
                return false;
            case IMethodReferenceOperation reference:
                AddCallee(reference.Method);
                return false;
            case IFieldReferenceOperation field:
                FieldReference(field);
                return false;
            case IBinaryOperation binary:
                AddCallee(binary.OperatorMethod);
                if (!suppressed)
                {
                    Binary(binary);
                }

                return false;
            case IUnaryOperation unary:
                AddCallee(unary.OperatorMethod);
                return false;
            case IIncrementOrDecrementOperation increment:
                AddCallee(increment.OperatorMethod);
                return false;
            case ICompoundAssignmentOperation compound:
                AddCallee(compound.OperatorMethod);
                if (!suppressed && compound.OperatorKind == BinaryOperatorKind.Add && compound.Target.Type?.SpecialType == SpecialType.System_String)
                {
                    Add(HotPathDescriptors.StringConcatenation, compound.Syntax);
                }

                return false;
            case IConversionOperation conversion:
                AddCallee(conversion.OperatorMethod);
                if (!suppressed)
                {
                    Conversion(conversion);
                }

                return false;
            case IThrowOperation thrown:
                if (!suppressed && Unwrap(thrown.Exception) is IObjectCreationOperation { Type: { } exceptionType })
                {
                    Add(HotPathDescriptors.ThrowOnHotPath, thrown.Syntax, exceptionType.Name);
                    return true;
                }

                return false;
            case ILocalFunctionOperation localFunction:
                _localFunctions[localFunction.Symbol.OriginalDefinition] = localFunction;
                if (localFunction.Symbol.IsAsync)
                {
                    AddFunctionFinding(HotPathDescriptors.Async, localFunction.Symbol, Identifier(localFunction.Syntax));
                }

                return false;
            case IAnonymousFunctionOperation lambda:
                if (!suppressed)
                {
                    Lambda(lambda);
                }

                return false;
            case IDelegateCreationOperation creation when !suppressed && creation.Target is IMethodReferenceOperation { Method: var target } reference:
                if (target.MethodKind == MethodKind.LocalFunction)
                {
                    _localFunctionDelegates.Add(creation);
                }
                else if (!target.IsStatic && reference.Instance is not null)
                {
                    Add(HotPathDescriptors.DelegateAllocation, creation.Syntax, target.Name);
                }

                return false;
            case IArrayCreationOperation array when !suppressed:
                ArrayCreation(array);
                return false;
            case ICollectionExpressionOperation collection when !suppressed:
                CollectionExpression(collection);
                return false;
            case IArgumentOperation argument when !suppressed:
                Argument(argument);
                return false;
            case IInterpolatedStringOperation interpolated when !suppressed:
                if (interpolated.Type?.SpecialType == SpecialType.System_String && op.Parent is not IInterpolatedStringHandlerCreationOperation)
                {
                    Add(HotPathDescriptors.StringInterpolation, interpolated.Syntax);
                }

                return false;
            case IForEachLoopOperation loop when !suppressed:
                ForEach(loop);
                return false;
            case IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak } yield when !suppressed:
                Yield(yield);
                return false;
            case ITypeParameterObjectCreationOperation { Type: ITypeParameterSymbol typeParameter } creation when !suppressed:
                if (!typeParameter.HasValueTypeConstraint && !typeParameter.HasUnmanagedTypeConstraint)
                {
                    Add(HotPathDescriptors.NewReferenceType, creation.Syntax, typeParameter.Name + "()");
                }

                return false;
            case IAnonymousObjectCreationOperation anonymous when !suppressed:
                Add(HotPathDescriptors.NewReferenceType, anonymous.Syntax, "{ ... } (anonymous type)");
                return false;
            default:
                return false;
        }
    }

    private void AddCallee(IMethodSymbol? method)
    {
        if (method is null || method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
        {
            return;
        }

        method = Normalize(method);
        if (SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _types.Compilation.Assembly))
        {
            Callees.Add(method);
        }
    }

    /// <summary>The symbol a method body is analyzed under: original definition, unreduced, implementation part.</summary>
    public static IMethodSymbol Normalize(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        method = method.OriginalDefinition;
        return method.PartialImplementationPart ?? method;
    }

    private static IOperation Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        while (operation is IParenthesizedOperation parenthesized)
        {
            operation = parenthesized.Operand;
        }

        return operation!;
    }

    private static Location Identifier(SyntaxNode syntax) =>
        syntax is LocalFunctionStatementSyntax local ? local.Identifier.GetLocation() : syntax.GetLocation();

    private void AddFunctionFinding(DiagnosticDescriptor descriptor, IMethodSymbol function, Location? location)
    {
        if (location is { IsInSource: true } && _functionsReported.Add(function))
        {
            Findings.Add(new Finding(descriptor, location, new object?[] { function.MethodKind == MethodKind.AnonymousFunction ? "lambda" : function.Name }));
        }
    }

    private void Add(DiagnosticDescriptor descriptor, SyntaxNode syntax, params object?[] args) =>
        Findings.Add(new Finding(descriptor, syntax.GetLocation(), args));

    private void Add(DiagnosticDescriptor descriptor, SyntaxNode syntax, ImmutableDictionary<string, string?> properties, params object?[] args) =>
        Findings.Add(new Finding(descriptor, syntax.GetLocation(), args, properties));
}
