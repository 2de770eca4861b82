using System;
using System.Collections.Generic;
using System.ComponentModel;
using ProxyWasm.Abi;

namespace ProxyWasm.Generated;

/// <summary>Whether an answer ends its call (so its route is dropped). For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum CalloutEnd
{
    /// <summary>More answers follow (gRPC metadata).</summary>
    Never = 0,

    /// <summary>Ends a unary call, not a stream (a gRPC message).</summary>
    IfUnary = 1,

    /// <summary>Always the last answer (an HTTP response, gRPC close).</summary>
    Always = 2,
}

/// <summary>The kinds of callout whose tokens are routed (each has its own token space in Envoy).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum CalloutKind
{
    /// <summary><c>proxy_http_call</c>.</summary>
    Http = 0,

    /// <summary><c>proxy_grpc_call</c> and <c>proxy_grpc_stream</c>.</summary>
    Grpc = 1,
}

/// <summary>
/// Routes callout answers to the context that made the call, as the Rust SDK's dispatcher does: proxy-wasm-cpp-host
/// registers every call on the root context and answers it there, so the module remembers token → context id at
/// dispatch and, when the answer arrives, makes that context the effective one (<c>proxy_set_effective_context</c>)
/// before calling its hook. The exports record which context is running (<see cref="Enter"/>). Steady state
/// allocates nothing (the tables reuse their entries). For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Callouts
{
    // Made on first use: a static initializer would give the class a static constructor, and so a check on every
    // export's Enter; the routes are only needed by a module that calls out.
    private static Dictionary<uint, (uint ContextId, bool Unary)>[]? s_routes;

    private static Dictionary<uint, (uint ContextId, bool Unary)>[] Routes => s_routes ??= new Dictionary<uint, (uint ContextId, bool Unary)>[] { new(16), new(16) };

    /// <summary>The context whose callback is running (0 outside callbacks).</summary>
    public static uint ActiveContextId { get; private set; }

    /// <summary>Calls in flight of <paramref name="kind"/>.</summary>
    public static int Pending(CalloutKind kind) => Routes[(int)kind].Count;

    /// <summary>Called by every export that runs a hook: later dispatches belong to <paramref name="contextId"/>.</summary>
    public static void Enter(uint contextId) => ActiveContextId = contextId;

    /// <summary>A call of <paramref name="kind"/> with <paramref name="token"/> was dispatched by the running context;
    /// <paramref name="unary"/>: it ends with its first message (a unary gRPC call, an HTTP call).</summary>
    internal static void Dispatched(CalloutKind kind, uint token, bool unary = true) => Routes[(int)kind][token] = (ActiveContextId, unary);

    /// <summary>Forgets the route of call <paramref name="token"/>, which will never be answered: the module ended it
    /// itself (gRPC close, cancel), or, for the in-process test host, whose module state outlives it (a wasm VM's would go with the VM), when it is disposed with calls
    /// unanswered. A live module keeps every route until its answer arrives (Envoy always answers, at the latest at
    /// the call's timeout), so that an answer for a stream that ended is recognised and dropped.</summary>
    internal static void Forget(CalloutKind kind, uint token) => Routes[(int)kind].Remove(token);

    /// <summary>
    /// Takes the route of an answer: the context that made call <paramref name="token"/>, or, for a token this module did
    /// not dispatch through the SDK (raw <c>HostCalls</c>), the context the host named. When it is not that context,
    /// makes it the effective one; then it is the running context.
    /// </summary>
    /// <param name="kind">The callout kind.</param>
    /// <param name="token">The token the host passed.</param>
    /// <param name="hostContextId">The context id the host passed (cpp-host: the root's).</param>
    /// <param name="end">Whether this answer ends the call, so its route is dropped.</param>
    /// <returns>The context to answer.</returns>
    public static uint Route(CalloutKind kind, uint token, uint hostContextId, CalloutEnd end)
    {
        Dictionary<uint, (uint ContextId, bool Unary)> routes = Routes[(int)kind];
        uint contextId = hostContextId;
        if (routes.TryGetValue(token, out (uint ContextId, bool Unary) route))
        {
            contextId = route.ContextId;
            if (end == CalloutEnd.Always || (end == CalloutEnd.IfUnary && route.Unary))
            {
                routes.Remove(token);
            }
        }

        if (contextId != hostContextId)
        {
            HostCalls.proxy_set_effective_context(contextId);
        }

        ActiveContextId = contextId;
        return contextId;
    }

    /// <summary>Logs (debug) an answer whose context is gone: the stream ended before its call was answered.</summary>
    public static void ReportDropped(ReadOnlySpan<byte> export, uint contextId)
    {
        var message = new Utf8ValueBuilder(stackalloc byte[160]);
        message.Append("proxy-wasm: "u8);
        message.Append(export);
        message.Append(" dropped: context "u8);
        message.Append(contextId);
        message.Append(" that made the call is gone"u8);
        Log.Write(LogLevel.Debug, message.AsSpan());
        message.Dispose();
    }
}
