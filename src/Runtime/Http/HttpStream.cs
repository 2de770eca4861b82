using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// An HTTP stream (stream context). Bind it as a hook parameter, <c>HttpStream stream</c>, and act on the stream through
/// it: <c>stream.SendLocalResponse(403, ...)</c>, <c>stream.ResumeRequest()</c>. Every member acts on the stream whose
/// callback is running (the ABI's current context), which is the stream the glue bound it for; to act on another
/// stream, for example from a plugin hook, create a handle with its context id and make it effective first
/// (<see cref="MakeEffective"/>, <see cref="ResumeRequestFromPlugin"/>).
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

    /// <summary>
    /// Makes this stream the effective context (<c>proxy_set_effective_context(ContextId)</c>): until the running
    /// callback returns (or the next call of this method), host calls that act on "the current stream" act on this
    /// one. A hook of the stream itself never needs it; it is for acting on a stream from a callback of another
    /// context, such as a plugin's <c>[OnTick]</c> that kept the stream's <see cref="ContextId"/>. (The glue does the
    /// same before an <c>[OnHttpCallResponse]</c> hook of the stream that made the call.)
    /// </summary>
    /// <returns>Ok; BadArgument when the host knows no context with this id (in Envoy: the stream has ended and its
    /// context was deleted).</returns>
    public ProxyStatus MakeEffective() => HostCalls.proxy_set_effective_context(ContextId);

    /// <summary>
    /// Resumes this stream's paused request from a callback of another context, for example a plugin's
    /// <c>[OnTick]</c> that postponed requests by their context ids: <see cref="MakeEffective"/>
    /// (<c>proxy_set_effective_context(ContextId)</c>), then <c>proxy_continue_stream(HTTP_REQUEST)</c>. When the
    /// first call fails the second is not made, so a stream that has already ended is skipped rather than the running
    /// context resumed. The stream stays the effective context until the callback returns.
    /// </summary>
    /// <example><c>new HttpStream(postponedContextId).ResumeRequestFromPlugin();</c></example>
    /// <returns>Ok; BadArgument when the stream's context is gone (from <c>proxy_set_effective_context</c>) or the host
    /// refuses to continue it; Unimplemented.</returns>
    public ProxyStatus ResumeRequestFromPlugin()
    {
        ProxyStatus status = MakeEffective();
        return status == ProxyStatus.Ok ? ResumeRequest() : status;
    }

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
    /// <summary>Whether the host refused a <c>proxy_send_local_response</c> during the running callback (reset by
    /// <see cref="HostMemory.Enter"/> at the start of each outermost callback). The generated glue reads it after a hook
    /// returns (<c>HookFailures.Settle</c>), so a stream whose local response failed is never left paused.</summary>
    internal static bool Refused;

    public static ProxyStatus Send(uint statusCode, ReadOnlySpan<byte> body, ReadOnlySpan<byte> serializedHeaders, ReadOnlySpan<byte> details, GrpcStatus grpcStatus)
    {
        ProxyStatus status = SendCore(statusCode, body, serializedHeaders, details, grpcStatus);
        if (status != ProxyStatus.Ok)
        {
            Refused = true;
            ReportRefused(statusCode, status);
        }

        return status;
    }

    private static void ReportRefused(uint statusCode, ProxyStatus status)
    {
        var message = new Utf8ValueBuilder(stackalloc byte[128]);
        message.Append("proxy-wasm: the local response "u8);
        message.Append(statusCode);
        message.Append(" was refused (status "u8);
        message.Append((int)status);
        message.Append("); the stream gets the filter's failure policy."u8);
        Log.Write(LogLevel.Error, message.AsSpan());
        message.Dispose();
    }

    private static ProxyStatus SendCore(uint statusCode, ReadOnlySpan<byte> body, ReadOnlySpan<byte> serializedHeaders, ReadOnlySpan<byte> details, GrpcStatus grpcStatus)
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
