using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>properties</c>. The request headers hook reads the property
/// <c>route_metadata</c>/<c>filter_metadata</c>/<c>envoy.filters.http.wasm</c>/<c>auth</c> (the route's metadata,
/// e.g. <c>cookie</c>): not found → info <c>no auth header for route</c> and Continue; another error → critical
/// <c>failed to read properties: &lt;err&gt;</c> and the check goes on with an empty name. It logs info
/// <c>auth header is "&lt;auth&gt;"</c>, then continues if some request header's name equals it exactly, and otherwise
/// sends a local 401 with no headers, no body and gRPC status 16 (UNAUTHENTICATED), as the Go example does, and
/// pauses. Every stream logs <c>&lt;context id&gt; finished</c> from <c>[OnLog]</c>: the Go SDK runs
/// <c>OnHttpStreamDone</c> on <c>proxy_on_log</c>.
/// </summary>
[HttpFilter("properties")]
public partial class PropertiesFilter
{
    /// <summary>The NUL-joined property path.</summary>
    private static ReadOnlySpan<byte> AuthPath => "route_metadata\0filter_metadata\0envoy.filters.http.wasm\0auth"u8;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, HttpStream stream)
    {
        ProxyStatus status = ProxyWasm.Properties.TryGet(AuthPath, out ReadOnlySpan<byte> auth);
        if (status == ProxyStatus.NotFound)
        {
            Log.Info("no auth header for route"u8);
            return FilterHeadersStatus.Continue;
        }

        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("failed to read properties: "u8, status);
            auth = default;
        }

        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("auth header is \""u8);
        line.Append(auth);
        line.Append("\""u8);
        Log.Info(line.AsSpan());
        line.Dispose();

        foreach (HeaderPair header in headers.GetAll())
        {
            if (header.Name.SequenceEqual(auth))
            {
                return FilterHeadersStatus.Continue;
            }
        }

        stream.SendLocalResponse(401, default, default, default, (GrpcStatus)16);
        return FilterHeadersStatus.StopIteration;
    }

    /// <summary>The Go example's OnHttpStreamDone (run on <c>proxy_on_log</c>).</summary>
    [OnLog]
    public void OnLog(HttpStream stream)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[64]);
        line.Append(stream.ContextId);
        line.Append(" finished"u8);
        Log.Info(line.AsSpan());
        line.Dispose();
    }
}
