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
    /// <see cref="FailurePolicy.FailClosed"/> sends a local <c>500</c> (empty body, details
    /// <see cref="HttpStream.FilterExceptionDetails"/>) and returns <paramref name="stop"/>; for
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
    /// Handles an exception from a stream's callout-answer hook (<c>[OnHttpCallResponse]</c>), which has no status to
    /// return: reports it, then for <see cref="FailurePolicy.FailClosed"/> answers the stream with the local <c>500</c>
    /// of <see cref="FailStream"/>; for <see cref="FailurePolicy.FailOpen"/> resumes the request
    /// (<c>proxy_continue_stream(HTTP_REQUEST)</c>), as if the hook had let it through. Either way the stream the
    /// call paused is not left waiting.
    /// </summary>
    public static void FailAnswer(Exception exception, ReadOnlySpan<byte> hook, FailurePolicy policy)
    {
        Report(exception, hook);
        if (policy == FailurePolicy.FailOpen)
        {
            HostCalls.proxy_continue_stream(StreamType.HttpRequest);
            return;
        }

        LocalResponse.Send(500, default, default, HttpStream.FilterExceptionDetails, GrpcStatus.None);
    }

    /// <summary>
    /// Handles an exception from a connection hook of a network filter (or the export that dispatched it): reports it,
    /// then for <see cref="FailurePolicy.FailClosed"/> closes the client connection
    /// (<c>proxy_close_stream(DOWNSTREAM)</c>) and returns <see cref="FilterStatus.StopIteration"/>; for
    /// <see cref="FailurePolicy.FailOpen"/> returns <see cref="FilterStatus.Continue"/>.
    /// </summary>
    /// <returns>The status the export returns to the host.</returns>
    public static FilterStatus FailConnection(Exception exception, ReadOnlySpan<byte> hook, FailurePolicy policy)
    {
        Report(exception, hook);
        return ApplyToConnection(policy);
    }

    /// <summary>As <see cref="Faulted{TStatus}"/>, for a connection whose state could not be created: the first hook
    /// applies <paramref name="policy"/> as <see cref="FailConnection"/> does; later hooks let data pass.</summary>
    /// <returns>The status the export returns to the host.</returns>
    public static FilterStatus FaultedConnection(ref StreamFault fault, FailurePolicy policy)
    {
        if (fault == StreamFault.Handled)
        {
            return FilterStatus.Continue;
        }

        fault = StreamFault.Handled;
        return ApplyToConnection(policy);
    }

    /// <summary>As <see cref="FailAnswer"/>, for a callout-answer hook of a connection: fail-closed closes the client
    /// connection, fail-open resumes reading from it (<c>proxy_continue_stream(DOWNSTREAM)</c>).</summary>
    public static void FailConnectionAnswer(Exception exception, ReadOnlySpan<byte> hook, FailurePolicy policy)
    {
        Report(exception, hook);
        if (policy == FailurePolicy.FailOpen)
        {
            HostCalls.proxy_continue_stream(StreamType.Downstream);
            return;
        }

        HostCalls.proxy_close_stream(StreamType.Downstream);
    }

    private static FilterStatus ApplyToConnection(FailurePolicy policy)
    {
        if (policy == FailurePolicy.FailOpen)
        {
            return FilterStatus.Continue;
        }

        HostCalls.proxy_close_stream(StreamType.Downstream);
        return FilterStatus.StopIteration;
    }

    private static TStatus Apply<TStatus>(FailurePolicy policy, TStatus stop)
        where TStatus : struct, Enum
    {
        if (policy == FailurePolicy.FailOpen)
        {
            return default;
        }

        LocalResponse.Send(500, default, default, HttpStream.FilterExceptionDetails, GrpcStatus.None);
        return stop;
    }
}
