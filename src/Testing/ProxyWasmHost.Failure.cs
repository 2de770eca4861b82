using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>A failed VM (a trap in a <c>.wasm</c> module), handled as proxy-wasm-cpp-host does (<c>src/context.cc</c>
/// <c>CHECK_FAIL</c>): the module is never called again, and each stream follows the failure policy.</summary>
public sealed partial class ProxyWasmHost
{
    /// <summary>Envoy's response code details for a stream failed closed because its VM failed.</summary>
    public const string FailStreamDetails = "wasm_fail_stream";

    /// <summary>Why the VM failed (the first trap, with cpp-host's message <c>Function: NAME failed: REASON</c>), or
    /// <see langword="null"/> while it runs. Only a <c>.wasm</c> module's VM fails: an assembly's hook exceptions are the
    /// generated glue's to handle.</summary>
    public WasmTrapException? VmFailure { get; private set; }

    private void Fail(WasmTrapException trap) => VmFailure ??= trap;

    /// <summary>
    /// What a callback of a failed VM gives the host instead of calling the module. HTTP: fail open, Continue; fail
    /// closed, a local 503 (details <see cref="FailStreamDetails"/>, gRPC status 14 UNAVAILABLE, no body) once per
    /// stream, and StopAllIterationAndWatermark, StopIterationNoBuffer or StopIteration (the 503 itself then passes
    /// the response callbacks). TCP: Continue, or StopIteration
    /// and the connection closed. <c>proxy_on_done</c>: done. Other callbacks are not called.
    /// </summary>
    private uint? FailedCall(HttpStreamContext? stream, TcpConnectionContext? connection, string export)
    {
        ProxyCallback? callback = ProxyCallbacks.ForExport(export);
        if (callback == ProxyCallbacks.Done)
        {
            return 1;
        }

        switch (callback?.Result)
        {
            case CallbackResult.HeadersStatus or CallbackResult.DataStatus or CallbackResult.TrailersStatus when stream is not null:
                if (Options.FailOpen)
                {
                    return (uint)FilterHeadersStatus.Continue;
                }

                if (stream.FailedByVm && callback.Export.Contains("response", System.StringComparison.Ordinal))
                {
                    // The stream's own 503 passes the response hooks of the failed filter (it is not stopped again).
                    return (uint)FilterHeadersStatus.Continue;
                }

                if (!stream.FailedByVm)
                {
                    stream.FailedByVm = true;
                    stream.LocalResponse ??= new LocalResponse(503, [], new HeaderList(), FailStreamDetails, 14);
                }

                return callback.Result switch
                {
                    CallbackResult.HeadersStatus => (uint)FilterHeadersStatus.StopAllIterationAndWatermark,
                    CallbackResult.DataStatus => (uint)FilterDataStatus.StopIterationNoBuffer,
                    _ => (uint)FilterTrailersStatus.StopIteration,
                };
            case CallbackResult.NetworkStatus when connection is not null:
                if (Options.FailOpen)
                {
                    return (uint)FilterStatus.Continue;
                }

                if (connection.ClosedByModule is null)
                {
                    connection.ClosedByModule = StreamType.Downstream;
                    AfterCall(() => connection.CloseByModule(StreamType.Downstream));
                }

                return (uint)FilterStatus.StopIteration;
            case CallbackResult.Bool:
                return 0;
            default:
                return null;
        }
    }
}
