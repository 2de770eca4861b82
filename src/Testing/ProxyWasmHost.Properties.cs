using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// Properties (<c>proxy_get_property</c>, <c>proxy_set_property</c>) as Envoy answers them. A path is looked up in
/// this order: values a test set with <see cref="SetProperty"/>; values the module set with <c>proxy_set_property</c>;
/// the attributes Envoy derives, from the current stream (the effective context) and the plugin; then
/// <see cref="HostOptions.Properties"/>. Derived from the stream (NotFound outside one, as on a root context):
/// <c>request.path</c>, <c>url_path</c> (the path without the query and fragment), <c>host</c> (<c>:authority</c>),
/// <c>scheme</c>, <c>method</c>, <c>headers</c> (a map; several values of a name comma-joined; also
/// <c>request.headers.&lt;name&gt;</c>), <c>headers_bytes</c>, <c>referer</c>, <c>useragent</c>, <c>id</c>
/// (<c>x-request-id</c>), <c>query</c>, <c>protocol</c> (<c>HTTP/1.1</c>), <c>time</c> (when the stream was created),
/// <c>size</c> (<c>content-length</c>, else the body bytes seen), <c>total_size</c> (body bytes seen and headers bytes); once
/// the response arrived or a local response was sent: <c>response.code</c> (<c>:status</c>, or the local response's),
/// <c>code_details</c> (<c>via_upstream</c>, or the local response's details), <c>grpc_status</c>
/// (<c>grpc-status</c> of the trailers or headers), <c>headers</c>, <c>trailers</c> (maps, and by name),
/// <c>headers_bytes</c>, <c>size</c>, <c>total_size</c>. From the plugin, everywhere: <c>plugin_name</c> and
/// <c>plugin_root_id</c> (the current context's root: <see cref="HostOptions.RootId"/> or <see cref="PluginOptions.RootId"/>), <c>plugin_vm_id</c>. Integers are 8 bytes little-endian,
/// timestamps int64 nanoseconds, maps pairs (<see cref="PropertyValue"/>).
/// </summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly Dictionary<string, byte[]> _setProperties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _testProperties = new(StringComparer.Ordinal);

    /// <summary>A property the module set with <c>proxy_set_property</c> (NUL-joined path), or <see langword="null"/>.</summary>
    public byte[]? GetSetProperty(string path) => _setProperties.TryGetValue(path, out byte[]? value) ? value : null;

    /// <summary>Sets (or overrides) the property at <paramref name="path"/> (segments joined with <c>'\0'</c>; see
    /// <see cref="PropertyValue"/> for encoding values), for every later <c>proxy_get_property</c>, also between
    /// requests. It wins over what the module set, what is derived from the stream and <see cref="HostOptions.Properties"/>.</summary>
    public void SetProperty(string path, byte[] value) => _testProperties[path] = (byte[])value.Clone();

    /// <summary>Removes a property <see cref="SetProperty"/> set; returns whether there was one.</summary>
    public bool ClearProperty(string path) => _testProperties.Remove(path);

    /// <summary>What <c>proxy_get_property</c> answers for <paramref name="path"/> now, on the current (effective)
    /// context, or <see langword="null"/> for NotFound.</summary>
    public byte[]? GetProperty(string path)
    {
        if (_testProperties.TryGetValue(path, out byte[]? value) || _setProperties.TryGetValue(path, out value))
        {
            return value;
        }

        return Derived(path) ?? (Options.Properties.TryGetValue(path, out byte[]? configured) ? configured : null);
    }

    ProxyStatus IProxyHost.proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize)
    {
        byte[]? value = GetProperty(Text(pathData, pathSize));
        return value is null ? ProxyStatus.NotFound : CopyOut(value, returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize)
    {
        _setProperties[Text(pathData, pathSize)] = Bytes(valueData, valueSize);
        return ProxyStatus.Ok;
    }

    private byte[]? Derived(string path)
    {
        switch (path)
        {
            case "plugin_root_id" or "plugin_name":
                return Encoding.UTF8.GetBytes((_currentPlugin ?? DefaultPlugin).RootId);
            case "plugin_vm_id":
                return Encoding.UTF8.GetBytes(Options.VmId);
        }

        if (_current is not { } stream)
        {
            return null;
        }

        string[] segments = path.Split('\0');
        return segments[0] switch
        {
            "request" when stream.RequestHeaders is { } headers => RequestAttribute(stream, headers, segments),
            "response" => ResponseAttribute(stream, segments),
            _ => null,
        };
    }

    private static byte[]? RequestAttribute(HttpStreamContext stream, HeaderList headers, string[] segments)
    {
        // Envoy: url_path drops the query and the fragment; query is what lies between '?' and '#'.
        string? pathHeader = headers.Get(":path");
        string? withoutFragment = pathHeader?.Split('#')[0];
        int query = withoutFragment?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        return segments switch
        {
            [_, "headers"] => Map(headers),
            [_, "headers", string name] => Joined(headers, name),
            [_, _] => segments[1] switch
            {
                "path" => Bytes(headers.GetBytes(":path")),
                "url_path" => withoutFragment is null ? null : PropertyValue.String(query < 0 ? withoutFragment : withoutFragment[..query]),
                "query" => withoutFragment is null ? null : PropertyValue.String(query < 0 ? string.Empty : withoutFragment[(query + 1)..]),
                "host" => Bytes(headers.GetBytes(":authority")),
                "scheme" => Bytes(headers.GetBytes(":scheme")),
                "method" => Bytes(headers.GetBytes(":method")),
                "referer" => Bytes(headers.GetBytes("referer")),
                "useragent" => Bytes(headers.GetBytes("user-agent")),
                "id" => Bytes(headers.GetBytes("x-request-id")),
                "protocol" => PropertyValue.String("HTTP/1.1"),
                "time" => PropertyValue.Timestamp(stream.StartTime),
                "headers_bytes" => PropertyValue.Int64(HeaderBytes(headers)),
                "size" => PropertyValue.Int64(long.TryParse(headers.Get("content-length"), NumberStyles.None, CultureInfo.InvariantCulture, out long length) ? length : stream.RequestBody.Length),
                "total_size" => PropertyValue.Int64(stream.RequestBody.Length + HeaderBytes(headers)),
                _ => null,
            },
            _ => null,
        };
    }

    private static byte[]? ResponseAttribute(HttpStreamContext stream, string[] segments)
    {
        HeaderList? headers = stream.ResponseHeaders;
        LocalResponse? local = stream.LocalResponse;
        if (headers is null && local is null)
        {
            return null;
        }

        return segments switch
        {
            [_, "headers"] => headers is null ? null : Map(headers),
            [_, "headers", string name] => headers is null ? null : Joined(headers, name),
            [_, "trailers"] => stream.ResponseTrailers is { } trailers ? Map(trailers) : null,
            [_, "trailers", string name] => stream.ResponseTrailers is { } trailers ? Joined(trailers, name) : null,
            [_, _] => segments[1] switch
            {
                "code" => long.TryParse(headers?.Get(":status"), NumberStyles.None, CultureInfo.InvariantCulture, out long code)
                    ? PropertyValue.Int64(code)
                    : local is null ? null : PropertyValue.Int64(local.StatusCode),
                "code_details" => PropertyValue.String(local?.Details ?? "via_upstream"),
                "grpc_status" => long.TryParse(stream.ResponseTrailers?.Get("grpc-status") ?? headers?.Get("grpc-status"), NumberStyles.None, CultureInfo.InvariantCulture, out long grpc)
                    ? PropertyValue.Int64(grpc)
                    : null,
                "headers_bytes" => PropertyValue.Int64(HeaderBytes(headers)),
                "size" => PropertyValue.Int64(stream.ResponseBody.Length),
                "total_size" => PropertyValue.Int64(stream.ResponseBody.Length + HeaderBytes(headers) + HeaderBytes(stream.ResponseTrailers)),
                _ => null,
            },
            _ => null,
        };
    }

    private static byte[]? Bytes(byte[]? value) => value is null ? null : (byte[])value.Clone();

    /// <summary>Envoy's header map attribute: one entry a name, in first-seen order, several values comma-joined.</summary>
    private static byte[] Map(HeaderList headers)
        => PropertyValue.Map(headers.Select(h => h.NameText).Distinct(StringComparer.Ordinal).Select(name => (Encoding.UTF8.GetBytes(name), Joined(headers, name)!)));

    private static byte[]? Joined(HeaderList headers, string name)
    {
        byte[][] values = headers.Where(h => h.NameText == name.ToLowerInvariant()).Select(h => h.Value).ToArray();
        return values.Length == 0 ? null : values.Skip(1).Aggregate(values[0], (joined, next) => [.. joined, (byte)',', .. next]);
    }

    /// <summary>Envoy's <c>HeaderMap::byteSize</c>: the names and values, without separators.</summary>
    private static long HeaderBytes(HeaderList? headers) => headers?.Sum(h => (long)h.Name.Length + h.Value.Length) ?? 0;
}
