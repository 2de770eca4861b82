using System.Collections.Generic;
using System.Text;

namespace ProxyWasm.Testing;

/// <summary>A line the module logged through <c>proxy_log</c>.</summary>
/// <param name="Level">The level.</param>
/// <param name="Message">The message, decoded as UTF-8.</param>
public sealed record LogEntry(LogLevel Level, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"[{Level}] {Message}";
}

/// <summary>A call into one of the module's exports and what it returned.</summary>
/// <param name="Export">The export, e.g. <c>proxy_on_request_headers</c>.</param>
/// <param name="ContextId">The context id passed.</param>
/// <param name="Result">The value returned (action, bool), or <see langword="null"/> for a void callback.</param>
public sealed record CallbackRecord(string Export, uint ContextId, uint? Result);

/// <summary>A paused stream half the module resumed (<c>proxy_continue_stream</c>), as <see cref="ProxyWasmHost.Resumes"/>
/// lists them.</summary>
/// <param name="ContextId">The stream the call acted on: the current context, or the effective one the module chose
/// with <c>proxy_set_effective_context</c>.</param>
/// <param name="Half">Which half: <see cref="StreamType.HttpRequest"/> or <see cref="StreamType.HttpResponse"/>.</param>
public sealed record StreamResume(uint ContextId, StreamType Half);

/// <summary>A response the module sent with <c>proxy_send_local_response</c>.</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="Body">Body bytes.</param>
/// <param name="Headers">Extra headers the module passed.</param>
/// <param name="Details">Response code details.</param>
/// <param name="GrpcStatus">gRPC status, -1 for none.</param>
public sealed record LocalResponse(uint StatusCode, byte[] Body, HeaderList Headers, string Details, int GrpcStatus)
{
    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>A request as a client sends it to the proxy.</summary>
/// <param name="Headers">Request headers, pseudo-headers included (<c>:method</c>, <c>:path</c>, <c>:authority</c>, <c>:scheme</c>).</param>
/// <param name="Body">Body bytes; empty for none.</param>
/// <param name="Trailers">Trailers, or <see langword="null"/>.</param>
public sealed record HttpRequest(HeaderList Headers, byte[] Body, HeaderList? Trailers = null)
{
    /// <summary>A request with headers only.</summary>
    public HttpRequest(HeaderList headers)
        : this(headers, System.Array.Empty<byte>())
    {
    }
}

/// <summary>A response as the upstream (or a local reply) produces it.</summary>
/// <param name="Headers">Response headers, <c>:status</c> included.</param>
/// <param name="Body">Body bytes; empty for none.</param>
/// <param name="Trailers">Trailers, or <see langword="null"/>.</param>
public sealed record HttpResponse(HeaderList Headers, byte[] Body, HeaderList? Trailers = null)
{
    /// <summary>The default upstream answer: <c>:status: 200</c>, no body.</summary>
    public static HttpResponse Ok() => new(new HeaderList(new[] { (":status", "200") }), System.Array.Empty<byte>());

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>What happened to one request in <see cref="ProxyWasmHost.Send"/>.</summary>
/// <param name="Request">The request as the client sent it.</param>
/// <param name="Upstream">The request as it left the filter for the upstream, or <see langword="null"/> when the filter
/// stopped it (local response, or a Stop status with no resume).</param>
/// <param name="Response">The response as it left the filter for the client, or <see langword="null"/> when the stream
/// stayed paused.</param>
/// <param name="LocalResponse">The local response the module sent, if any.</param>
/// <param name="Callbacks">Every callback of the stream, in order, with what it returned.</param>
/// <param name="Logs">Log lines written during the stream.</param>
public sealed record HttpExchange(
    HttpRequest Request,
    HttpRequest? Upstream,
    HttpResponse? Response,
    LocalResponse? LocalResponse,
    IReadOnlyList<CallbackRecord> Callbacks,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>The HTTP calls the stream made (<c>proxy_http_call</c>), in order, each with what went upstream.</summary>
    public IReadOnlyList<HttpCallRecord> HttpCalls { get; init; } = System.Array.Empty<HttpCallRecord>();
}
