using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxyWasm.Testing;

namespace ProxyWasm.Cli.Output;

/// <summary>Small formatting helpers shared by the text and JSON reports.</summary>
internal static class Text
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A body or value in double quotes, with newlines, tabs, quotes and backslashes escaped.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Whether <paramref name="bytes"/> are valid UTF-8.</summary>
    public static bool IsUtf8(byte[] bytes)
    {
        try
        {
            StrictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A header list as JSON: <c>[{"name": ..., "value": ...}]</c>.</summary>
    public static JsonArray Headers(IEnumerable<Header> headers)
        => new(headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.NameText, ["value"] = h.ValueText }).ToArray());

    /// <summary>Adds <c>"body"</c> (UTF-8 text, null when empty) and, for bytes that are not UTF-8, <c>"bodyBase64"</c>.</summary>
    public static void AddBody(JsonObject target, byte[] body)
    {
        target["body"] = body.Length == 0 ? null : Encoding.UTF8.GetString(body);
        if (body.Length != 0 && !IsUtf8(body))
        {
            target["bodyBase64"] = Convert.ToBase64String(body);
        }
    }

    /// <summary>A list of names as a JSON array.</summary>
    public static JsonArray Names(IEnumerable<string> names) => new(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray());

    /// <summary>Indented JSON, non-ASCII text kept as is.</summary>
    public static string Json(JsonNode node) => node.ToJsonString(Indented);

    /// <summary>Names sorted ordinally.</summary>
    public static IEnumerable<string> Sorted(IEnumerable<string> names) => names.OrderBy(n => n, StringComparer.Ordinal);
}
