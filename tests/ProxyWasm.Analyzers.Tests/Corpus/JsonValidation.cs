// Corpus: JSON request validation (the Rust SDK "json validation" example): a POST body must be a JSON object with a
// string "id"; anything else is answered with 400 without reaching the upstream.
using System;
using System.Text.Json;
using ProxyWasm;

namespace Corpus.JsonValidation;

[HttpFilter("json_validation")]
public partial class JsonValidation
{
    private bool _validate;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)
    {
        _validate = headers.GetValue(":method"u8).SequenceEqual("POST"u8)
            && headers.GetValue("content-type"u8).StartsWith("application/json"u8);
        return FilterHeadersStatus.Continue;
    }

    [OnRequestBody]
    public FilterDataStatus OnRequestBody(RequestBody body, int bodySize, bool endOfStream, HttpStream stream)
    {
        if (!_validate)
        {
            return FilterDataStatus.Continue;
        }

        if (!endOfStream)
        {
            return FilterDataStatus.StopIterationAndBuffer;
        }

        if (!HasStringId(body.GetBytes()))
        {
            stream.SendLocalResponse(400, "body must be a JSON object with a string \"id\"\n"u8);
            return FilterDataStatus.StopIterationNoBuffer;
        }

        return FilterDataStatus.Continue;
    }

    private static bool HasStringId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        if (!TryRead(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (TryRead(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isId = reader.ValueTextEquals("id"u8);
            if (!TryRead(ref reader))
            {
                return false;
            }

            if (isId)
            {
                return reader.TokenType == JsonTokenType.String;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !TrySkip(ref reader))
            {
                return false;
            }
        }

        return false;
    }

    // Malformed JSON makes Utf8JsonReader throw: that is the library's error path, caught here so the request gets a 400.
    private static bool TryRead(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TrySkip(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.TrySkip();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
