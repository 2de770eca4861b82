using System;
using System.Text;
using System.Text.Json.Serialization;
using ProxyWasm;

namespace ProxyWasm.Samples.Tests.TestFilters;

/// <summary>
/// Typed VM and plugin configuration on a plugin, and bound header and property parameters: adds
/// <c>x-greeting: {vm greeting}{plugin suffix}</c>, <c>x-authority: present|absent</c>, <c>x-path: {request.path}</c> and
/// <c>x-port: {source.port}|none</c> to each request. The plugin counts ticks with the configuration it was given.
/// </summary>
[HttpFilter("configured", Plugin = typeof(ConfiguredPlugin))]
public partial class ConfiguredFilter
{
    [OnRequestHeaders]
    public FilterHeadersStatus Request(RequestHeaders headers, ConfiguredPlugin plugin, Suffix suffix,
        [Header(":authority")] OptionalBytes authority, [Property("request.path")] ReadOnlySpan<byte> path, [Property("source.port")] long? port)
    {
        var greeting = new Utf8ValueBuilder(stackalloc byte[64]);
        greeting.Append(plugin.Greeting);
        greeting.Append(suffix.Utf8);
        headers.Replace("x-greeting"u8, greeting.AsSpan());
        greeting.Dispose();
        headers.Replace("x-authority"u8, authority.HasValue ? "present"u8 : "absent"u8);
        headers.Replace("x-path"u8, path);
        var text = new Utf8ValueBuilder(stackalloc byte[32]);
        if (port is { } value)
        {
            text.Append(value);
        }
        else
        {
            text.Append("none"u8);
        }

        headers.Replace("x-port"u8, text.AsSpan());
        text.Dispose();
        return FilterHeadersStatus.Continue;
    }
}

/// <summary>The plugin of <see cref="ConfiguredFilter"/>.</summary>
public sealed class ConfiguredPlugin
{
    private byte[] _greeting = Array.Empty<byte>();

    /// <summary>The VM configuration's greeting, UTF-8.</summary>
    public ReadOnlySpan<byte> Greeting => _greeting;

    /// <summary>Ticks seen with a configuration whose suffix is not empty.</summary>
    public int Ticks { get; private set; }

    /// <summary>VM start: rejects a greeting of "reject".</summary>
    [OnVmStart]
    public bool Start(VmGreeting configuration)
    {
        _greeting = Encoding.UTF8.GetBytes(configuration.Greeting);
        return configuration.Greeting != "reject";
    }

    /// <summary>Configure: rejects a suffix longer than 8 characters.</summary>
    [OnConfigure]
    public bool Configure(Suffix configuration) => configuration.Text.Length <= 8;

    /// <summary>A tick sees the accepted configuration.</summary>
    [OnTick]
    public void Tick(Suffix suffix) => Ticks += suffix.Text.Length > 0 ? 1 : 0;
}

/// <summary>The VM configuration: <c>{"greeting": "..."}</c> (required).</summary>
public sealed class VmGreeting
{
    /// <summary>The greeting.</summary>
    public required string Greeting { get; set; }
}

/// <summary>The plugin configuration: <c>{"text": "..."}</c>, or plain text (the suffix itself).</summary>
public sealed class Suffix : IPlainTextConfiguration<Suffix>
{
    private byte[] _utf8 = "."u8.ToArray();

    /// <summary>The suffix.</summary>
    public string Text
    {
        get => Encoding.UTF8.GetString(_utf8);
        set => _utf8 = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The suffix, UTF-8.</summary>
    [JsonIgnore]
    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <inheritdoc/>
    public static Suffix FromPlainText(ReadOnlySpan<byte> utf8)
        => utf8.SequenceEqual("throw"u8) ? throw new FormatException("'throw' is not a suffix") : new Suffix { _utf8 = utf8.ToArray() };
}

/// <summary>Source-generated metadata for the configurations of the test filters.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(VmGreeting))]
[JsonSerializable(typeof(Suffix))]
internal sealed partial class TestConfigurationJson : JsonSerializerContext;

/// <summary>A network filter with a typed configuration and no plugin: prepends the configured suffix text to each
/// downstream chunk.</summary>
[NetworkFilter("tcp_configured", Configuration = typeof(Suffix))]
public partial class ConfiguredTcpFilter
{
    [OnDownstreamData]
    public FilterStatus Downstream(DownstreamData data, Suffix prefix)
    {
        data.Prepend(prefix.Utf8);
        return FilterStatus.Continue;
    }
}
