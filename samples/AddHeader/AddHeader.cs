using System;
using System.Text;
using System.Text.Json.Serialization;
using ProxyWasm;

namespace ProxyWasm.Samples;

/// <summary>Adds the response header <c>hello</c> with the configured value, or <c>world!</c> when the configuration is
/// empty. The configuration is typed (<see cref="AddHeaderConfiguration"/>): the glue reads it once per plugin.</summary>
[HttpFilter("add_header", Configuration = typeof(AddHeaderConfiguration))]
public partial class AddHeader
{
    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers, AddHeaderConfiguration configuration)
    {
        headers.Add("hello"u8, configuration.Utf8Value);
        return FilterHeadersStatus.Continue;
    }
}

/// <summary>
/// The configuration of <see cref="AddHeader"/>: <c>{"value": "..."}</c>. Empty configuration is <c>{}</c>, so the value
/// is <c>world!</c>. Configuration that does not start with <c>{</c> or <c>[</c> is plain text and is the value as it
/// is, byte for byte (the seed's behaviour, and an Istio <c>StringValue</c>): <c>goodbye</c> gives <c>hello: goodbye</c>.
/// Members other than <c>value</c>, or a <c>value</c> that is not a string, reject the plugin.
/// </summary>
public sealed class AddHeaderConfiguration : IPlainTextConfiguration<AddHeaderConfiguration>
{
    private byte[] _value = "world!"u8.ToArray();

    /// <summary>The header value (JSON member <c>value</c>).</summary>
    public string Value
    {
        get => Encoding.UTF8.GetString(_value);
        set => _value = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The header value, UTF-8, kept from configuration time so requests do not encode it.</summary>
    [JsonIgnore]
    public ReadOnlySpan<byte> Utf8Value => _value;

    /// <inheritdoc/>
    public static AddHeaderConfiguration FromPlainText(ReadOnlySpan<byte> utf8) => new() { _value = utf8.ToArray() };
}

/// <summary>System.Text.Json source generation for <see cref="AddHeaderConfiguration"/>: camelCase members, nulls
/// refused where the type says non-null, unknown members refused.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(AddHeaderConfiguration))]
internal sealed partial class AddHeaderJson : JsonSerializerContext;
