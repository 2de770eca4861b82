using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>dispatch_call_on_tick</c>: no HTTP hooks (streams pass through untouched); all the work is the
/// plugin's, see <see cref="DispatchCallOnTickPlugin"/>.
/// </summary>
[HttpFilter("dispatch_call_on_tick", Plugin = typeof(DispatchCallOnTickPlugin))]
public partial class DispatchCallOnTick
{
}

/// <summary>
/// The plugin (one per root context) of <see cref="DispatchCallOnTick"/>. On start it sets a 100 ms tick. Every tick
/// it dispatches <c>GET</c> to the cluster <c>web_service</c> (authority <c>some_authority</c>, <c>accept: */*</c>,
/// 5 s timeout) with <c>:path</c> <c>/ok</c> when a random byte is even and <c>/fail</c> when it is odd. Every answer
/// (a failed call too) adds 1 to this plugin's counter and logs <c>called &lt;n&gt; for contextID=&lt;root context
/// id&gt;</c>, then each response header and trailer.
/// </summary>
/// <remarks>
/// The random byte comes from a xorshift64 generator seeded once per plugin from the host clock
/// (<see cref="HostClock.UnixTimeNanoseconds"/>, <c>proxy_get_current_time_nanoseconds</c>) mixed with the root
/// context id, not from <c>System.Security.Cryptography.RandomNumberGenerator</c> (the Go example reads
/// <c>crypto/rand</c>). That API is unsuitable in the proxy: under NativeAOT-LLVM it ends in the runtime's WASI
/// random import (<c>wasi:random/random</c>, a WASIp2 interface Envoy does not register; docs/wasm.md, "Still open"),
/// so it would work only once that import is mapped to <c>wasi_snapshot_preview1.random_get</c>, and would trap with
/// a stub. <c>System.Random</c> seeds itself through the same import. The byte only picks one of two paths, so a
/// non-cryptographic generator is enough; with a fixed host clock the sequence is reproducible, which the tests use.
/// </remarks>
public sealed class DispatchCallOnTickPlugin
{
    private const uint TickMilliseconds = 100;
    private const uint TimeoutMilliseconds = 5000;

    private uint _contextId;
    private long _calls;
    private ClockSeededRandom _random;

    /// <summary>The Go example's OnPluginStart: a 100 ms tick, or <see langword="false"/> (reject the
    /// configuration) when the host refuses it.</summary>
    [OnConfigure]
    public bool OnConfigure()
    {
        _contextId = Plugin.CurrentContextId;
        _random = ClockSeededRandom.Seed(HostClock.UnixTimeNanoseconds(), _contextId);

        ProxyStatus status = Plugin.SetTickPeriod(TickMilliseconds);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("failed to set tick period: "u8, status);
            return false;
        }

        Log.Info("set tick period milliseconds: 100"u8);
        return true;
    }

    /// <summary>Dispatches one call to <c>web_service</c>.</summary>
    [OnTick]
    public void OnTick()
    {
        ReadOnlySpan<byte> path = _random.NextByte() % 2 == 0 ? "/ok"u8 : "/fail"u8;

        Span<byte> buffer = stackalloc byte[128];
        var headers = new PairsWriter(buffer, count: 4);
        headers.Add(":method"u8, "GET"u8);
        headers.Add(":authority"u8, "some_authority"u8);
        headers.Add("accept"u8, "*/*"u8);
        headers.Add(":path"u8, path);

        ProxyStatus status = HttpCall.DispatchPairs("web_service"u8, headers.WrittenSpan, default, default, TimeoutMilliseconds, out _);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("dispatch httpcall failed: "u8, status);
        }
    }

    /// <summary>Counts the answer and logs it with its headers and trailers.</summary>
    [OnHttpCallResponse]
    public void OnHttpCallResponse(HttpCallResponse response)
    {
        _calls++;
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("called "u8);
        line.Append(_calls);
        line.Append(" for contextID="u8);
        line.Append(_contextId);
        Log.Info(line.AsSpan());
        line.Dispose();

        foreach (HeaderPair header in response.Headers.GetAll())
        {
            LogPair("response header for the dispatched call: "u8, header);
        }

        foreach (HeaderPair trailer in response.Trailers.GetAll())
        {
            LogPair("response trailer for the dispatched call: "u8, trailer);
        }
    }


    private static void LogPair(ReadOnlySpan<byte> prefix, HeaderPair pair)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append(prefix);
        line.Append(pair.Name);
        line.Append(": "u8);
        line.Append(pair.Value);
        Log.Info(line.AsSpan());
        line.Dispose();
    }


}
