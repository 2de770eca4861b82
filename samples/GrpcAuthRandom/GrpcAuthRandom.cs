using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Rust SDK's <c>grpc_auth_random</c>. A request whose <c>content-type</c> does not start with
/// <c>application/grpc</c> is answered <c>503 Service accessible only to gRPC clients.</c>; the gRPC reflection API
/// (<c>:path</c> starting with <c>/grpc.reflection</c>) is let through; any other gRPC request waits for a unary call
/// to <c>grpcbin.GRPCBin/RandomError</c> on the cluster <c>grpcbin</c> (1 s deadline). An even status code (OK, a
/// message, counts as even) lets it through; an odd one answers with gRPC status <c>Aborted</c> and the message
/// <c>Aborted by Proxy-Wasm!</c>. Every response carries <c>Powered-By: proxy-wasm</c>. (Where the Rust example panics
/// because the call could not be dispatched, this one answers as for an odd status.)
/// </summary>
[HttpFilter("grpc_auth_random")]
public partial class GrpcAuthRandom
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, HttpStream stream)
    {
        if (!headers.TryGetValue("content-type"u8, out ReadOnlySpan<byte> contentType) || !contentType.StartsWith("application/grpc"u8))
        {
            Span<byte> buffer = stackalloc byte[64];
            stream.SendLocalResponse(503, "Service accessible only to gRPC clients.\n"u8, PoweredBy(buffer));
            return FilterHeadersStatus.StopIteration;
        }

        if (headers.GetValue(":path"u8).StartsWith("/grpc.reflection"u8))
        {
            return FilterHeadersStatus.Continue;
        }

        if (GrpcCall.Dispatch("grpcbin"u8, "grpcbin.GRPCBin"u8, "RandomError"u8, default, default, timeoutMilliseconds: 1000, out _) != ProxyStatus.Ok)
        {
            Forbid(stream);
        }

        return FilterHeadersStatus.StopIteration;
    }

    /// <summary>A message: the call succeeded (status OK).</summary>
    [OnGrpcReceive]
    public void OnGrpcReceive(HttpStream stream) => Decide(GrpcStatus.Ok, stream);

    /// <summary>The call failed with a status.</summary>
    [OnGrpcClose]
    public void OnGrpcClose(GrpcClose close, HttpStream stream) => Decide(close.Status, stream);

    [OnResponseHeaders]
    public void OnResponseHeaders(ResponseHeaders headers) => headers.Replace("Powered-By"u8, "proxy-wasm"u8);

    private static void Decide(GrpcStatus status, HttpStream stream)
    {
        if ((int)status % 2 == 0)
        {
            Log.Info("Access granted."u8);
            stream.ResumeRequest();
            return;
        }

        Forbid(stream);
    }

    /// <summary>An odd status, or a call that could not be dispatched: the gRPC status Aborted.</summary>
    private static void Forbid(HttpStream stream)
    {
        Log.Info("Access forbidden."u8);
        Span<byte> buffer = stackalloc byte[64];
        stream.SendLocalResponse(200, "Aborted by Proxy-Wasm!"u8, PoweredBy(buffer), grpcStatus: GrpcStatus.Aborted);
    }

    private static ReadOnlySpan<byte> PoweredBy(Span<byte> buffer)
    {
        var headers = new PairsWriter(buffer, count: 1);
        headers.Add("Powered-By"u8, "proxy-wasm"u8);
        return headers.WrittenSpan;
    }
}
