using System;

namespace ProxyWasm;

/// <summary>
/// Binds a hook parameter to one header of the stream, read by the glue before the hook runs with one
/// <c>proxy_get_header_map_value</c> call: request headers in <see cref="OnRequestHeadersAttribute"/>,
/// <see cref="OnRequestBodyAttribute"/> and <see cref="OnRequestTrailersAttribute"/> hooks, response headers in the
/// response ones. Other hooks have no header direction: read <c>[Property("request.headers.name")]</c> there.
/// </summary>
/// <remarks>
/// <para>Parameter types: <see cref="ReadOnlySpan{T}"/> of <see cref="byte"/> (the value, UTF-8 or any bytes Envoy
/// holds; empty when the header is absent), <see cref="OptionalBytes"/> (the value and whether the header exists), or
/// <see cref="bool"/> (whether it exists). With several values Envoy returns the first. The bytes are valid until the
/// hook returns.</para>
/// <para>The name is matched as Envoy stores it: lower case (pseudo-headers with their leading colon, such as
/// <c>:authority</c>); a name with upper-case letters or characters outside the HTTP token set is diagnostic PXW0023.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class HeaderAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The lower-case header name, e.g. <c>":authority"</c> or <c>"x-request-id"</c>.</param>
    public HeaderAttribute(string name) => Name = name;

    /// <summary>The lower-case header name.</summary>
    public string Name { get; }
}

/// <summary>
/// Binds a hook parameter to one Envoy attribute (a property), read by the glue before the hook runs with one
/// <c>proxy_get_property</c> call. The path is the attribute's dotted name (<c>"request.path"</c>,
/// <c>"source.port"</c>, <c>"request.headers.x-foo"</c>), or its segments one per argument when a segment contains a
/// dot (<c>[Property("metadata", "filter_metadata", "envoy.lb")]</c>); the glue passes it NUL-joined.
/// </summary>
/// <remarks>
/// <para>Parameter types by the attribute's type (Envoy's attribute table): any attribute as
/// <see cref="ReadOnlySpan{T}"/> of <see cref="byte"/> (raw bytes; empty when absent) or <see cref="OptionalBytes"/>;
/// <c>int</c> attributes as <see cref="long"/> or <see cref="Nullable{T}"/> of <see cref="long"/>; <c>uint</c> as
/// <see cref="ulong"/>; <c>bool</c> as <see cref="bool"/>; <c>timestamp</c> as <see cref="DateTimeOffset"/>;
/// <c>duration</c> as <see cref="TimeSpan"/>; <c>map</c> as <see cref="HeaderPairs"/> (empty when absent). Each typed one except
/// <see cref="HeaderPairs"/> may also be nullable: null when absent or not of the attribute's size; otherwise the default
/// value (0, false, ...) is passed for those. A path that is not an Envoy attribute is
/// warning PXW0024; a type that does not match the attribute is PXW0022.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class PropertyAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="path">The dotted attribute name (one argument), or its segments (several arguments).</param>
    public PropertyAttribute(params string[] path) => Path = path;

    /// <summary>The path as written.</summary>
    public string[] Path { get; }
}

/// <summary>
/// Bytes the host may not have: the value of a bound <see cref="HeaderAttribute"/> or <see cref="PropertyAttribute"/>
/// parameter, telling an absent value from an empty one without an <see langword="out"/> parameter. Valid until the
/// hook returns (it views host memory the glue frees after the callback).
/// </summary>
public readonly ref struct OptionalBytes
{
    /// <summary>A present value.</summary>
    public OptionalBytes(ReadOnlySpan<byte> value)
    {
        Value = value;
        HasValue = true;
    }

    /// <summary>Whether the header or property exists.</summary>
    public bool HasValue { get; }

    /// <summary>The bytes; empty when absent (or present and empty: see <see cref="HasValue"/>).</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The bytes (empty when absent).</summary>
    public static implicit operator ReadOnlySpan<byte>(OptionalBytes value) => value.Value;
}

/// <summary>
/// A JSON configuration type that also accepts plain text. When the configuration's first byte that is not JSON white
/// space is neither <c>{</c> nor <c>[</c>, the glue calls <see cref="FromPlainText"/> instead of the JSON deserializer,
/// so a filter keeps working with an Istio <c>StringValue</c> or an Envoy string configuration. A configuration that
/// starts with <c>{</c> or <c>[</c> is always JSON, so a typo in a JSON object is still rejected, not taken as text.
/// </summary>
/// <typeparam name="TSelf">The configuration type.</typeparam>
public interface IPlainTextConfiguration<TSelf>
{
    /// <summary>The configuration for plain-text <paramref name="utf8"/> (the whole buffer, never empty: empty
    /// configuration is JSON <c>{}</c>). Throwing rejects the configuration, as invalid JSON does.</summary>
    static abstract TSelf FromPlainText(ReadOnlySpan<byte> utf8);
}
