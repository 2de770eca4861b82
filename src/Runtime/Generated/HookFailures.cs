using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using ProxyWasm.Abi;

namespace ProxyWasm.Generated;

/// <summary>
/// What the generated glue does when a hook throws: log at <see cref="LogLevel.Critical"/> through <c>proxy_log</c>,
/// then apply the filter's <see cref="FailurePolicy"/>. The exception never escapes an export, so the VM survives.
/// For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HookFailures
{
    /// <summary>Logs <paramref name="exception"/> thrown by <paramref name="hook"/> (UTF-8, e.g. <c>"HelloWorld.OnRequestHeaders"u8</c>).
    /// Building the message allocates; this is the error path only.</summary>
    public static void Report(Exception exception, ReadOnlySpan<byte> hook)
    {
        try
        {
            var message = new Utf8ValueBuilder(stackalloc byte[512]);
            message.Append("proxy-wasm: "u8);
            message.Append(hook);
            message.Append(" threw "u8);
            message.Append(exception.GetType().FullName.AsSpan());
            message.Append(": "u8);
            message.Append(exception.Message.AsSpan());
            message.Append("\n"u8);
            message.Append((exception.StackTrace ?? string.Empty).AsSpan());
            Log.Write(LogLevel.Critical, message.AsSpan());
            message.Dispose();
        }
        catch (Exception)
        {
            // Logging must not turn one failure into a VM crash: fall back to a fixed message.
            Log.Write(LogLevel.Critical, "proxy-wasm: a hook threw, and formatting the exception failed."u8);
        }
    }

    /// <summary>
    /// Handles an exception from a stream hook (or from the export that dispatched it): reports it, then for
    /// <see cref="FailurePolicy.FailClosed"/> fails the stream and returns <paramref name="stop"/>: an HTTP stream gets a
    /// local <c>500</c> (empty body, details <see cref="HttpStream.FilterExceptionDetails"/>), a connection of a network
    /// filter (<see cref="FilterStatus"/>) is closed (<c>proxy_close_stream(DOWNSTREAM)</c>); for
    /// <see cref="FailurePolicy.FailOpen"/> returns Continue (the status enum's 0).
    /// </summary>
    /// <typeparam name="TStatus">The callback's status enum (<see cref="FilterHeadersStatus"/>, <see cref="FilterDataStatus"/>, ...).</typeparam>
    /// <returns>The status the export returns to the host.</returns>
    public static TStatus FailStream<TStatus>(Exception exception, ReadOnlySpan<byte> hook, FailurePolicy policy, TStatus stop)
        where TStatus : struct, Enum
    {
        Report(exception, hook);
        return Apply(policy, stop);
    }

    /// <summary>
    /// A hook of a stream whose state could not be created (its constructor threw) or that already failed: the first
    /// time, applies <paramref name="policy"/> as <see cref="FailStream"/> does and marks the stream handled; later
    /// hooks let it pass (Continue), so a local reply cannot trigger another one.
    /// </summary>
    /// <returns>The status the export returns to the host.</returns>
    public static TStatus Faulted<TStatus>(ref StreamFault fault, FailurePolicy policy, TStatus stop)
        where TStatus : struct, Enum
    {
        if (fault == StreamFault.Handled)
        {
            return default;
        }

        fault = StreamFault.Handled;
        return Apply(policy, stop);
    }

    /// <summary>
    /// Handles an exception from a stream's callout-answer hook (<c>[OnHttpCallResponse]</c>...), which has no status to
    /// return: reports it, then for <see cref="FailurePolicy.FailClosed"/> fails the stream as <see cref="FailStream"/>
    /// does (an HTTP stream gets the local <c>500</c>, a connection is closed); for <see cref="FailurePolicy.FailOpen"/>
    /// resumes <paramref name="direction"/> (<c>proxy_continue_stream</c>), as if the hook had let it through. Either
    /// way the stream the call paused is not left waiting.
    /// </summary>
    /// <param name="exception">What the hook threw.</param>
    /// <param name="hook">The hook's name, UTF-8, for the log line.</param>
    /// <param name="policy">The filter's failure policy.</param>
    /// <param name="direction">What the call paused: <see cref="StreamType.HttpRequest"/> for an HTTP stream,
    /// <see cref="StreamType.Downstream"/> for a connection of a network filter.</param>
    public static void FailAnswer(Exception exception, ReadOnlySpan<byte> hook, FailurePolicy policy, StreamType direction = StreamType.HttpRequest)
    {
        Report(exception, hook);
        if (policy == FailurePolicy.FailOpen)
        {
            HostCalls.proxy_continue_stream(direction);
            return;
        }

        FailClosed(connection: direction == StreamType.Downstream);
    }

    /// <summary>
    /// What a stream callback answers after its hook returned <paramref name="status"/>: the status itself, unless the
    /// host refused a local response during the callback (<c>proxy_send_local_response</c> not Ok) and the hook still
    /// paused the stream, which would then wait forever. Then, for <see cref="FailurePolicy.FailOpen"/>, Continue (the
    /// stream passes as if the hook had let it through); for <see cref="FailurePolicy.FailClosed"/>, the stream is reset
    /// (<c>proxy_close_stream(HTTP_REQUEST)</c>, or <c>DOWNSTREAM</c> for a connection) and the stop status stands.
    /// Either way a log line says so. One flag test when nothing was refused.
    /// </summary>
    /// <typeparam name="TStatus">The callback's status enum.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TStatus Settle<TStatus>(TStatus status, FailurePolicy policy)
        where TStatus : struct, Enum
        => LocalResponse.Refused ? SettleRefused(status, policy) : status;

    private static TStatus SettleRefused<TStatus>(TStatus status, FailurePolicy policy)
        where TStatus : struct, Enum
    {
        LocalResponse.Refused = false;
        if (System.Collections.Generic.EqualityComparer<TStatus>.Default.Equals(status, default))
        {
            // The hook continued anyway: the stream is not paused.
            return status;
        }

        if (policy == FailurePolicy.FailOpen)
        {
            Log.Write(LogLevel.Error, "proxy-wasm: the stream continues (fail open) after its local response was refused."u8);
            return default;
        }

        Reset(connection: typeof(TStatus) == typeof(FilterStatus));
        return status;
    }

    /// <summary>
    /// After a stream's callout-answer hook (<c>[OnHttpCallResponse]</c>...): if the host refused a local response the
    /// hook sent, the stream the call paused would wait forever; for <see cref="FailurePolicy.FailOpen"/> it is resumed
    /// (<c>proxy_continue_stream(HTTP_REQUEST)</c>), for <see cref="FailurePolicy.FailClosed"/> reset
    /// (<c>proxy_close_stream(HTTP_REQUEST)</c>). Network filters send no local responses.
    /// </summary>
    public static void SettleAnswer(FailurePolicy policy)
    {
        if (!LocalResponse.Refused)
        {
            return;
        }

        LocalResponse.Refused = false;
        if (policy == FailurePolicy.FailOpen)
        {
            Log.Write(LogLevel.Error, "proxy-wasm: the stream is resumed (fail open) after its local response was refused."u8);
            HostCalls.proxy_continue_stream(StreamType.HttpRequest);
            return;
        }

        Reset(connection: false);
    }

    /// <summary>
    /// A status callback for a context id the module does not serve as a stream: a root context's id (a stream the host
    /// created with its root's id was refused), or a stream whose root context was deleted before it
    /// (<see cref="ContextState.Orphaned"/>). Logs it and applies the failure policy of <paramref name="entry"/> as
    /// <see cref="FailStream"/> does; an orphaned stream gets it once, then passes (Continue), and never reaches the
    /// state of another plugin.
    /// </summary>
    /// <typeparam name="TStatus">The callback's status enum.</typeparam>
    public static TStatus Unserved<TStatus>(ContextRegistry contexts, uint contextId, in ContextEntry entry, TStatus stop)
        where TStatus : struct, Enum
    {
        if (entry.State == ContextState.OrphanHandled)
        {
            return default;
        }

        var message = new Utf8ValueBuilder(stackalloc byte[160]);
        message.Append("proxy-wasm: stream callback for context "u8);
        message.Append(contextId);
        message.Append(entry.IsRoot
            ? " which is a root context (the stream was refused); failure policy applied."u8
            : " whose plugin (root context) was deleted; failure policy applied."u8);
        Log.Write(LogLevel.Error, message.AsSpan());
        message.Dispose();
        if (!entry.IsRoot)
        {
            contexts.MarkHandled(contextId);
        }

        TStatus result = Apply(entry.OnError, stop);
        LocalResponse.Refused = false;
        return result;
    }

    /// <summary>A stream's callout answer for a stream whose plugin was deleted: the hook does not run (no plugin state
    /// to give it); the stream the call paused gets the failure policy (resumed for fail-open, a local <c>500</c> for
    /// fail-closed), once.</summary>
    public static void UnservedAnswer(ContextRegistry contexts, uint contextId, in ContextEntry entry)
    {
        if (entry.State == ContextState.OrphanHandled)
        {
            return;
        }

        Log.Write(LogLevel.Error, "proxy-wasm: a callout answer for a stream whose plugin was deleted; failure policy applied."u8);
        contexts.MarkHandled(contextId);
        if (entry.OnError == FailurePolicy.FailOpen)
        {
            HostCalls.proxy_continue_stream(StreamType.HttpRequest);
            return;
        }

        FailClosed(connection: false);
        LocalResponse.Refused = false;
    }

    /// <summary>Fail-open: the status enum's 0 (Continue). Fail-closed: the stream fails and the callback answers
    /// <paramref name="stop"/>. What failing means follows from the status type: <see cref="FilterStatus"/> is a
    /// connection's (a network filter), every other status an HTTP stream's. The type test is a constant for each
    /// instantiation, so the compiler keeps one branch.</summary>
    private static TStatus Apply<TStatus>(FailurePolicy policy, TStatus stop)
        where TStatus : struct, Enum
    {
        if (policy == FailurePolicy.FailOpen)
        {
            return default;
        }

        FailClosed(connection: typeof(TStatus) == typeof(FilterStatus));
        return stop;
    }

    /// <summary>A connection: close the client side (<c>proxy_close_stream(DOWNSTREAM)</c>). An HTTP stream: the local
    /// <c>500</c> (empty body, details <see cref="HttpStream.FilterExceptionDetails"/>).</summary>
    private static void FailClosed(bool connection)
    {
        if (connection)
        {
            HostCalls.proxy_close_stream(StreamType.Downstream);
            return;
        }

        if (LocalResponse.Send(500, default, default, HttpStream.FilterExceptionDetails, GrpcStatus.None) != ProxyStatus.Ok)
        {
            // The host refused the 500 too: reset the stream rather than leave it paused.
            LocalResponse.Refused = false;
            Reset(connection: false);
        }
    }

    /// <summary>Resets a stream whose local response was refused: <c>proxy_close_stream(HTTP_REQUEST)</c>, or
    /// <c>DOWNSTREAM</c> for a connection. If the host refuses that too there is nothing safe left to do; it is logged.</summary>
    private static void Reset(bool connection)
    {
        ProxyStatus status = HostCalls.proxy_close_stream(connection ? StreamType.Downstream : StreamType.HttpRequest);
        Log.Write(LogLevel.Error, status == ProxyStatus.Ok
            ? "proxy-wasm: the stream was reset (fail closed) after its local response was refused."u8
            : "proxy-wasm: the stream could not be reset after its local response was refused; the host refused both."u8);
    }
}
