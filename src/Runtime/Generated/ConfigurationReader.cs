using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ProxyWasm.Generated;

/// <summary>
/// Reads a typed plugin or VM configuration for the glue: JSON (UTF-8) through the author's System.Text.Json source
/// generated <see cref="JsonTypeInfo{T}"/> (no reflection), with one error log line naming the JSON path when the
/// configuration is rejected. Runs in <c>proxy_on_configure</c> / <c>proxy_on_vm_start</c>, not per request, so the
/// value it builds may allocate. For generated code; see docs/configuration.md.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ConfigurationReader
{
    /// <summary>Whether <paramref name="configuration"/> is plain text for an <see cref="IPlainTextConfiguration{TSelf}"/>
    /// type: not empty, and its first byte after JSON white space is neither <c>{</c> nor <c>[</c>.</summary>
    public static bool IsPlainText(ReadOnlySpan<byte> configuration)
    {
        ReadOnlySpan<byte> trimmed = TrimStart(configuration);
        return !trimmed.IsEmpty && trimmed[0] != (byte)'{' && trimmed[0] != (byte)'[';
    }

    /// <summary>Deserializes <paramref name="configuration"/>; empty (or JSON white space only) deserializes
    /// <paramref name="empty"/> (<c>{}</c> or <c>[]</c>), so the type's defaults apply.</summary>
    /// <param name="configuration">The configuration buffer.</param>
    /// <param name="empty">The JSON for an empty configuration.</param>
    /// <param name="typeInfo">The source-generated metadata of <typeparamref name="T"/>.</param>
    /// <param name="what">What is read, for the log line (UTF-8), e.g. <c>"add_header: plugin configuration"u8</c>.</param>
    /// <param name="value">The configuration, when the result is true.</param>
    /// <returns>False (after one <see cref="LogLevel.Error"/> line naming the JSON path, the position and what was
    /// expected) when the bytes are not JSON, do not match <typeparamref name="T"/> (wrong types, missing required
    /// members, unknown members when the type or context disallows them) or are <c>null</c>.</returns>
    public static bool TryRead<T>(ReadOnlySpan<byte> configuration, ReadOnlySpan<byte> empty, JsonTypeInfo<T> typeInfo, ReadOnlySpan<byte> what, out T value)
    {
        value = default!;
        ReadOnlySpan<byte> json = TrimStart(configuration).IsEmpty ? empty : configuration;
        try
        {
            T? result = JsonSerializer.Deserialize(json, typeInfo);
            if (result is null)
            {
                Reject(what, "$", null, "the configuration is null; expected a JSON value of type " + typeof(T).Name);
                return false;
            }

            value = result;
            return true;
        }
        catch (JsonException exception)
        {
            string position = exception.LineNumber is { } line
                ? $"line {line + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}"
                : string.Empty;
            Reject(what, exception.Path ?? "$", position, Reason(exception.Message));
            return false;
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // A converter or constructor of the configuration type refused the value.
            Reject(what, "$", null, exception.Message);
            return false;
        }
    }

    /// <summary>Reads plain-text <paramref name="configuration"/> with <see cref="IPlainTextConfiguration{TSelf}.FromPlainText"/>.</summary>
    /// <returns>False (after one <see cref="LogLevel.Error"/> line) when it throws or returns null.</returns>
    public static bool TryReadPlainText<T>(ReadOnlySpan<byte> configuration, ReadOnlySpan<byte> what, out T value)
        where T : IPlainTextConfiguration<T>
    {
        value = default!;
        try
        {
            T? result = T.FromPlainText(configuration);
            if (result is null)
            {
                Reject(what, "$", null, typeof(T).Name + ".FromPlainText returned null");
                return false;
            }

            value = result;
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Reject(what, "$", null, "plain text: " + exception.GetType().Name + ": " + exception.Message);
            return false;
        }
    }

    /// <summary>The exception a hook gets (and its failure policy applies) when it takes the configuration of a root
    /// context whose <c>proxy_on_configure</c> did not accept one: a host that creates streams before configuring.</summary>
    public static InvalidOperationException NotConfigured(string filter)
        => new($"{filter}: the plugin has no accepted configuration (proxy_on_configure did not succeed on this root context).");

    private static void Reject(ReadOnlySpan<byte> what, string path, string? position, string reason)
    {
        try
        {
            var message = new Utf8ValueBuilder(stackalloc byte[512]);
            message.Append("proxy-wasm: "u8);
            message.Append(what);
            message.Append(" rejected at "u8);
            message.Append(path.AsSpan());
            if (!string.IsNullOrEmpty(position))
            {
                message.Append(" ("u8);
                message.Append(position.AsSpan());
                message.Append(")"u8);
            }

            message.Append(": "u8);
            message.Append(OneLine(reason).AsSpan());
            Log.Write(LogLevel.Error, message.AsSpan());
            message.Dispose();
        }
        catch (Exception)
        {
            Log.Write(LogLevel.Error, "proxy-wasm: a configuration was rejected, and formatting the reason failed."u8);
        }
    }

    /// <summary>STJ's message without its " Path: $.x | LineNumber: 0 | BytePositionInLine: 5." suffix, which the log
    /// line already gives.</summary>
    private static string Reason(string message)
    {
        int suffix = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return suffix > 0 ? message.Substring(0, suffix) : message;
    }

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return bytes.Slice(i);
    }
}
