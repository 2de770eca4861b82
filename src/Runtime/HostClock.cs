using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// The host's wall clock (<c>proxy_get_current_time_nanoseconds</c>). Use it instead of <c>DateTime.UtcNow</c>,
/// <c>Stopwatch</c> or <c>Environment.TickCount</c>: under NativeAOT-LLVM those read WASI clocks, which a Proxy-Wasm
/// host need not provide, and in the proxy the host's clock is the one its logs and timers use.
/// </summary>
public static unsafe class HostClock
{
    /// <summary>
    /// The host's wall-clock time in nanoseconds since the Unix epoch (1970-01-01T00:00:00Z)
    /// (<c>proxy_get_current_time_nanoseconds</c>, a u64). Allocates nothing.
    /// </summary>
    /// <returns>The time, or 0 when the host reports an error (it returns Ok or InvalidMemoryAccess).</returns>
    public static ulong UnixTimeNanoseconds()
    {
        ulong time = 0;
        return HostCalls.proxy_get_current_time_nanoseconds(&time) == ProxyStatus.Ok ? time : 0;
    }
}
