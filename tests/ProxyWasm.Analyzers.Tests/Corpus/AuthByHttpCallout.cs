// Corpus: external authorization by HTTP callout (the Rust/Go SDK "http_auth_random" / "dispatch_call" examples).
// The request is paused while the authorization cluster is asked; a request without credentials is rejected at once.
using System;
using ProxyWasm;
using ProxyWasm.Abi;

namespace Corpus.AuthByHttpCallout;

public sealed class AuthPlugin
{
    /// <summary>The cluster to ask, from the plugin configuration (copied once per configuration).</summary>
    public byte[] Cluster = Array.Empty<byte>();
    public long Dispatched;

    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        // Configuration time is not hot: one copy per configuration is fine.
        Cluster = configuration.IsEmpty ? "auth"u8.ToArray() : configuration.Trim((byte)' ').ToArray();
        return true;
    }
}

[HttpFilter("auth_callout", Plugin = typeof(AuthPlugin), OnError = FailurePolicy.FailClosed)]
public partial class AuthByHttpCallout
{
    private static ReadOnlySpan<byte> Unauthorized => "missing credentials\n"u8;

    private uint _calloutId;

    [OnRequestHeaders]
    public unsafe FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, AuthPlugin plugin, HttpStream stream)
    {
        if (!headers.TryGetValue("authorization"u8, out ReadOnlySpan<byte> credentials) || credentials.IsEmpty)
        {
            Span<byte> buffer = stackalloc byte[64];
            var responseHeaders = new PairsWriter(buffer, count: 1);
            responseHeaders.Add("www-authenticate"u8, "Bearer"u8);
            stream.SendLocalResponse(401, Unauthorized, responseHeaders.WrittenSpan);
            return FilterHeadersStatus.StopIteration;
        }

        ReadOnlySpan<byte> path = headers.GetValue(":path"u8);
        long size = PairsWriter.SizeOf(":method"u8, "GET"u8) + PairsWriter.SizeOf(":path"u8, "/check"u8)
            + PairsWriter.SizeOf(":authority"u8, plugin.Cluster) + PairsWriter.SizeOf("authorization"u8, credentials)
            + PairsWriter.SizeOf("x-original-path"u8, path) + 4;
        if (size > 4096)
        {
            stream.SendLocalResponse(431, "request headers too large\n"u8);
            return FilterHeadersStatus.StopIteration;
        }

        Span<byte> serialized = stackalloc byte[(int)size];
        var pairs = new PairsWriter(serialized, count: 5);
        pairs.Add(":method"u8, "GET"u8);
        pairs.Add(":path"u8, "/check"u8);
        pairs.Add(":authority"u8, plugin.Cluster);
        pairs.Add("authorization"u8, credentials);
        pairs.Add("x-original-path"u8, path);

        ReadOnlySpan<byte> cluster = plugin.Cluster;
        ReadOnlySpan<byte> headerBytes = pairs.WrittenSpan;
        uint calloutId;
        ProxyStatus status;
        fixed (byte* upstream = cluster)
        fixed (byte* headerData = headerBytes)
        {
            status = HostCalls.proxy_http_call(upstream, (nuint)cluster.Length, headerData, (nuint)headerBytes.Length,
                null, 0, null, 0, timeoutMilliseconds: 500, &calloutId);
        }

        if (status != ProxyStatus.Ok)
        {
            Log.Error("auth callout could not be dispatched"u8);
            stream.SendLocalResponse(503, "authorization unavailable\n"u8);
            return FilterHeadersStatus.StopIteration;
        }

        _calloutId = calloutId;
        plugin.Dispatched++;
        return FilterHeadersStatus.StopIteration;
    }

    [OnLog]
    public void OnLog(RequestHeaders headers)
    {
        if (_calloutId != 0 && Log.IsEnabled(LogLevel.Debug))
        {
            var line = new Utf8ValueBuilder(stackalloc byte[128]);
            line.Append("auth callout "u8);
            line.Append(_calloutId);
            line.Append(" for "u8);
            line.Append(headers.GetValue(":path"u8));
            Log.Debug(line.AsSpan());
            line.Dispose();
        }
    }
}
