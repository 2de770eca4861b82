using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ProxyWasm.Cli.Output;
using ProxyWasm.Testing;

namespace ProxyWasm.Cli.Run;

/// <summary>
/// The request and the upstream response of <c>proxywasm run</c>, from curl-like flags. Without request flags the
/// request is the one curl sends through Envoy (<see cref="DefaultRequest"/>). <c>-H 'name: value'</c> replaces the
/// default header of that name (or adds one); <c>-H 'name:'</c> removes it, <c>-H 'name;'</c> sends it empty, as in
/// curl; <c>-X</c>, <c>--path</c>, <c>--authority</c>, <c>--scheme</c> set the pseudo-headers; a body
/// (<c>-d</c>, <c>--data-file</c>) makes the method POST unless <c>-X</c> says otherwise and adds
/// <c>content-length</c> and (as curl does for <c>-d</c>) <c>content-type: application/x-www-form-urlencoded</c>.
/// </summary>
internal sealed class RequestFlags
{
    /// <summary>The request curl sends to example.com through Envoy (Envoy adds <c>x-request-id</c>).</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> DefaultRequest =
    [
        (":method", "GET"), (":scheme", "http"), (":authority", "example.com"), (":path", "/get"),
        ("user-agent", "curl/8.5.0"), ("accept", "*/*"), ("x-request-id", "0b9e911a-26d3-4b4d-9b1d-5f94178e39d0"),
    ];

    public string[] Headers { get; init; } = [];

    public string? Method { get; init; }

    public string? Path { get; init; }

    public string? Authority { get; init; }

    public string? Scheme { get; init; }

    public string? Data { get; init; }

    public string? DataFile { get; init; }

    public string? ResponseStatus { get; init; }

    public string[] ResponseHeaders { get; init; } = [];

    public string? ResponseBody { get; init; }

    /// <summary>The client's request. Usage errors (exit 2): a malformed header, a missing data file, both -d and --data-file.</summary>
    public HttpRequest BuildRequest()
    {
        byte[] body = Bytes("-d/--data", Data, "--data-file", DataFile) ?? [];
        var headers = DefaultRequest.Select(h => (h.Name, Value: (string?)h.Value)).ToList();
        if (body.Length != 0)
        {
            // Where curl puts them: after accept, before what Envoy adds.
            int at = headers.FindIndex(h => h.Name == "x-request-id");
            headers.Insert(at, ("content-length", body.Length.ToString(CultureInfo.InvariantCulture)));
            headers.Insert(at + 1, ("content-type", "application/x-www-form-urlencoded"));
            Set(headers, ":method", "POST");
        }

        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (string flag in Headers)
        {
            (string name, string? value) = ParseHeader("-H", flag);
            Apply(headers, replaced, name, value);
        }

        SetIf(headers, ":method", Method, "-X/--method");
        SetIf(headers, ":path", Path, "--path");
        SetIf(headers, ":authority", Authority, "--authority");
        SetIf(headers, ":scheme", Scheme, "--scheme");
        return new HttpRequest(ToList(headers), body);
    }

    /// <summary>The upstream's response: <c>:status</c> (default 200), the <c>--response-header</c> headers, and the
    /// body with its <c>content-length</c>.</summary>
    public HttpResponse BuildResponse()
    {
        int status = 200;
        if (ResponseStatus is not null
            && (!int.TryParse(ResponseStatus, NumberStyles.None, CultureInfo.InvariantCulture, out status) || status is < 100 or > 999))
        {
            throw CliException.Usage($"--response-status '{ResponseStatus}' is not an HTTP status (100-999)");
        }

        byte[] body = ResponseBody is null ? [] : Encoding.UTF8.GetBytes(ResponseBody);
        var headers = new List<(string Name, string? Value)> { (":status", status.ToString(CultureInfo.InvariantCulture)) };
        if (body.Length != 0)
        {
            headers.Add(("content-length", body.Length.ToString(CultureInfo.InvariantCulture)));
        }

        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (string flag in ResponseHeaders)
        {
            (string name, string? value) = ParseHeader("--response-header", flag);
            Apply(headers, replaced, name, value);
        }

        return new HttpResponse(ToList(headers), body);
    }

    /// <summary>Whether any response flag was given (otherwise the upstream answers <c>:status: 200</c> only).</summary>
    public bool HasResponse => ResponseStatus is not null || ResponseHeaders.Length != 0 || ResponseBody is not null;

    /// <summary>
    /// <c>name: value</c>; <c>name:</c> (nothing after the colon) removes the header (value null); <c>name;</c> is an
    /// empty value. A leading colon is part of the name (<c>:authority: example.org</c>).
    /// </summary>
    internal static (string Name, string? Value) ParseHeader(string flag, string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length > 1 && trimmed.EndsWith(';') && trimmed.IndexOf(':', trimmed.StartsWith(':') ? 1 : 0) < 0)
        {
            string emptyName = trimmed[..^1].Trim();
            if (IsName(emptyName))
            {
                return (emptyName.ToLowerInvariant(), string.Empty);
            }
        }

        int colon = trimmed.IndexOf(':', trimmed.StartsWith(':') ? 1 : 0);
        string name = colon <= 0 ? string.Empty : trimmed[..colon].Trim();
        if (!IsName(name))
        {
            throw CliException.Usage($"{flag} '{text}' is not 'name: value'");
        }

        string value = trimmed[(colon + 1)..].Trim();
        return (name.ToLowerInvariant(), value.Length == 0 ? null : value);
    }

    /// <summary>Reads a body or configuration given as text or as a file; null when neither was given.</summary>
    internal static byte[]? Bytes(string textFlag, string? text, string fileFlag, string? file)
    {
        if (text is not null && file is not null)
        {
            throw CliException.Usage($"{textFlag} and {fileFlag} both give the same thing: use one");
        }

        if (text is not null)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        if (file is null)
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Usage(error is FileNotFoundException or DirectoryNotFoundException
                ? $"{fileFlag} {file}: no such file"
                : $"{fileFlag} {file}: {error.Message}");
        }
    }

    /// <summary>Header names: an optional leading colon, then token characters (RFC 9110), no spaces.</summary>
    private static bool IsName(string name)
    {
        string token = name.StartsWith(':') ? name[1..] : name;
        return token.Length != 0 && token.All(c => c < 127 && (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)));
    }

    private static void Apply(List<(string Name, string? Value)> headers, HashSet<string> replaced, string name, string? value)
    {
        if (value is null)
        {
            headers.RemoveAll(h => h.Name == name);
            replaced.Add(name);
            return;
        }

        if (replaced.Add(name) && headers.FindIndex(h => h.Name == name) is var at and >= 0)
        {
            // The first -H of a name replaces the default in place; later ones add values (curl sends each).
            headers[at] = (name, value);
            return;
        }

        int position = name.StartsWith(':') ? headers.FindLastIndex(h => h.Name.StartsWith(':')) + 1 : headers.Count;
        headers.Insert(position, (name, value));
    }

    private static void SetIf(List<(string Name, string? Value)> headers, string name, string? value, string flag)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 0 || value.Any(char.IsWhiteSpace))
        {
            throw CliException.Usage($"{flag} '{value}' is empty or has spaces");
        }

        Set(headers, name, value);
    }

    private static void Set(List<(string Name, string? Value)> headers, string name, string value)
    {
        int at = headers.FindIndex(h => h.Name == name);
        if (at >= 0)
        {
            headers[at] = (name, value);
        }
        else
        {
            headers.Insert(headers.FindLastIndex(h => h.Name.StartsWith(':')) + 1, (name, value));
        }
    }

    private static HeaderList ToList(IEnumerable<(string Name, string? Value)> headers)
        => new(headers.Where(h => h.Value is not null).Select(h => (h.Name, h.Value!)));
}
