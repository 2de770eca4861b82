using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ProxyWasm.Analyzers.HotPath;

/// <summary>
/// The hot-path performance rules PXW1001..PXW1099. Every message says where the code is hot ("in
/// OnRequestHeaders", "in Helper.Build, called from AuthFilter.OnRequestHeaders"), which is the last format argument.
/// </summary>
/// <remarks>Hot-path diagnostics in a hook or [HotPath] body are reported while its operation block is analyzed;
/// those in methods a hot member calls are reported at compilation end, after the call graph is known, so the
/// descriptors carry <see cref="WellKnownDiagnosticTags.CompilationEnd"/>, and the ones reported right away use their
/// untagged twins (<see cref="DiagnosticHelp.Live"/>) so the IDE shows them as you type.</remarks>
internal static class HotPathDescriptors
{
    private static DiagnosticDescriptor Rule(string id, string title, string message, string description) =>
        new(id, title, message, DiagnosticHelp.Performance, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: description, helpLinkUri: DiagnosticHelp.HelpLink(id), customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>PXW1001: <c>new</c> of a reference type.</summary>
    public static readonly DiagnosticDescriptor NewReferenceType = Rule("PXW1001",
        "Reference type allocated on the hot path",
        "'new {0}' allocates on the GC heap {1}; cache one instance in a static readonly field or the plugin, use a struct, or work on spans",
        "Creating an object of a class, record or anonymous type on a per-request path allocates on every request.");

    /// <summary>PXW1002: array creation.</summary>
    public static readonly DiagnosticDescriptor NewArray = Rule("PXW1002",
        "Array allocated on the hot path",
        "Array of {0} allocated {1}; use stackalloc into a Span<{0}>, a buffer kept in the plugin, or a static readonly array",
        "Creating an array on a per-request path allocates on every request; small buffers belong on the stack.");

    /// <summary>PXW1003: an array of constants created for an argument.</summary>
    public static readonly DiagnosticDescriptor ConstantArrayArgument = Rule("PXW1003",
        "Constant array allocated on every call",
        "Constant array of {0} passed to '{1}' is allocated on every call {2}; move it to a static readonly field",
        "An array whose elements are all constants is created again on every call; a static readonly field creates it once.");

    /// <summary>PXW1004: collection expression that allocates.</summary>
    public static readonly DiagnosticDescriptor CollectionExpression = Rule("PXW1004",
        "Collection expression allocates on the hot path",
        "Collection expression creates a {0} on the GC heap {1}; target a Span<T> or ReadOnlySpan<T>, or use a static readonly collection",
        "A collection expression whose target is an array, a list or an interface allocates; one whose target is a span does not.");

    /// <summary>PXW1005: implicit params array.</summary>
    public static readonly DiagnosticDescriptor ParamsArray = Rule("PXW1005",
        "Implicit params array allocated on the hot path",
        "Call to '{0}' allocates an array for its params arguments {1}; call an overload with fixed arguments or a span",
        "Passing separate arguments to a params array parameter creates a new array on each call.");

    /// <summary>PXW1006: lambda that captures state.</summary>
    public static readonly DiagnosticDescriptor CapturingLambda = Rule("PXW1006",
        "Lambda captures state on the hot path",
        "Lambda captures {0}, which allocates a closure and a delegate on each call {1}; make it static and pass the state explicitly, or write a loop",
        "A lambda or anonymous method that captures locals, parameters or 'this' allocates a display class and a new delegate each time it is evaluated.");

    /// <summary>PXW1007: delegate allocation from a method group.</summary>
    public static readonly DiagnosticDescriptor DelegateAllocation = Rule("PXW1007",
        "Delegate allocated on the hot path",
        "Converting '{0}' to a delegate allocates {1}; call the method directly, or cache the delegate in a static readonly field",
        "Converting an instance method, or a local function that captures state, to a delegate allocates a delegate each time.");

    /// <summary>PXW1008: boxing conversion.</summary>
    public static readonly DiagnosticDescriptor Boxing = Rule("PXW1008",
        "Value type boxed on the hot path",
        "Converting {0} to {1} boxes it on the GC heap {2}; use a typed overload or a generic method constrained to the interface",
        "Converting a value type to object, an interface or System.Enum copies it into a new heap object.");

    /// <summary>PXW1009: a non-overridden ValueType/Enum/Object member called on a struct.</summary>
    public static readonly DiagnosticDescriptor BoxingCall = Rule("PXW1009",
        "Non-overridden member call boxes the value",
        "'{0}' is not overridden by {1}, so calling it boxes the value {2}; override it in the struct or compare the fields directly",
        "Calling a ValueType, Enum or Object member that the struct or enum does not override passes it as a boxed object.");

    /// <summary>PXW1010: string concatenation.</summary>
    public static readonly DiagnosticDescriptor StringConcatenation = Rule("PXW1010",
        "String concatenation on the hot path",
        "String concatenation allocates a new string {0}; append the parts to a Utf8ValueBuilder, or write one literal",
        "Concatenating strings at run time allocates a new string each time; constant concatenations are folded by the compiler and are not reported.");

    /// <summary>PXW1011: string interpolation producing a string.</summary>
    public static readonly DiagnosticDescriptor StringInterpolation = Rule("PXW1011",
        "Interpolated string allocates on the hot path",
        "Interpolated string allocates a string {0}; append the parts to a Utf8ValueBuilder over a stackalloc buffer, or format into a span with TryWrite",
        "An interpolated string converted to string allocates; one bound to a span-based interpolated string handler does not.");

    /// <summary>PXW1012: string.Format, string.Concat, string.Join.</summary>
    public static readonly DiagnosticDescriptor StringFormatting = Rule("PXW1012",
        "String formatting on the hot path",
        "'{0}' allocates the resulting string {1}; append the parts to a Utf8ValueBuilder instead",
        "string.Format, string.Concat and string.Join build a new string (and box value-type arguments) on each call.");

    /// <summary>PXW1013: API returning a new string or array.</summary>
    public static readonly DiagnosticDescriptor AllocatingApi = Rule("PXW1013",
        "API allocates a new string or array on the hot path",
        "'{0}' returns a newly allocated {1} {3}; {2}",
        "ToString, Substring, Split, ToArray and similar APIs return a new object; span-based APIs work on the existing memory.");

    /// <summary>PXW1014: Encoding GetString/GetBytes.</summary>
    public static readonly DiagnosticDescriptor EncodingAllocation = Rule("PXW1014",
        "Encoding allocates on the hot path",
        "'{0}' allocates a new {1} {3}; {2}",
        "Encoding.GetString and the array-returning Encoding.GetBytes overloads allocate; u8 literals and span overloads do not.");

    /// <summary>PXW1015: decoded header/bytes compared with a literal.</summary>
    public static readonly DiagnosticDescriptor DecodedComparison = Rule("PXW1015",
        "Bytes decoded to a string only to compare them",
        "Decoding to a string to compare it with \"{0}\" allocates {1}; compare the bytes with SequenceEqual(\"{0}\"u8)",
        "Comparing header values or body bytes with a literal does not need a string: compare the UTF-8 bytes with a u8 literal.");

    /// <summary>PXW1016: LINQ.</summary>
    public static readonly DiagnosticDescriptor Linq = Rule("PXW1016",
        "LINQ on the hot path",
        "LINQ '{0}' allocates enumerators and delegates {1}; write a for or foreach loop over the span, array or list",
        "LINQ operators allocate iterator objects, delegates and closures on each call.");

    /// <summary>PXW1017: foreach over an interface or a reference-type enumerator.</summary>
    public static readonly DiagnosticDescriptor InterfaceEnumeration = Rule("PXW1017",
        "foreach allocates an enumerator on the hot path",
        "foreach over {0} allocates an enumerator object {1}; iterate a concrete type with a struct enumerator (span, array, List<T>)",
        "foreach over a collection typed as an interface boxes or allocates its enumerator; concrete collection types have struct enumerators.");

    /// <summary>PXW1018: iterator.</summary>
    public static readonly DiagnosticDescriptor Iterator = Rule("PXW1018",
        "Iterator on the hot path",
        "Iterator '{0}' allocates its state machine on every call {1}; return a span, or write a struct enumerator",
        "A method with yield return compiles to a class that is allocated on every call.");

    /// <summary>PXW1019: async.</summary>
    public static readonly DiagnosticDescriptor Async = Rule("PXW1019",
        "async on the hot path",
        "async '{0}' allocates a state machine and a task {1}; Proxy-Wasm is callback driven: pause the stream and resume it from the host's callback",
        "async methods and lambdas allocate their state machine and tasks when they do not complete synchronously; the host never runs continuations.");

    /// <summary>PXW1020: throw new on the hot path.</summary>
    public static readonly DiagnosticDescriptor ThrowOnHotPath = Rule("PXW1020",
        "Exception thrown on the hot path",
        "Throwing a new {0} allocates it and unwinds the stack {1}; return a status or send a local response instead of using exceptions for control flow",
        "Exceptions are expensive and allocate; a request that is rejected should be answered with a local response, not an exception.");

    /// <summary>Every hot-path descriptor.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        NewReferenceType, NewArray, ConstantArrayArgument, CollectionExpression, ParamsArray, CapturingLambda,
        DelegateAllocation, Boxing, BoxingCall, StringConcatenation, StringInterpolation, StringFormatting,
        AllocatingApi, EncodingAllocation, DecodedComparison, Linq, InterfaceEnumeration, Iterator, Async, ThrowOnHotPath);

    private static readonly Dictionary<string, HotPathGroup> s_groups = new()
    {
        ["PXW1001"] = HotPathGroup.Allocations,
        ["PXW1002"] = HotPathGroup.Allocations,
        ["PXW1003"] = HotPathGroup.Allocations,
        ["PXW1004"] = HotPathGroup.Allocations,
        ["PXW1005"] = HotPathGroup.ParamsArrays,
        ["PXW1006"] = HotPathGroup.Captures,
        ["PXW1007"] = HotPathGroup.Captures,
        ["PXW1008"] = HotPathGroup.Boxing,
        ["PXW1009"] = HotPathGroup.Boxing,
        ["PXW1010"] = HotPathGroup.Strings,
        ["PXW1011"] = HotPathGroup.Strings,
        ["PXW1012"] = HotPathGroup.Strings,
        ["PXW1013"] = HotPathGroup.Strings,
        ["PXW1014"] = HotPathGroup.Strings,
        ["PXW1015"] = HotPathGroup.Strings,
        ["PXW1016"] = HotPathGroup.Enumeration,
        ["PXW1017"] = HotPathGroup.Enumeration,
        ["PXW1018"] = HotPathGroup.StateMachinesAndExceptions,
        ["PXW1019"] = HotPathGroup.StateMachinesAndExceptions,
        ["PXW1020"] = HotPathGroup.StateMachinesAndExceptions,
    };

    /// <summary>The <c>HotPathAllow</c> group that opts out of <paramref name="descriptor"/>.</summary>
    public static HotPathGroup GroupOf(DiagnosticDescriptor descriptor) => s_groups[descriptor.Id];
}

/// <summary>Mirror of <c>ProxyWasm.HotPathAllow</c> (the analyzer cannot reference the runtime); values must match.</summary>
[System.Flags]
internal enum HotPathGroup
{
    None = 0,
    Allocations = 1 << 0,
    Captures = 1 << 1,
    Boxing = 1 << 2,
    Strings = 1 << 3,
    Enumeration = 1 << 4,
    ParamsArrays = 1 << 5,
    StateMachinesAndExceptions = 1 << 6,
}

/// <summary>Keys of <see cref="Diagnostic.Properties"/> that tell the code fixes which rewrite applies.</summary>
internal static class FixKeys
{
    /// <summary>Property naming the rewrite.</summary>
    public const string Fix = "PxwFix";

    /// <summary>PXW1014: <c>Encoding.UTF8.GetBytes("x")</c> converted to ReadOnlySpan&lt;byte&gt; becomes <c>"x"u8</c>.</summary>
    public const string U8Literal = "U8Literal";

    /// <summary>PXW1015: decoded string compared with a literal becomes SequenceEqual on the bytes.</summary>
    public const string SequenceEqual = "SequenceEqual";

    /// <summary>PXW1010: concatenation of literals becomes one literal.</summary>
    public const string FoldLiterals = "FoldLiterals";

    /// <summary>Property with the folded value for <see cref="FoldLiterals"/>.</summary>
    public const string Value = "PxwValue";

    /// <summary>PXW1003: constant array argument moves to a static readonly field.</summary>
    public const string StaticReadonlyArray = "StaticReadonlyArray";

    /// <summary>PXW2006: Console write becomes a ProxyWasm.Log call; <see cref="Value"/> holds the Log method name.</summary>
    public const string ConsoleToLog = "ConsoleToLog";
}
