using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>json_validation</c>. A request whose <c>content-type</c> is missing or not exactly
/// <c>application/json</c> (so <c>application/json; charset=utf-8</c> is refused too) is answered with a local 403,
/// body <c>content-type must be provided</c>, and paused. Otherwise its body is buffered to the end of the stream
/// (each body callback before it returns <see cref="FilterDataStatus.StopIterationAndBuffer"/>, Go's pause), then
/// validated: it must be JSON, and a JSON object holding every key the plugin requires
/// (<see cref="JsonValidationPlugin"/>). A body that is not JSON logs error <c>body is not a valid json:
/// "&lt;body&gt;"</c> (Go's <c>%q</c> quoting), a missing key logs error <c>required key (&lt;key&gt;) is missing:
/// &lt;json&gt;</c> (the first missing key in configuration order; the JSON from its first <c>{</c> or <c>[</c>); both get
/// a local 403, body <c>invalid payload</c>, and pause (a failed send logs error <c>failed to send the 403 response:
/// &lt;err&gt;</c>). A valid body continues. An empty body reads as Go's "not found": it logs error <c>failed to get
/// request body: error status returned by host: not found</c> and continues. A request without a body is not
/// validated.
/// </summary>
/// <remarks>
/// Where the port differs: the Go example reads each required key as a gjson path (<c>a.b</c> nested, wildcards,
/// array indexes); here a required key is a <b>top-level member name</b> of the body's JSON object, compared exactly
/// after unescaping, which is all the example's configuration (<c>["id", "token"]</c>) uses. The body is read with
/// <see cref="Utf8JsonReader"/>, a struct, so a valid body allocates nothing; an invalid one costs the exception the
/// reader throws. The reader's limits apply: at most 64 levels of nesting (deeper JSON counts as invalid), no comments,
/// no trailing commas. For a body that is a top-level JSON scalar, the missing-key line shows the token as it is in the
/// body (Go shows a string's decoded text). A failed local response in the headers callback, on which the Go example
/// panics, is ignored. The body is taken as it is when the stream ends, whatever the running total of body sizes
/// (the Go example sums each callback's size, which is already the buffered total, and reads that many bytes at most).
/// </remarks>
[HttpFilter("json_validation", Plugin = typeof(JsonValidationPlugin))]
public partial class JsonValidation
{
    private int _totalRequestBodySize;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, HttpStream stream)
    {
        if (!headers.TryGetValue("content-type"u8, out ReadOnlySpan<byte> contentType) || !contentType.SequenceEqual("application/json"u8))
        {
            stream.SendLocalResponse(403, "content-type must be provided"u8);
            return FilterHeadersStatus.StopIteration;
        }

        return FilterHeadersStatus.Continue;
    }

    [OnRequestBody]
    public FilterDataStatus OnRequestBody(RequestBody body, int bodySize, bool endOfStream, HttpStream stream, JsonValidationPlugin plugin)
    {
        _totalRequestBodySize = (int)Math.Min((long)_totalRequestBodySize + bodySize, int.MaxValue);
        if (!endOfStream)
        {
            return FilterDataStatus.StopIterationAndBuffer;
        }

        ReadOnlySpan<byte> payload = body.GetBytes(0, _totalRequestBodySize);
        if (payload.IsEmpty)
        {
            Log.Error("failed to get request body: error status returned by host: not found"u8);
            return FilterDataStatus.Continue;
        }

        if (!plugin.Validate(payload))
        {
            ProxyStatus status = stream.SendLocalResponse(403, "invalid payload"u8);
            if (status != ProxyStatus.Ok)
            {
                GoErrors.LogError("failed to send the 403 response: "u8, status);
            }

            return FilterDataStatus.StopIterationAndBuffer;
        }

        return FilterDataStatus.Continue;
    }
}

/// <summary>
/// The plugin (one per root context) of <see cref="JsonValidation"/>: the required keys, read at configure from the
/// plugin configuration <c>{"requiredKeys": ["k1", …]}</c> (the example's Envoy configuration requires <c>id</c> and
/// <c>token</c>). An empty configuration, or one without <c>requiredKeys</c> (or with <c>null</c>), requires nothing.
/// As with gjson's <c>Array()</c>, a <c>requiredKeys</c> that is not an array counts as a one-element list, and an
/// element that is not a string as the key <c>""</c>, which no body has (gjson finds nothing at an empty path).
/// Configuration that is not valid JSON logs critical <c>error parsing plugin configuration: the plugin configuration
/// is not a valid json: "&lt;configuration&gt;"</c> (Go's <c>%q</c> quoting) and rejects the configuration.
/// </summary>
/// <remarks>
/// Parsing the configuration allocates (a <see cref="JsonDocument"/> and the key arrays): it runs once per
/// configuration. Go's other failure, a configuration read error other than "not found", cannot be told apart from an
/// empty configuration through the runtime's configuration parameter, so it is not reported.
/// </remarks>
public sealed class JsonValidationPlugin
{
    private byte[][] _requiredKeys = [];
    private bool[] _found = [];

    /// <summary>The required top-level keys, UTF-8, in configuration order.</summary>
    public IReadOnlyList<byte[]> RequiredKeys => _requiredKeys;

    /// <summary>Reads the required keys.</summary>
    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        if (configuration.IsEmpty)
        {
            _requiredKeys = [];
            _found = [];
            return true;
        }

        JsonDocument? document;
        try
        {
            document = JsonDocument.Parse(configuration.ToArray(), new JsonDocumentOptions { MaxDepth = 1024 });
        }
        catch (JsonException)
        {
            document = null;
        }

        if (document is null)
        {
            var line = new Utf8ValueBuilder(stackalloc byte[256]);
            line.Append("error parsing plugin configuration: the plugin configuration is not a valid json: "u8);
            GoText.AppendQuoted(ref line, configuration);
            Log.Critical(line.AsSpan());
            line.Dispose();
            return false;
        }

        using (document)
        {
            var keys = new List<byte[]>();
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (property.NameEquals("requiredKeys"u8))
                    {
                        AddKeys(property.Value, keys);
                        break;
                    }
                }
            }

            _requiredKeys = keys.ToArray();
            _found = new bool[_requiredKeys.Length];
        }

        return true;
    }

    /// <summary>Whether <paramref name="payload"/> is JSON holding every required key; logs why not.</summary>
    internal bool Validate(ReadOnlySpan<byte> payload)
    {
        Array.Clear(_found);
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions());
        bool first = true;
        bool isObject = false;
        bool valid = true;
        try
        {
            while (reader.Read())
            {
                if (first)
                {
                    isObject = reader.TokenType == JsonTokenType.StartObject;
                    first = false;
                }

                if (isObject && reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    for (int i = 0; i < _requiredKeys.Length; i++)
                    {
                        if (!_found[i] && _requiredKeys[i].Length != 0 && reader.ValueTextEquals(_requiredKeys[i]))
                        {
                            _found[i] = true;
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            valid = false;
        }

        if (!valid)
        {
            var line = new Utf8ValueBuilder(stackalloc byte[256]);
            line.Append("body is not a valid json: "u8);
            GoText.AppendQuoted(ref line, payload);
            Log.Error(line.AsSpan());
            line.Dispose();
            return false;
        }

        for (int i = 0; i < _requiredKeys.Length; i++)
        {
            if (!_found[i])
            {
                var line = new Utf8ValueBuilder(stackalloc byte[256]);
                line.Append("required key ("u8);
                line.Append(_requiredKeys[i]);
                line.Append(") is missing: "u8);
                line.Append(GoText.Raw(payload));
                Log.Error(line.AsSpan());
                line.Dispose();
                return false;
            }
        }

        return true;
    }

    private static void AddKeys(JsonElement value, List<byte[]> keys)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.Array:
                foreach (JsonElement element in value.EnumerateArray())
                {
                    keys.Add(KeyOf(element));
                }

                return;
            default:
                keys.Add(KeyOf(value));
                return;
        }
    }

    private static byte[] KeyOf(JsonElement element)
        => element.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(element.GetString()!) : [];
}

/// <summary>Go's formatting of the texts the example logs.</summary>
internal static class GoText
{
    /// <summary>What gjson's <c>Result</c> prints for a parsed body: from the first <c>{</c> or <c>[</c> to the end; a
    /// top-level scalar as its token (quotes removed from a string; <c>null</c> prints nothing).</summary>
    public static ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> json)
    {
        int start = 0;
        while (start < json.Length && json[start] <= (byte)' ')
        {
            start++;
        }

        ReadOnlySpan<byte> rest = json.Slice(start);
        if (rest.IsEmpty || rest[0] is (byte)'{' or (byte)'[')
        {
            return rest;
        }

        var reader = new Utf8JsonReader(rest, new JsonReaderOptions());
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? default : reader.ValueSpan;
    }

    /// <summary>Appends <paramref name="text"/> quoted as Go's <c>strconv.Quote</c> (<c>%q</c>) does: in double quotes,
    /// <c>"</c> and <c>\</c> escaped, printable characters as they are, <c>\a \b \f \n \r \t \v</c>, other control
    /// bytes as <c>\xHH</c>, other unprintable characters as <c>\uHHHH</c> or <c>\UHHHHHHHH</c>, and each byte of an
    /// invalid UTF-8 sequence as <c>\xHH</c> (lower-case hex).</summary>
    public static void AppendQuoted(ref Utf8ValueBuilder line, ReadOnlySpan<byte> text)
    {
        Span<byte> escape = stackalloc byte[10];
        line.Append("\""u8);
        int i = 0;
        while (i < text.Length)
        {
            System.Buffers.OperationStatus decoded = Rune.DecodeFromUtf8(text.Slice(i), out Rune rune, out int width);
            if (decoded != System.Buffers.OperationStatus.Done)
            {
                line.Append(Hex(escape, "\\x"u8, text[i], 2));
                i++;
                continue;
            }

            int value = rune.Value;
            if (value is '"' or '\\')
            {
                escape[0] = (byte)'\\';
                escape[1] = (byte)value;
                line.Append(escape.Slice(0, 2));
            }
            else if (IsPrint(rune))
            {
                line.Append(text.Slice(i, width));
            }
            else
            {
                ReadOnlySpan<byte> named = value switch
                {
                    '\a' => "\\a"u8,
                    '\b' => "\\b"u8,
                    '\f' => "\\f"u8,
                    '\n' => "\\n"u8,
                    '\r' => "\\r"u8,
                    '\t' => "\\t"u8,
                    '\v' => "\\v"u8,
                    _ => default,
                };
                if (!named.IsEmpty)
                {
                    line.Append(named);
                }
                else if (value < ' ' || value == 0x7f)
                {
                    line.Append(Hex(escape, "\\x"u8, value, 2));
                }
                else if (value < 0x10000)
                {
                    line.Append(Hex(escape, "\\u"u8, value, 4));
                }
                else
                {
                    line.Append(Hex(escape, "\\U"u8, value, 8));
                }
            }

            i += width;
        }

        line.Append("\""u8);
    }


    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    /// <summary><paramref name="prefix"/> and the <paramref name="digits"/> lower-case hex digits of
    /// <paramref name="value"/>, written into <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<byte> Hex(Span<byte> buffer, ReadOnlySpan<byte> prefix, int value, int digits)
    {
        prefix.CopyTo(buffer);
        for (int d = 0; d < digits; d++)
        {
            buffer[prefix.Length + d] = "0123456789abcdef"u8[(value >> (4 * (digits - 1 - d))) & 0xF];
        }

        return buffer.Slice(0, prefix.Length + digits);
    }
}
