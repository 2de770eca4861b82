using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Diagnostics;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// Binds a hook parameter that carries <c>[Header(name)]</c> or <c>[Property(path)]</c>: the glue reads the value with
/// one host call before the hook runs. Checks the name (PXW0023), the path against Envoy's attribute table
/// (<see cref="EnvoyAttributes"/>, PXW0024) and that the parameter's type can carry the value (PXW0022).
/// </summary>
internal static class BoundParameterBinder
{
    /// <summary>Whether <paramref name="parameter"/> has one of the two attributes. If it has, <paramref name="bound"/>
    /// is its binding, or null with the errors added to <paramref name="diagnostics"/>.</summary>
    public static bool TryBind(KnownTypes types, IParameterSymbol parameter, ProxyCallback callback, bool onPlugin, FilterKind kind, List<DiagnosticInfo> diagnostics, out HookParameter? bound)
    {
        bound = null;
        foreach (AttributeData attribute in parameter.GetAttributes())
        {
            Location? at = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault();
            if (KnownTypes.Is(attribute.AttributeClass!, types.HeaderAttribute))
            {
                bound = BindHeader(types, parameter, attribute, callback, onPlugin, kind, at, diagnostics);
                return true;
            }

            if (KnownTypes.Is(attribute.AttributeClass!, types.PropertyAttribute))
            {
                bound = BindProperty(types, parameter, attribute, callback, at, diagnostics);
                return true;
            }
        }

        return false;
    }

    private static HookParameter? BindHeader(KnownTypes types, IParameterSymbol parameter, AttributeData attribute, ProxyCallback callback, bool onPlugin, FilterKind kind, Location? at, List<DiagnosticInfo> diagnostics)
    {
        string name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
        string type = Display(parameter.Type);
        bool ok = true;
        if (HeaderNameProblem(name) is { } problem)
        {
            diagnostics.Add(ShapeDiagnostics.InvalidHeaderName(at, name, problem.Reason, problem.Fix));
            ok = false;
        }

        bool direction = !onPlugin && kind == FilterKind.Http && (callback.Inputs & (CallbackInputs.RequestHeader | CallbackInputs.ResponseHeader)) != 0;
        if (!direction)
        {
            diagnostics.Add(ShapeDiagnostics.BoundParameterNotFillable(at, "Header", parameter.Name, type, callback.Hook!, NoDirectionHint(types, parameter, callback, onPlugin, kind, name)));
            return null;
        }

        BoundShape shape = parameter.RefKind != RefKind.None ? BoundShape.None
            : types.IsReadOnlySpanOfByte(parameter.Type) ? BoundShape.Bytes
            : KnownTypes.Is(parameter.Type, types.OptionalBytes) ? BoundShape.Optional
            : parameter.Type.SpecialType == SpecialType.System_Boolean ? BoundShape.Presence
            : BoundShape.None;
        if (shape == BoundShape.None)
        {
            diagnostics.Add(ShapeDiagnostics.BoundParameterNotFillable(at, "Header", parameter.Name, type, callback.Hook!,
                "declare it by value as ReadOnlySpan<byte> (the value, empty when absent), OptionalBytes (the value and whether it exists) or bool (whether it exists)"));
            return null;
        }

        return ok ? new HookParameter(ParameterBinding.Header, name, shape) : null;
    }

    /// <summary>For PXW0022: why a [Header] parameter has no header map where it is declared, and what to write.</summary>
    private static string NoDirectionHint(KnownTypes types, IParameterSymbol parameter, ProxyCallback callback, bool onPlugin, FilterKind kind, string name)
    {
        if (kind == FilterKind.Network)
        {
            return "a TCP connection has no HTTP headers; remove it, or read headers in an [HttpFilter] type";
        }

        if (onPlugin)
        {
            return "a plugin hook runs outside any stream, so it has no headers; bind it in a request or response hook of the filter type";
        }

        // A map key is read as bytes, so bool (whether it exists) becomes OptionalBytes and its HasValue.
        string property = $"[Property(\"request.headers.{name}\")]";
        string instead = parameter.Type.SpecialType == SpecialType.System_Boolean ? $"{property} OptionalBytes {parameter.Name}"
            : types.IsReadOnlySpanOfByte(parameter.Type) || KnownTypes.Is(parameter.Type, types.OptionalBytes) ? property
            : $"{property} ReadOnlySpan<byte> {parameter.Name}";
        string test = parameter.Type.SpecialType == SpecialType.System_Boolean ? $" and test {parameter.Name}.HasValue" : string.Empty;
        return $"[{callback.Hook}] has no header direction; bind it in a request or response hook, or write {instead} (or \"response.headers.{name}\") here{test}";
    }

    private static HookParameter? BindProperty(KnownTypes types, IParameterSymbol parameter, AttributeData attribute, ProxyCallback callback, Location? at, List<DiagnosticInfo> diagnostics)
    {
        string[] written = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
            ? attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty).ToArray()
            : new string[0];
        string[] segments = written.Length == 1 ? written[0].Split('.') : written;
        string dotted = string.Join(".", segments);

        EnvoyAttribute? known = segments.Length == 0 || segments.Any(s => s.Length == 0) ? null : EnvoyAttributes.Find(segments);
        if (known is null && (segments.Length == 0 || segments.Any(s => s.Length == 0) || !EnvoyAttributes.IsUnderOpenPrefix(segments)))
        {
            diagnostics.Add(ShapeDiagnostics.UnknownProperty(at, dotted, KnownAttributesHint(segments)));
        }

        BoundShape shape = parameter.RefKind != RefKind.None ? BoundShape.None : Shape(types, parameter.Type, known?.Kind);
        if (shape == BoundShape.None)
        {
            string? prefix = known is null ? EnvoyAttributes.OpenPrefixes.Where(p => dotted.StartsWith(p + ".", System.StringComparison.Ordinal)).OrderByDescending(p => p.Length).FirstOrDefault() : null;
            string kindText = known is not null ? $"a{(known.Kind == AttributeKind.Int ? "n" : string.Empty)} {KindName(known.Kind)} attribute"
                : prefix is not null ? $"a key under \"{prefix}\", which Envoy returns as bytes"
                : "not an Envoy attribute, so its type is unknown";
            diagnostics.Add(ShapeDiagnostics.BoundParameterNotFillable(at, "Property", parameter.Name, Display(parameter.Type), callback.Hook!,
                $"\"{dotted}\" is {kindText}: declare it by value as {Allowed(known?.Kind)}"));
            return null;
        }

        return new HookParameter(ParameterBinding.Property, string.Join("\0", segments), shape);
    }

    /// <summary>The shape of a property parameter of <paramref name="type"/> for an attribute of <paramref name="kind"/>
    /// (null: not in the table, raw bytes only).</summary>
    private static BoundShape Shape(KnownTypes types, ITypeSymbol type, AttributeKind? kind)
    {
        if (types.IsReadOnlySpanOfByte(type))
        {
            return BoundShape.Bytes;
        }

        if (KnownTypes.Is(type, types.OptionalBytes))
        {
            return BoundShape.Optional;
        }

        bool nullable = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
        ITypeSymbol value = nullable ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
        return kind switch
        {
            AttributeKind.Int when value.SpecialType == SpecialType.System_Int64 => nullable ? BoundShape.NullableInt64 : BoundShape.Int64,
            AttributeKind.UInt when value.SpecialType == SpecialType.System_UInt64 => nullable ? BoundShape.NullableUInt64 : BoundShape.UInt64,
            AttributeKind.Bool when value.SpecialType == SpecialType.System_Boolean => nullable ? BoundShape.NullableBool : BoundShape.Bool,
            AttributeKind.Timestamp when KnownTypes.Is(value, types.DateTimeOffset) => nullable ? BoundShape.NullableTimestamp : BoundShape.Timestamp,
            AttributeKind.Duration when KnownTypes.Is(value, types.TimeSpan) => nullable ? BoundShape.NullableDuration : BoundShape.Duration,
            AttributeKind.Map when !nullable && KnownTypes.Is(value, types.HeaderPairs) => BoundShape.Map,
            _ => BoundShape.None,
        };
    }

    private static string Allowed(AttributeKind? kind) => kind switch
    {
        AttributeKind.Int => "long, long?, ReadOnlySpan<byte> or OptionalBytes",
        AttributeKind.UInt => "ulong, ulong?, ReadOnlySpan<byte> or OptionalBytes",
        AttributeKind.Bool => "bool, bool?, ReadOnlySpan<byte> or OptionalBytes",
        AttributeKind.Timestamp => "DateTimeOffset, DateTimeOffset?, ReadOnlySpan<byte> or OptionalBytes",
        AttributeKind.Duration => "TimeSpan, TimeSpan?, ReadOnlySpan<byte> or OptionalBytes",
        AttributeKind.Map => "HeaderPairs, ReadOnlySpan<byte> or OptionalBytes",
        _ => "ReadOnlySpan<byte> or OptionalBytes",
    };

    private static string KindName(AttributeKind kind) => kind switch
    {
        AttributeKind.Int => "int",
        AttributeKind.UInt => "uint",
        AttributeKind.Bool => "bool",
        AttributeKind.Timestamp => "timestamp",
        AttributeKind.Duration => "duration",
        AttributeKind.Map => "map",
        AttributeKind.Bytes => "bytes",
        AttributeKind.Message => "message",
        _ => "string",
    };

    /// <summary>For PXW0024: the attributes of the path's group, or the groups and open prefixes.</summary>
    private static string KnownAttributesHint(string[] segments)
    {
        string[] group = segments.Length == 0 ? new string[0] : EnvoyAttributes.InGroup(segments[0]).Select(a => a.Path).ToArray();
        if (group.Length != 0)
        {
            return "the " + segments[0] + " attributes are " + string.Join(", ", group)
                + (EnvoyAttributes.OpenPrefixes.Any(p => p.StartsWith(segments[0] + ".", System.StringComparison.Ordinal)) ? "; keys go under " + string.Join(", ", EnvoyAttributes.OpenPrefixes.Where(p => p.StartsWith(segments[0] + ".", System.StringComparison.Ordinal)).Select(p => p + ".*")) : string.Empty);
        }

        string groups = string.Join(", ", EnvoyAttributes.All.Select(a => a.Path.Split('.')[0]).Distinct());
        return "Envoy's attributes start with " + groups + "; keys go under " + string.Join(", ", EnvoyAttributes.OpenPrefixes.Select(p => p + ".*"));
    }

    /// <summary>Why <paramref name="name"/> can never match a header Envoy holds, with the name to write, or null.</summary>
    internal static (string Reason, string Fix)? HeaderNameProblem(string name)
    {
        const string Example = "a lower-case name such as \"x-request-id\"";
        if (name.Length == 0)
        {
            return ("is empty", Example);
        }

        if (name == ":")
        {
            return ("is only the colon of a pseudo-header", "a pseudo-header such as \":authority\", or " + Example);
        }

        int start = name[0] == ':' ? 1 : 0;
        for (int i = start; i < name.Length; i++)
        {
            char c = name[i];
            if (!IsTokenChar(c))
            {
                string token = TokenFor(name.Substring(start));
                return ($"contains '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString())}', which a header name (an RFC 9110 token) cannot contain",
                    token.Length == 0 ? Example : $"\"{name.Substring(0, start)}{token}\"");
            }
        }

        if (name.Any(c => c >= 'A' && c <= 'Z'))
        {
            return ("has upper-case letters, but Envoy stores header names in lower case, so it never matches", $"\"{name.ToLowerInvariant()}\"");
        }

        return null;
    }

    /// <summary>The token a name with characters outside the token set probably means: each run of them becomes one
    /// '-' (none at the ends), lower case. "x foo" is "x-foo".</summary>
    private static string TokenFor(string name)
    {
        var token = new System.Text.StringBuilder(name.Length);
        bool separate = false;
        foreach (char c in name)
        {
            if (!IsTokenChar(c))
            {
                separate = token.Length != 0;
                continue;
            }

            if (separate)
            {
                token.Append('-');
                separate = false;
            }

            token.Append(c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c);
        }

        return token.ToString();
    }

    private static bool IsTokenChar(char c)
        => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
