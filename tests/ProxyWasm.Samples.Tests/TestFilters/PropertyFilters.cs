using System;
using ProxyWasm;

namespace ProxyWasm.Samples.Tests.TestFilters;

/// <summary>Reads request.path on the root context at configure (Envoy: NotFound there) and keeps the status.</summary>
public sealed class PropertyReaderPlugin
{
    public ProxyStatus RootRequestPath;
    public ProxyStatus RootName;

    [OnConfigure]
    public bool Configure()
    {
        RootRequestPath = Properties.Request.TryGetPath(out _);
        RootName = Properties.Plugin.TryGetName(out _);
        return true;
    }
}

/// <summary>
/// Reads Envoy's attributes with the typed accessors in its hooks and reports them in headers: <c>x-request-props</c>
/// on the request, <c>x-response-props</c> on the response, as <c>name=value;</c> (a status name instead of a value
/// when a getter did not return Ok). A request with <c>x-deny</c> gets a local 403. Allocates nothing.
/// </summary>
[HttpFilter("property_reader", Plugin = typeof(PropertyReaderPlugin))]
public partial struct PropertyReader
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, PropertyReaderPlugin plugin, HttpStream stream)
    {
        if (headers.Contains("x-deny"u8))
        {
            stream.SendLocalResponse(403, "denied"u8, details: "denied_by_reader"u8);
            return FilterHeadersStatus.StopIteration;
        }

        var text = new Utf8ValueBuilder(stackalloc byte[1024]);
        Text(ref text, "root_path"u8, plugin.RootRequestPath, default);
        Text(ref text, "path"u8, Properties.Request.TryGetPath(out ReadOnlySpan<byte> value), value);
        Text(ref text, "url_path"u8, Properties.Request.TryGetUrlPath(out value), value);
        Text(ref text, "query"u8, Properties.Request.TryGetQuery(out value), value);
        Text(ref text, "host"u8, Properties.Request.TryGetHost(out value), value);
        Text(ref text, "scheme"u8, Properties.Request.TryGetScheme(out value), value);
        Text(ref text, "method"u8, Properties.Request.TryGetMethod(out value), value);
        Text(ref text, "protocol"u8, Properties.Request.TryGetProtocol(out value), value);
        Text(ref text, "id"u8, Properties.Request.TryGetId(out value), value);
        Text(ref text, "ua"u8, Properties.Request.TryGetUserAgent(out value), value);
        Text(ref text, "referer"u8, Properties.Request.TryGetReferer(out value), value);
        Text(ref text, "x-multi"u8, Properties.Request.TryGetHeader("x-multi"u8, out value), value);
        ProxyStatus status = Properties.Request.TryGetHeaders(out HeaderPairs all);
        int count = 0;
        foreach (HeaderPair pair in all)
        {
            count += pair.Name.IsEmpty ? 0 : 1;
        }

        Number(ref text, "headers"u8, status, count);
        Text(ref text, "headers.x-multi"u8, all.TryGetValue("x-multi"u8, out value) ? ProxyStatus.Ok : ProxyStatus.NotFound, value);
        Number(ref text, "time"u8, Properties.Request.TryGetTimeNanoseconds(out long time), time);
        Number(ref text, "code"u8, Properties.Response.TryGetCode(out long code), code);
        Text(ref text, "source"u8, Properties.Source.TryGetAddress(out value), value);
        Number(ref text, "source_port"u8, Properties.Source.TryGetPort(out long port), port);
        Text(ref text, "vm"u8, Properties.Plugin.TryGetVmId(out value), value);
        Text(ref text, "cluster"u8, Properties.Xds.TryGetClusterName(out value), value);
        Properties.Set("filter_state\0property_reader"u8, "seen"u8);
        headers.Replace("x-request-props"u8, text.AsSpan());
        text.Dispose();
        return FilterHeadersStatus.Continue;
    }

    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers)
    {
        var text = new Utf8ValueBuilder(stackalloc byte[512]);
        Number(ref text, "code"u8, Properties.Response.TryGetCode(out long code), code);
        Text(ref text, "details"u8, Properties.Response.TryGetCodeDetails(out ReadOnlySpan<byte> value), value);
        Text(ref text, "server"u8, Properties.Response.TryGetHeader("server"u8, out value), value);
        Number(ref text, "size"u8, Properties.Response.TryGetSize(out long size), size);
        Number(ref text, "request_size"u8, Properties.Request.TryGetSize(out size), size);
        Text(ref text, "state"u8, Properties.TryGet("filter_state\0property_reader"u8, out value), value);
        headers.Replace("x-response-props"u8, text.AsSpan());
        text.Dispose();
        return FilterHeadersStatus.Continue;
    }

    private static void Text(ref Utf8ValueBuilder text, ReadOnlySpan<byte> name, ProxyStatus status, ReadOnlySpan<byte> value)
    {
        text.Append(name);
        text.Append("="u8);
        if (status == ProxyStatus.Ok)
        {
            text.Append(value);
        }
        else
        {
            Status(ref text, status);
        }

        text.Append(";"u8);
    }

    private static void Number(ref Utf8ValueBuilder text, ReadOnlySpan<byte> name, ProxyStatus status, long value)
    {
        text.Append(name);
        text.Append("="u8);
        if (status == ProxyStatus.Ok)
        {
            text.Append(value);
        }
        else
        {
            Status(ref text, status);
        }

        text.Append(";"u8);
    }

    private static void Status(ref Utf8ValueBuilder text, ProxyStatus status) => text.Append(status switch
    {
        ProxyStatus.NotFound => "NotFound"u8,
        ProxyStatus.SerializationFailure => "SerializationFailure"u8,
        ProxyStatus.BadArgument => "BadArgument"u8,
        _ => "Error"u8,
    });
}
