#if (!network)
using System.Text;
#endif
using System.Text.Json.Serialization;
using ProxyWasm;

namespace MyFilter;

/// <summary>
/// The plugin of <see cref="FilterClass"/>: one instance per root context, that is per plugin configuration in Envoy.
/// The generated glue reads the plugin configuration, deserializes it as <see cref="FilterClassConfiguration"/> with
/// <see cref="FilterClassJson"/> (an empty configuration is <c>{}</c>: the defaults), and calls
/// <see cref="Configure"/>; JSON that does not fit the type is rejected with one log line naming the path, before this
/// runs.
/// </summary>
public sealed class FilterClassPlugin
{
    /// <summary>Checks what JSON cannot say. Returning false rejects the configuration: Envoy refuses the plugin and keeps
    /// serving with the others.</summary>
    [OnConfigure]
    public bool Configure(FilterClassConfiguration configuration)
    {
#if (network)
        if (configuration.MaxChunkBytes <= 0)
        {
            Log.Error("filter_root_id: maxChunkBytes must be positive"u8);
            return false;
        }
#else
        if (configuration.Utf8Header.IsEmpty)
        {
            Log.Error("filter_root_id: header must not be empty"u8);
            return false;
        }
#endif

        return true;
    }
}

#if (network)
/// <summary>
/// The plugin configuration of <see cref="FilterClass"/>: <c>{"maxChunkBytes": 65536}</c>. Members are <c>set</c>, not
/// <c>init</c>: System.Text.Json's source generator would set an init-only member the JSON does not have to its
/// default, overwriting the initializer.
/// </summary>
public sealed class FilterClassConfiguration
{
    /// <summary>The largest chunk of downstream data the filter lets through (JSON member <c>maxChunkBytes</c>).</summary>
    public int MaxChunkBytes { get; set; } = 65536;
}
#else
/// <summary>
/// The plugin configuration of <see cref="FilterClass"/>: <c>{"header": "x-filter-header-name", "value": "Hello from FilterClass"}</c>.
/// Members are <c>set</c>, not <c>init</c>: System.Text.Json's source generator would set an init-only member the JSON
/// does not have to its default, overwriting the initializer. The values are kept as UTF-8 from configuration time, so
/// requests do not encode them.
/// </summary>
public sealed class FilterClassConfiguration
{
    private byte[] _header = "x-filter-header-name"u8.ToArray();
    private byte[] _value = "Hello from FilterClass"u8.ToArray();

    /// <summary>The request header to set (JSON member <c>header</c>); Envoy keeps header names in lower case.</summary>
    public string Header
    {
        get => Encoding.UTF8.GetString(_header);
        set => _header = Encoding.UTF8.GetBytes(value.ToLowerInvariant());
    }

    /// <summary>Its value (JSON member <c>value</c>).</summary>
    public string Value
    {
        get => Encoding.UTF8.GetString(_value);
        set => _value = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The header name, UTF-8.</summary>
    [JsonIgnore]
    public ReadOnlySpan<byte> Utf8Header => _header;

    /// <summary>The header value, UTF-8.</summary>
    [JsonIgnore]
    public ReadOnlySpan<byte> Utf8Value => _value;
}
#endif

/// <summary>System.Text.Json source generation for <see cref="FilterClassConfiguration"/> (no reflection in the module):
/// camelCase members, <c>null</c> refused where the type says non-null, unknown members refused.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FilterClassConfiguration))]
internal sealed partial class FilterClassJson : JsonSerializerContext;
