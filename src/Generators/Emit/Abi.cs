using System;
using System.Linq;
using System.Text;
using ProxyWasm.Abi;

namespace ProxyWasm.Generators.Filters;

/// <summary>How a <see cref="ProxyCallback"/> row reads in C#: parameter lists, result values, names. Shared by both
/// emitters so the glue and the exports agree.</summary>
internal static class Abi
{
    /// <summary><c>num_headers</c> → <c>numHeaders</c>.</summary>
    public static string CamelCase(string snake)
    {
        var builder = new StringBuilder(snake.Length);
        bool upper = false;
        foreach (char c in snake)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary>The export method's name: <c>proxy_on_request_headers</c> → <c>OnRequestHeaders</c>.</summary>
    public static string ExportMethod(ProxyCallback callback)
    {
        string camel = CamelCase(callback.Export.Substring("proxy_".Length));
        return char.ToUpperInvariant(camel[0]) + camel.Substring(1);
    }

    /// <summary>The context-id parameter's name in C#.</summary>
    public static string ContextArgument(ProxyCallback callback) => CamelCase(callback.ContextParameter);

    /// <summary>The arguments after the context id, in C#: <c>numHeaders, endOfStream</c>.</summary>
    public static string[] Arguments(ProxyCallback callback) => callback.Parameters.Select(CamelCase).ToArray();

    /// <summary><c>, uint numHeaders, uint endOfStream</c>.</summary>
    public static string TrailingParameters(ProxyCallback callback) => string.Concat(Arguments(callback).Select(a => ", uint " + a));

    /// <summary><c>, numHeaders, endOfStream</c>.</summary>
    public static string TrailingArguments(ProxyCallback callback) => string.Concat(Arguments(callback).Select(a => ", " + a));

    /// <summary>The glue method's return type: the status enum, <c>bool</c> or <c>void</c>.</summary>
    public static string GlueReturnType(ProxyCallback callback, string runtime) => callback.Result switch
    {
        CallbackResult.Void => "void",
        CallbackResult.Bool => "bool",
        _ when IsStatus(callback) => runtime + callback.StatusType,
        _ => throw Unhandled(callback),
    };

    /// <summary>A named result value, e.g. <c>FilterHeadersStatus.Continue</c> or <c>true</c>.</summary>
    public static string Value(ProxyCallback callback, string? value, string runtime) => callback.Result switch
    {
        CallbackResult.Bool => value ?? throw Unhandled(callback),
        _ when IsStatus(callback) => runtime + callback.StatusType + "." + (value ?? throw Unhandled(callback)),
        _ => throw Unhandled(callback),
    };

    /// <summary>A glue value converted to the export's i32.</summary>
    public static string ToWord(ProxyCallback callback, string expression) => callback.Result switch
    {
        CallbackResult.Bool => $"Word({expression})",
        _ when IsStatus(callback) => "(uint)" + expression,
        _ => throw Unhandled(callback),
    };

    /// <summary>Whether the result is one of the stream status enums (a hook failure follows the failure policy).</summary>
    public static bool IsStatus(ProxyCallback callback) => callback.StatusType is not null;

    /// <summary>The error for a row the emitters have no code for: a generator failure in tests, never a guess.</summary>
    public static InvalidOperationException Unhandled(object what) => new("ProxyWasm.Generators has no emitter for " + what);
}
