using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ProxyWasm.Analyzers.HotPath;

/// <summary>A hot-path rule violation found in a method body; reported only if the method turns out to be hot.</summary>
internal sealed class Finding
{
    public Finding(DiagnosticDescriptor descriptor, Location location, object?[] args, ImmutableDictionary<string, string?>? properties = null)
    {
        Descriptor = descriptor;
        Location = location;
        Args = args;
        Properties = properties;
    }

    public DiagnosticDescriptor Descriptor { get; }
    public Location Location { get; }
    public object?[] Args { get; }
    public ImmutableDictionary<string, string?>? Properties { get; }

    /// <summary>The opt-out group; 0 for rules no <c>Allow</c> flag turns off (PXW2009).</summary>
    public HotPathGroup Group => Descriptor.Id.StartsWith("PXW1", System.StringComparison.Ordinal) ? HotPathDescriptors.GroupOf(Descriptor) : HotPathGroup.None;

    /// <summary>The diagnostic, with <paramref name="via"/> as the last message argument. <paramref name="live"/>: reported
    /// while the member is analyzed (the descriptor's untagged twin), rather than at compilation end.</summary>
    public Diagnostic ToDiagnostic(string via, bool live = false)
    {
        object?[] args = new object?[Args.Length + 1];
        Args.CopyTo(args, 0);
        args[Args.Length] = via;
        return Diagnostic.Create(live ? DiagnosticHelp.Live(Descriptor) : Descriptor, Location, Properties, args);
    }
}

/// <summary>
/// One pass over the operation blocks of a method: the methods of the same compilation it calls (edges of the call
/// graph), the hot-path findings in its body (including its lambdas and local functions) and the static fields it
/// writes. Nothing here reports: whether the method is hot is decided later.
/// </summary>
internal sealed class MethodScanner
{
    private static readonly HashSet<string> s_stringAllocating = new()
    {
        "Substring", "Split", "ToUpper", "ToLower", "ToUpperInvariant", "ToLowerInvariant", "Trim", "TrimStart",
        "TrimEnd", "PadLeft", "PadRight", "Replace", "Insert", "Remove", "Normalize", "ToCharArray", "Copy", "ReplaceLineEndings",
    };

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

    private void Invocation(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.ContainingType is not { } containing)
        {
            return;
        }

        string name = method.Name;

        if (!method.IsStatic && invocation.Instance?.Type is { IsValueType: true } receiverType &&
            receiverType.TypeKind != TypeKind.TypeParameter &&
            containing.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum &&
            name != "HasFlag")
        {
            Add(HotPathDescriptors.BoxingCall, invocation.Syntax, containing.Name + "." + name, receiverType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
            return;
        }

        if (HotPathTypes.Is(containing, _types.Enumerable) || HotPathTypes.Is(containing, _types.Queryable) || HotPathTypes.Is(containing, _types.ParallelEnumerable))
        {
            Add(HotPathDescriptors.Linq, invocation.Syntax, name);
            return;
        }

        if (containing.SpecialType == SpecialType.System_String)
        {
            if (method.IsStatic && name is "Format" or "Concat" or "Join")
            {
                Add(HotPathDescriptors.StringFormatting, invocation.Syntax, "string." + name);
            }
            else if (method.IsStatic && name == "Equals" && invocation.Arguments.Length == 2)
            {
                Comparison(invocation, invocation.Arguments[0].Value, invocation.Arguments[1].Value);
            }
            else if (s_stringAllocating.Contains(name))
            {
                Add(HotPathDescriptors.AllocatingApi, invocation.Syntax, "string." + name, name == "ToCharArray" || name == "Split" ? "array" : "string", StringAdvice(name));
            }

            return;
        }

        if (HotPathTypes.DerivesFrom(containing, _types.Encoding))
        {
            EncodingCall(invocation);
            return;
        }

        if (name == "GetValueString" && HotPathTypes.Is(containing, _types.HeaderMapExtensions))
        {
            Add(HotPathDescriptors.AllocatingApi, invocation.Syntax, "GetValueString", "string", "read the bytes with GetValue(name) or TryGetValue and compare them with u8 literals");
            return;
        }

        if (name == "ToString" && method.ReturnType.SpecialType == SpecialType.System_String)
        {
            Add(HotPathDescriptors.AllocatingApi, invocation.Syntax, containing.Name + ".ToString", "string", "format into a span with TryFormat, or append the value to a Utf8ValueBuilder");
            return;
        }

        if (method.ReturnType is IArrayTypeSymbol && (name == "ToArray" || HotPathTypes.Is(containing, _types.Convert) || HotPathTypes.Is(containing, _types.BitConverter)))
        {
            Add(HotPathDescriptors.AllocatingApi, invocation.Syntax, containing.Name + "." + name, "array", "keep working on the span, or copy into a stackalloc or plugin-owned buffer");
            return;
        }

        if (method.ReturnType.SpecialType == SpecialType.System_String && (HotPathTypes.Is(containing, _types.Convert) || HotPathTypes.Is(containing, _types.BitConverter)))
        {
            Add(HotPathDescriptors.AllocatingApi, invocation.Syntax, containing.Name + "." + name, "string", "use the span overloads (Convert.TryToBase64Chars, BitConverter.TryWriteBytes)");
        }
    }

    private static string StringAdvice(string name) => name switch
    {
        "Substring" => "slice a span instead: AsSpan(start, length)",
        "Split" => "walk the span with IndexOf and Slice",
        "Trim" or "TrimStart" or "TrimEnd" => "trim a span: AsSpan().Trim()",
        "ToUpper" or "ToLower" or "ToUpperInvariant" or "ToLowerInvariant" => "compare ignoring case on spans (System.Text.Ascii.EqualsIgnoreCase)",
        _ => "work on a ReadOnlySpan<char> or on the UTF-8 bytes",
    };

    private void EncodingCall(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        bool returnsString = method.ReturnType.SpecialType == SpecialType.System_String;
        bool returnsArray = method.ReturnType is IArrayTypeSymbol;
        if (!(method.Name is "GetString" && returnsString) && !(method.Name is "GetBytes" or "GetChars" && returnsArray))
        {
            return;
        }

        string display = "Encoding." + method.Name;
        if (method.Name == "GetString")
        {
            Add(HotPathDescriptors.EncodingAllocation, invocation.Syntax, display, "string", "work on the UTF-8 bytes (SequenceEqual with a u8 literal, IndexOf, Utf8Parser) instead of decoding them");
            return;
        }

        if (method.Name == "GetBytes" && invocation.Arguments.Length == 1 &&
            invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string literal } &&
            Unwrap(invocation.Arguments[0].Value) is ILiteralOperation &&
            IsEncodingProperty(invocation.Instance, literal) &&
            invocation.Parent is IConversionOperation { IsImplicit: true } conversion &&
            _types.IsReadOnlySpanOf(conversion.Type, SpecialType.System_Byte))
        {
            Add(HotPathDescriptors.EncodingAllocation, invocation.Syntax,
                ImmutableDictionary<string, string?>.Empty.Add(FixKeys.Fix, FixKeys.U8Literal),
                display, "byte[]", "use the u8 literal \"" + literal + "\"u8, which is constant data");
            return;
        }

        Add(HotPathDescriptors.EncodingAllocation, invocation.Syntax, display, method.Name == "GetBytes" ? "byte[]" : "char[]",
            "encode into a stackalloc span with the span overload, or append to a Utf8ValueBuilder");
    }

    /// <summary>Encoding.UTF8, or Encoding.ASCII/Latin1 for an ASCII literal: the literal's UTF-8 bytes are the same.</summary>
    private bool IsEncodingProperty(IOperation? instance, string literal)
    {
        if (instance is not IPropertyReferenceOperation { Property: { IsStatic: true } property } ||
            !HotPathTypes.Is(property.ContainingType, _types.Encoding))
        {
            return false;
        }

        return property.Name == "UTF8" || (property.Name is "ASCII" or "Latin1" && literal.All(c => c < 0x80));
    }

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

    private void Argument(IArgumentOperation argument)
    {
        bool allocates = argument.ArgumentKind switch
        {
            ArgumentKind.ParamArray => argument.Value is IArrayCreationOperation { IsImplicit: true } created &&
                !(created.DimensionSizes.Length == 1 && created.DimensionSizes[0].ConstantValue is { HasValue: true, Value: 0 }),
            ArgumentKind.ParamCollection => !_types.IsSpan(argument.Parameter?.Type) &&
                !(argument.Value is ICollectionExpressionOperation { Elements.Length: 0 }),
            _ => false,
        };
        if (allocates)
        {
            Add(HotPathDescriptors.ParamsArray, argument.Parent?.Syntax ?? argument.Syntax, argument.Parameter?.ContainingSymbol.Name ?? "?");
        }
    }

    private void Lambda(IAnonymousFunctionOperation lambda)
    {
        if (lambda.Symbol.IsAsync)
        {
            AddFunctionFinding(HotPathDescriptors.Async, lambda.Symbol, lambda.Syntax is AnonymousFunctionExpressionSyntax { AsyncKeyword.RawKind: not 0 } a ? a.AsyncKeyword.GetLocation() : lambda.Syntax.GetLocation());
        }

        List<string> captures = Captures(lambda, lambda.Symbol);
        if (captures.Count > 0)
        {
            Location location = lambda.Syntax switch
            {
                LambdaExpressionSyntax l => l.ArrowToken.GetLocation(),
                AnonymousMethodExpressionSyntax m => m.DelegateKeyword.GetLocation(),
                _ => lambda.Syntax.GetLocation(),
            };
            Findings.Add(new Finding(HotPathDescriptors.CapturingLambda, location, new object?[] { string.Join(", ", captures.Select(c => "'" + c + "'")) }));
        }
    }

    /// <summary>Names of the locals, parameters and 'this' a lambda or local function uses from outside itself.</summary>
    private static List<string> Captures(IOperation function, IMethodSymbol symbol)
    {
        var names = new List<string>();
        var stack = new Stack<IOperation>();
        stack.Push(function);
        while (stack.Count > 0)
        {
            IOperation op = stack.Pop();
            string? name = op switch
            {
                ILocalReferenceOperation local when !IsWithin(local.Local.ContainingSymbol, symbol) => local.Local.Name,
                IParameterReferenceOperation parameter when !IsWithin(parameter.Parameter.ContainingSymbol, symbol) => parameter.Parameter.Name,
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => "this",
                _ => null,
            };
            if (name is not null && !names.Contains(name))
            {
                names.Add(name);
            }

            foreach (IOperation child in op.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return names;
    }

    private static bool IsWithin(ISymbol? symbol, IMethodSymbol function)
    {
        for (ISymbol? s = symbol; s is IMethodSymbol; s = s.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(s, function))
            {
                return true;
            }
        }

        return false;
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

    private void PropertyReference(IPropertyReferenceOperation property)
    {
        bool write = IsWritten(property);
        bool read = !write || property.Parent is ICompoundAssignmentOperation or IIncrementOrDecrementOperation or ICoalesceAssignmentOperation;
        if (read)
        {
            AddCallee(property.Property.GetMethod);
        }

        if (write)
        {
            AddCallee(property.Property.SetMethod);
            IPropertySymbol p = property.Property;
            if (p.IsStatic && !p.IsIndexer && SymbolEqualityComparer.Default.Equals(p.ContainingAssembly, _types.Compilation.Assembly))
            {
                StaticWrites.Add(new Finding(Sandbox.SandboxDescriptors.StaticWrite, property.Syntax.GetLocation(), new object?[] { p.ContainingType.Name + "." + p.Name }));
            }
        }
    }

    private void FieldReference(IFieldReferenceOperation field)
    {
        if (!IsWritten(field))
        {
            return;
        }

        // A write to a field of a struct stored in a static field changes the static too.
        for (IOperation? target = field; target is IFieldReferenceOperation reference; target = reference.Instance)
        {
            IFieldSymbol symbol = reference.Field;
            if (symbol.IsStatic && !symbol.IsConst)
            {
                StaticWrites.Add(new Finding(Sandbox.SandboxDescriptors.StaticWrite, field.Syntax.GetLocation(), new object?[] { symbol.ContainingType.Name + "." + symbol.Name }));
                return;
            }

            if (symbol.Type.IsReferenceType)
            {
                return;
            }
        }
    }

    private static bool IsWritten(IOperation operation)
    {
        IOperation? parent = operation.Parent;
        if (parent is ITupleOperation && parent.Parent is IDeconstructionAssignmentOperation deconstruction)
        {
            return deconstruction.Target == parent;
        }

        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == operation,
            IIncrementOrDecrementOperation increment => increment.Target == operation,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            _ => false,
        };
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
