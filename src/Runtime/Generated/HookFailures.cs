using System;
using System.ComponentModel;
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

        LocalResponse.Send(500, default, default, HttpStream.FilterExceptionDetails, GrpcStatus.None);
    }
}
