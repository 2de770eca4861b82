using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace ProxyWasm.Samples;

/// <summary>
/// Adds and removes request and response headers as the plugin configuration says (<see cref="HeadersConfiguration"/>,
/// Envoy's <c>request_headers_to_add</c> / <c>response_headers_to_remove</c> route options as a filter), and, with
/// <c>set_request_id_in_response</c>, echoes the request id in the response as <c>x-request-id</c> when the upstream did
/// not set one (Envoy's <c>always_set_request_id_in_response</c>). In each direction the configured names are removed
/// first, then the entries are added in order: <c>"append": false</c> (the default) replaces every value of the header,
/// <c>true</c> adds one more. The request id echo comes after the response edits.
/// </summary>
/// <remarks>The configuration is read, validated and turned into UTF-8 bytes once per plugin in
/// <c>proxy_on_configure</c> (<see cref="ConfiguredHeadersPlugin.Configure"/>); the glue hands the kept value to both
/// hooks, which only pass spans to the host: no allocation and no encoding per request.</remarks>
[HttpFilter("configured_headers", Plugin = typeof(ConfiguredHeadersPlugin))]
public partial class ConfiguredHeaders
{
    /// <summary>Removes, then adds the configured request headers.</summary>
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, HeadersConfiguration configuration)
    {
        configuration.Request.ApplyTo(headers);
        return FilterHeadersStatus.Continue;
    }

    /// <summary>Removes, then adds the configured response headers; then adds <c>x-request-id: &lt;request.id&gt;</c>
    /// when <c>set_request_id_in_response</c> is on, the upstream response has no <c>x-request-id</c> and the request
    /// has an id.</summary>
    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(
        ResponseHeaders headers,
        HeadersConfiguration configuration,
        [Property("request.id")] ReadOnlySpan<byte> requestId,
        [Header("x-request-id")] bool upstreamSetRequestId)
    {
        configuration.Response.ApplyTo(headers);
        if (configuration.SetRequestIdInResponse && !upstreamSetRequestId && !requestId.IsEmpty)
        {
            headers.Add("x-request-id"u8, requestId);
        }

        return FilterHeadersStatus.Continue;
    }
}

/// <summary>
/// The plugin (root context) of <see cref="ConfiguredHeaders"/>: checks what JSON cannot say about the configuration
/// (header names are lower-case RFC 9110 tokens, not pseudo-headers; values hold no NUL, CR or LF) and prepares the
/// UTF-8 bytes the stream hooks send. A rejected configuration logs one error line naming the member, e.g.
/// <c>configured_headers: request_headers_to_add[1].name "X-Foo" is not a lower-case header name</c>, and Envoy
/// rejects the plugin. (JSON that does not match <see cref="HeadersConfiguration"/> never gets here: the glue logs
/// its JSON path and rejects it first.)
/// </summary>
public sealed class ConfiguredHeadersPlugin
{
    /// <summary>Validates <paramref name="configuration"/> and prepares its header edits; runs once per
    /// <c>proxy_on_configure</c>, so it may allocate.</summary>
    /// <returns><see langword="false"/> (after one error log line) for the first invalid name or value.</returns>
    [OnConfigure]
    public bool Configure(HeadersConfiguration configuration)
    {
        if (!TryPrepare(configuration.RequestHeadersToAdd, configuration.RequestHeadersToRemove, "request", out HeaderEdits? request)
            || !TryPrepare(configuration.ResponseHeadersToAdd, configuration.ResponseHeadersToRemove, "response", out HeaderEdits? response))
        {
            return false;
        }

        configuration.Request = request;
        configuration.Response = response;
        return true;
    }

    private static bool TryPrepare(List<HeaderToAdd> add, List<string> remove, string direction, [NotNullWhen(true)] out HeaderEdits? edits)
    {
        edits = null;
        var entries = new HeaderEntry[add.Count];
        for (int i = 0; i < add.Count; i++)
        {
            string member = $"{direction}_headers_to_add[{i}]";

            // JSON null in a list: the nullable annotations of the element type are not enforced by System.Text.Json.
            if (add[i] is not { } entry)
            {
                return Reject($"{member} is null; expected an object with \"name\" and \"value\"");
            }

            if (!IsValidName(entry.Name, member + ".name") || !IsValidValue(entry.Value, member + ".value"))
            {
                return false;
            }

            entries[i] = new HeaderEntry(Encoding.ASCII.GetBytes(entry.Name), Encoding.UTF8.GetBytes(entry.Value), entry.Append);
        }

        var names = new byte[remove.Count][];
        for (int i = 0; i < remove.Count; i++)
        {
            string member = $"{direction}_headers_to_remove[{i}]";
            if (remove[i] is not { } name)
            {
                return Reject($"{member} is null; expected a header name");
            }

            if (!IsValidName(name, member))
            {
                return false;
            }

            names[i] = Encoding.ASCII.GetBytes(name);
        }

        edits = new HeaderEdits(names, entries);
        return true;
    }

    /// <summary>A lower-case RFC 9110 token (<c>tchar</c>s without A-Z) that is not a pseudo-header.</summary>
    private static bool IsValidName(string name, string member)
    {
        if (name.StartsWith(':'))
        {
            return Reject($"{member} {Quote(name)} is a pseudo-header; only regular headers can be added or removed");
        }

        bool token = name.Length != 0;
        foreach (char c in name)
        {
            token &= c is (>= 'a' and <= 'z') or (>= '0' and <= '9') || "!#$%&'*+-.^_`|~".Contains(c);
        }

        return token || Reject($"{member} {Quote(name)} is not a lower-case header name");
    }

    /// <summary>RFC 9110 field values never hold NUL, CR or LF (Envoy refuses them).</summary>
    private static bool IsValidValue(string value, string member)
        => value.AsSpan().IndexOfAny('\0', '\r', '\n') < 0 || Reject($"{member} {Quote(value)} contains NUL, CR or LF, which a header value cannot hold");

    private static bool Reject(string reason)
    {
        Log.Error("configured_headers: " + reason);
        return false;
    }

    /// <summary>The text in double quotes, with quotes, backslashes and control characters escaped as in JSON.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            _ = c switch
            {
                '"' or '\\' => quoted.Append('\\').Append(c),
                '\r' => quoted.Append("\\r"),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                < ' ' or '\u007f' => quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}

/// <summary>
/// The plugin configuration of <see cref="ConfiguredHeaders"/> (JSON, snake_case member names; every member optional):
/// <code>
/// {
///   "request_headers_to_add": [{"name": "x-env", "value": "prod", "append": false}],
///   "request_headers_to_remove": ["x-debug"],
///   "response_headers_to_add": [{"name": "x-served-by", "value": "edge", "append": true}],
///   "response_headers_to_remove": ["server"],
///   "set_request_id_in_response": true
/// }
/// </code>
/// Empty configuration is <c>{}</c>: nothing changes. Unknown members, wrong types, <c>null</c> members and entries
/// without <c>name</c> or <c>value</c> reject the plugin (see <see cref="ConfiguredHeadersJson"/>).
/// </summary>
public sealed class HeadersConfiguration
{
    /// <summary>Request headers to add, in order, after the removals.</summary>
    public List<HeaderToAdd> RequestHeadersToAdd { get; set; } = [];

    /// <summary>Request header names to remove (every value).</summary>
    public List<string> RequestHeadersToRemove { get; set; } = [];

    /// <summary>Response headers to add, in order, after the removals.</summary>
    public List<HeaderToAdd> ResponseHeadersToAdd { get; set; } = [];

    /// <summary>Response header names to remove (every value).</summary>
    public List<string> ResponseHeadersToRemove { get; set; } = [];

    /// <summary>Whether the response gets <c>x-request-id</c> with the request id (property <c>request.id</c>) when
    /// the upstream did not set it.</summary>
    public bool SetRequestIdInResponse { get; set; }

    /// <summary>The request edits as UTF-8 bytes, set by <see cref="ConfiguredHeadersPlugin.Configure"/>.</summary>
    internal HeaderEdits Request { get; set; } = HeaderEdits.None;

    /// <summary>The response edits as UTF-8 bytes, set by <see cref="ConfiguredHeadersPlugin.Configure"/>.</summary>
    internal HeaderEdits Response { get; set; } = HeaderEdits.None;
}

/// <summary>One header to add: <c>{"name": "x-env", "value": "prod", "append": false}</c>.</summary>
public sealed class HeaderToAdd
{
    /// <summary>The header name: a lower-case RFC 9110 token, not a pseudo-header. Required.</summary>
    public required string Name { get; set; }

    /// <summary>The value (any text without NUL, CR or LF; sent as UTF-8). Required.</summary>
    public required string Value { get; set; }

    /// <summary><see langword="false"/> (default): replace every value of the header; <see langword="true"/>: add
    /// one more value next to those already there.</summary>
    public bool Append { get; set; }
}

/// <summary>One direction's edits, prepared at configure time: the names to remove and the entries to add, as
/// UTF-8 bytes.</summary>
internal sealed class HeaderEdits(byte[][] remove, HeaderEntry[] add)
{
    /// <summary>No edits.</summary>
    public static readonly HeaderEdits None = new([], []);

    /// <summary>Removes, then adds, on <paramref name="map"/> (one host call each, spans only).</summary>
    public void ApplyTo<TMap>(TMap map)
        where TMap : struct, IHeaderMap
    {
        for (int i = 0; i < remove.Length; i++)
        {
            map.Remove(remove[i]);
        }

        for (int i = 0; i < add.Length; i++)
        {
            HeaderEntry entry = add[i];
            if (entry.Append)
            {
                map.Add(entry.Name, entry.Value);
            }
            else
            {
                map.Replace(entry.Name, entry.Value);
            }
        }
    }
}

/// <summary>A header to add, as UTF-8 bytes.</summary>
internal readonly record struct HeaderEntry(byte[] Name, byte[] Value, bool Append);

/// <summary>System.Text.Json source generation for <see cref="HeadersConfiguration"/>: snake_case members, unknown
/// members refused, <c>null</c> refused where the type says non-null, and <c>required</c> members enforced.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(HeadersConfiguration))]
internal sealed partial class ConfiguredHeadersJson : JsonSerializerContext;
