using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// An HTTP stream (stream context). Bind it as a hook parameter, <c>HttpStream stream</c>, and act on the stream through
/// it: <c>stream.SendLocalResponse(403, ...)</c>, <c>stream.ResumeRequest()</c>. Every member acts on the stream whose
/// callback is running (the ABI's current context), which is the stream the glue bound it for.
/// </summary>
public readonly struct HttpStream
{
    /// <summary>Details string the generated glue sends with the local 500 after a hook threw (fail-closed).</summary>
    public static ReadOnlySpan<byte> FilterExceptionDetails => "proxy_wasm_filter_exception"u8;

    /// <summary>Creates a handle for stream context <paramref name="contextId"/> (done by the generated glue).</summary>
    public HttpStream(uint contextId) => ContextId = contextId;

    /// <summary>The stream's context id, as the host numbers contexts (starting at 1; unique within the VM).</summary>
    public uint ContextId { get; }

    /// <summary>
    /// Answers the stream from the proxy (<c>proxy_send_local_response</c>). The request goes no further upstream;
    /// in Envoy the local response still passes the response hooks. Return a Stop status from the hook after calling it.
    /// </summary>
    /// <param name="statusCode">HTTP status code, e.g. 403.</param>
    /// <param name="body">Response body bytes (may be empty).</param>
    /// <param name="serializedHeaders">Extra response headers in the pairs format (see <see cref="PairsWriter"/>), or empty.</param>
    /// <param name="details">Envoy response code details (shown in access logs), ASCII without spaces, or empty.</param>
    /// <param name="grpcStatus">gRPC status for gRPC responses, or <see cref="GrpcStatus.None"/>.</param>
    /// <returns>Ok; BadArgument for a malformed <paramref name="serializedHeaders"/> (the host is not called); InvalidMemoryAccess.</returns>
    public ProxyStatus SendLocalResponse(uint statusCode, ReadOnlySpan<byte> body, ReadOnlySpan<byte> serializedHeaders = default, ReadOnlySpan<byte> details = default, GrpcStatus grpcStatus = GrpcStatus.None)
        => LocalResponse.Send(statusCode, body, serializedHeaders, details, grpcStatus);

    /// <summary>Resumes the request after a hook paused it (<c>proxy_continue_stream(HTTP_REQUEST)</c>).</summary>
    /// <returns>Ok; BadArgument; Unimplemented.</returns>
    public ProxyStatus ResumeRequest() => HostCalls.proxy_continue_stream(StreamType.HttpRequest);

    /// <summary>Resumes the response after a hook paused it (<c>proxy_continue_stream(HTTP_RESPONSE)</c>).</summary>
    /// <returns>Ok; BadArgument; Unimplemented.</returns>
    public ProxyStatus ResumeResponse() => HostCalls.proxy_continue_stream(StreamType.HttpResponse);

    /// <summary>
    /// Completes the stream after its <see cref="OnStreamDoneAttribute"/> hook returned <see langword="false"/>
    /// (<c>proxy_done</c>): the filter had work left after the stream ended (an access-log callout, a flush), and the
    /// host now calls <c>proxy_on_log</c> and <c>proxy_on_delete</c>. Call it from the hook that finishes that work, e.g.
    /// the stream's <c>[OnHttpCallResponse]</c>.
    /// </summary>
    /// <returns>Ok; NotFound when the stream was not waiting for it.</returns>
    public ProxyStatus Done() => HostCalls.proxy_done();

    /// <summary>Resets the request (<c>proxy_close_stream(HTTP_REQUEST)</c>).</summary>
    /// <returns>Ok; BadArgument.</returns>
    public ProxyStatus CloseRequest() => HostCalls.proxy_close_stream(StreamType.HttpRequest);

    /// <summary>Resets the response (<c>proxy_close_stream(HTTP_RESPONSE)</c>).</summary>
    /// <returns>Ok; BadArgument.</returns>
    public ProxyStatus CloseResponse() => HostCalls.proxy_close_stream(StreamType.HttpResponse);
}

/// <summary><c>proxy_send_local_response</c> for the current context, shared by <see cref="HttpStream"/> and the glue's
/// failure handling.</summary>
internal static unsafe class LocalResponse
{
    public static ProxyStatus Send(uint statusCode, ReadOnlySpan<byte> body, ReadOnlySpan<byte> serializedHeaders, ReadOnlySpan<byte> details, GrpcStatus grpcStatus)
    {
        if (!serializedHeaders.IsEmpty && HeaderPairs.TryParse(serializedHeaders, out _) != PairsError.None)
        {
            return ProxyStatus.BadArgument;
        }

        fixed (byte* detailsData = details)
        fixed (byte* bodyData = body)
        fixed (byte* headersData = serializedHeaders)
        {
            return HostCalls.proxy_send_local_response(statusCode, detailsData, (nuint)details.Length, bodyData, (nuint)body.Length, headersData, (nuint)serializedHeaders.Length, (int)grpcStatus);
        }
    }
}
