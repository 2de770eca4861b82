using System;
using ProxyWasm.Abi;
using ProxyWasm.Generated;

namespace ProxyWasm;

/// <summary>
/// HTTP callouts (<c>proxy_http_call</c>): a request the proxy sends to an upstream cluster on the filter's behalf.
/// The answer arrives later in the <see cref="OnHttpCallResponseAttribute"/> hook of whoever dispatched it: the
/// filter instance of the stream that made the call, or the plugin when a plugin hook (<c>[OnTick]</c>,
/// <c>[OnConfigure]</c>) made it. Usable from any hook; allocates nothing.
/// </summary>
public static unsafe class HttpCall
{
    /// <summary>
    /// Dispatches an HTTP call (<c>proxy_http_call</c>) with a <c>:method</c>, <c>:path</c> and <c>:authority</c>
    /// and, optionally, a body.
    /// </summary>
    /// <param name="upstream">The Envoy cluster name (not a URL), UTF-8, e.g. <c>"httpbin"u8</c>.</param>
    /// <param name="method">The <c>:method</c>, e.g. <c>"GET"u8</c>.</param>
    /// <param name="path">The <c>:path</c>, e.g. <c>"/bytes/1"u8</c>.</param>
    /// <param name="authority">The <c>:authority</c> (the host name the upstream sees), e.g. <c>"httpbin.org"u8</c>.</param>
    /// <param name="timeoutMilliseconds">How long the proxy waits for the answer, in milliseconds.</param>
    /// <param name="token">The call's token, which the answer hook receives as <see cref="HttpCallResponse.Token"/>; 0 on failure.</param>
    /// <param name="body">The request body bytes, or empty.</param>
    /// <returns>Ok; BadArgument when the host refuses the call (in Envoy: an unknown cluster); InternalFailure.</returns>
    public static ProxyStatus Dispatch(ReadOnlySpan<byte> upstream, ReadOnlySpan<byte> method, ReadOnlySpan<byte> path, ReadOnlySpan<byte> authority, uint timeoutMilliseconds, out uint token, ReadOnlySpan<byte> body = default)
    {
        long size = 4 + PairsWriter.SizeOf(":method"u8, method) + PairsWriter.SizeOf(":path"u8, path) + PairsWriter.SizeOf(":authority"u8, authority);
        if (size > 4096)
        {
            token = 0;
            Log.Error("proxy-wasm: HttpCall.Dispatch: :method, :path and :authority are longer than 4 KiB together"u8);
            return ProxyStatus.BadArgument;
        }

        Span<byte> buffer = stackalloc byte[(int)size];
        var headers = new PairsWriter(buffer, count: 3);
        headers.Add(":method"u8, method);
        headers.Add(":path"u8, path);
        headers.Add(":authority"u8, authority);
        // The pairs were just written with the three pseudo-headers: no need to parse and check them again.
        return Send(upstream, headers.WrittenSpan, body, default, timeoutMilliseconds, out token);
    }

    /// <summary>
    /// Dispatches an HTTP call (<c>proxy_http_call</c>) with any headers and trailers, in the pairs format (build them
    /// with <see cref="PairsWriter"/>). The headers must hold <c>:method</c>, <c>:path</c> and <c>:authority</c> (not
    /// <c>:host</c>); this is checked before the host is called, with one error log line saying what is missing.
    /// </summary>
    /// <param name="upstream">The Envoy cluster name (not a URL), UTF-8.</param>
    /// <param name="serializedHeaders">Request headers, pairs format.</param>
    /// <param name="body">The request body bytes, or empty.</param>
    /// <param name="serializedTrailers">Request trailers, pairs format, or empty.</param>
    /// <param name="timeoutMilliseconds">How long the proxy waits for the answer, in milliseconds.</param>
    /// <param name="token">The call's token; 0 on failure.</param>
    /// <returns>Ok; BadArgument for malformed pairs, a missing pseudo-header, or when the host refuses the call (in
    /// Envoy: an unknown cluster); InternalFailure.</returns>
    public static ProxyStatus DispatchPairs(ReadOnlySpan<byte> upstream, ReadOnlySpan<byte> serializedHeaders, ReadOnlySpan<byte> body, ReadOnlySpan<byte> serializedTrailers, uint timeoutMilliseconds, out uint token)
    {
        if (!Check(serializedHeaders, serializedTrailers))
        {
            token = 0;
            return ProxyStatus.BadArgument;
        }

        return Send(upstream, serializedHeaders, body, serializedTrailers, timeoutMilliseconds, out token);
    }

    private static ProxyStatus Send(ReadOnlySpan<byte> upstream, ReadOnlySpan<byte> serializedHeaders, ReadOnlySpan<byte> body, ReadOnlySpan<byte> serializedTrailers, uint timeoutMilliseconds, out uint token)
    {
        token = 0;
        uint id;
        ProxyStatus status;
        fixed (byte* upstreamData = upstream)
        fixed (byte* headersData = serializedHeaders)
        fixed (byte* bodyData = body)
        fixed (byte* trailersData = serializedTrailers)
        {
            status = HostCalls.proxy_http_call(upstreamData, (nuint)upstream.Length, headersData, (nuint)serializedHeaders.Length,
                bodyData, (nuint)body.Length, trailersData, (nuint)serializedTrailers.Length, timeoutMilliseconds, &id);
        }

        if (status == ProxyStatus.Ok)
        {
            token = id;
            Callouts.Dispatched(CalloutKind.Http, id);
        }

        return status;
    }

    private static bool Check(ReadOnlySpan<byte> serializedHeaders, ReadOnlySpan<byte> serializedTrailers)
    {
        if (HeaderPairs.TryParse(serializedHeaders, out HeaderPairs headers) != PairsError.None
            || (!serializedTrailers.IsEmpty && HeaderPairs.TryParse(serializedTrailers, out _) != PairsError.None))
        {
            Log.Error("proxy-wasm: HttpCall.DispatchPairs: the headers or trailers are not in the pairs format (use PairsWriter)"u8);
            return false;
        }

        bool method = headers.TryGetValue(":method"u8, out _);
        bool path = headers.TryGetValue(":path"u8, out _);
        bool authority = headers.TryGetValue(":authority"u8, out _);
        if (method && path && authority)
        {
            return true;
        }

        Log.Error(!authority && headers.TryGetValue(":host"u8, out _)
            ? "proxy-wasm: HttpCall.Dispatch: the headers have ':host' but no ':authority'; HTTP/2 names the host ':authority'"u8
            : "proxy-wasm: HttpCall.Dispatch: the headers must have ':method', ':path' and ':authority'"u8);
        return false;
    }
}

/// <summary>
/// The answer to an HTTP call, bound to an <see cref="OnHttpCallResponseAttribute"/> hook parameter
/// (<c>proxy_on_http_call_response</c>). Its headers, body and trailers are views of the host's data, valid during
/// the hook.
/// </summary>
public readonly struct HttpCallResponse
{
    /// <summary>Creates the view (done by the generated glue).</summary>
    public HttpCallResponse(uint token, int headerCount, int bodySize, int trailerCount)
    {
        Token = token;
        HeaderCount = headerCount;
        BodySize = bodySize;
        TrailerCount = trailerCount;
    }

    /// <summary>The token <see cref="HttpCall"/> returned when it dispatched the call.</summary>
    public uint Token { get; }

    /// <summary>Number of response headers (<c>num_headers</c>); 0 when the call failed.</summary>
    public int HeaderCount { get; }

    /// <summary>Response body size in bytes (<c>body_size</c>).</summary>
    public int BodySize { get; }

    /// <summary>Number of response trailers (<c>num_trailers</c>).</summary>
    public int TrailerCount { get; }

    /// <summary>The call failed: no response arrived (Envoy: the connection was reset). <see cref="FailureMessage"/>
    /// says why. A timeout is not a failure in Envoy: it answers with status 504.</summary>
    public bool Failed => HeaderCount == 0;

    /// <summary>The response headers (<c>HTTP_CALL_RESPONSE_HEADERS</c>), e.g. <c>response.Headers.GetValue(":status"u8)</c>.</summary>
    public HttpCallResponseHeaders Headers => default;

    /// <summary>The response body (<c>HTTP_CALL_RESPONSE_BODY</c>, buffer 4), e.g. <c>response.Body.GetBytes()</c>.</summary>
    public HttpCallResponseBody Body => default;

    /// <summary>The response trailers (<c>HTTP_CALL_RESPONSE_TRAILERS</c>).</summary>
    public HttpCallResponseTrailers Trailers => default;

    /// <summary>Why the call failed (<c>proxy_get_status</c>), UTF-8, e.g. <c>reset</c>; empty when the host says nothing.</summary>
    public ReadOnlySpan<byte> FailureMessage => HostStatus.Message();
}

/// <summary>Response headers of the HTTP call being answered (<see cref="MapType.HttpCallResponseHeaders"/>).</summary>
public readonly struct HttpCallResponseHeaders : IHeaderMap
{
    static MapType IHeaderMap.Type => MapType.HttpCallResponseHeaders;
}

/// <summary>Response trailers of the HTTP call being answered (<see cref="MapType.HttpCallResponseTrailers"/>).</summary>
public readonly struct HttpCallResponseTrailers : IHeaderMap
{
    static MapType IHeaderMap.Type => MapType.HttpCallResponseTrailers;
}

/// <summary>Response body of the HTTP call being answered (<see cref="BufferType.HttpCallResponseBody"/>).</summary>
public readonly struct HttpCallResponseBody : IBodyBuffer
{
    static BufferType IBodyBuffer.Type => BufferType.HttpCallResponseBody;
}

/// <summary><c>proxy_get_status</c>: the status of the callout being answered.</summary>
internal static unsafe class HostStatus
{
    public static ReadOnlySpan<byte> Message()
    {
        uint code;
        byte* data = null;
        nuint size = 0;
        return HostCalls.proxy_get_status(&code, &data, &size) == ProxyStatus.Ok ? HostData.AsSpan(data, size) : default;
    }
}
