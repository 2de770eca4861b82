using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProxyWasm.Analyzers.HotPath;

// Calls to APIs that box or allocate: PXW1009 (non-overridden ValueType/Enum/Object member on a struct), PXW1016 (LINQ),
// PXW1012 (string.Format/Concat/Join), PXW1013 (APIs returning a new string or array), PXW1014 (Encoding) and
// PXW1005 (implicit params arrays). string.Equals goes to the PXW1015 check in MethodScanner.Strings.cs.
internal sealed partial class MethodScanner
{
    private static readonly HashSet<string> s_stringAllocating = new()
    {
        "Substring", "Split", "ToUpper", "ToLower", "ToUpperInvariant", "ToLowerInvariant", "Trim", "TrimStart",
        "TrimEnd", "PadLeft", "PadRight", "Replace", "Insert", "Remove", "Normalize", "ToCharArray", "Copy", "ReplaceLineEndings",
    };

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
}
