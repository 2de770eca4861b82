using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>http_routing</c>: each request draws a number, the plugin's "dice override" when one is configured
/// (<see cref="HttpRoutingPlugin"/>) or else a random unsigned 32-bit number, and logs info <c>value: &lt;n&gt;⏎</c>
/// (the message really ends with a newline, as in Go). When the number is even the request's <c>:authority</c> is
/// replaced by <c>&lt;authority&gt;-canary</c>, which the example's Envoy route table sends to the <c>canary</c> cluster
/// (virtual host <c>*-canary</c>); odd numbers leave the request for <c>primary</c>. If the request has no
/// <c>:authority</c>, it logs critical <c>failed to get request header: ':authority'</c>, and if the replace fails,
/// critical <c>failed to set request header: test</c> (the Go text); either way the request is paused, as in Go, and
/// nothing resumes it (Envoy times it out). Otherwise the request continues.
/// </summary>
/// <remarks>
/// Where the port differs: the random number comes from a xorshift64 generator seeded once per plugin from the host
/// clock (<see cref="HostClock.UnixTimeNanoseconds"/>) and the root context id, not from <c>crypto/rand</c>: under
/// NativeAOT-LLVM <c>System.Security.Cryptography.RandomNumberGenerator</c> and <c>System.Random</c> end in a WASI
/// random import Envoy does not provide (docs/wasm.md, "Still open"; samples/DispatchCallOnTick explains the same
/// choice). The number only picks a route, so a non-cryptographic generator is enough.
/// </remarks>
[HttpFilter("http_routing", Plugin = typeof(HttpRoutingPlugin))]
public partial class HttpRouting
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, HttpRoutingPlugin plugin)
    {
        uint value = plugin.DiceOverride != 0 ? plugin.DiceOverride : plugin.Dice();
        var line = new Utf8ValueBuilder(stackalloc byte[32]);
        line.Append("value: "u8);
        line.Append(value);
        line.Append("\n"u8);
        Log.Info(line.AsSpan());
        line.Dispose();

        if (value % 2 == 0)
        {
            if (!headers.TryGetValue(":authority"u8, out ReadOnlySpan<byte> authority))
            {
                Log.Critical("failed to get request header: ':authority'"u8);
#pragma warning disable PXW0016 // The Go example pauses here and nothing resumes the request (Envoy times it out); kept as in Go.
                return FilterHeadersStatus.StopIteration;
            }

            var canary = new Utf8ValueBuilder(stackalloc byte[256]);
            canary.Append(authority);
            canary.Append("-canary"u8);
            ProxyStatus status = headers.Replace(":authority"u8, canary.AsSpan());
            canary.Dispose();
            if (status != ProxyStatus.Ok)
            {
                Log.Critical("failed to set request header: test"u8);
                return FilterHeadersStatus.StopIteration;
#pragma warning restore PXW0016
            }
        }

        return FilterHeadersStatus.Continue;
    }
}

/// <summary>
/// The plugin (one per root context) of <see cref="HttpRouting"/>: the dice override read from the plugin
/// configuration (its first byte, 0 to 255; 0, an empty or an absent configuration mean "random") and the random
/// number generator.
/// </summary>
public sealed class HttpRoutingPlugin
{
    private ClockSeededRandom _random;

    /// <summary>The configured number, or 0 for a random one per request.</summary>
    public uint DiceOverride { get; private set; }

    /// <summary>The Go example's OnPluginStart: the first byte of the configuration, if any, is the dice override.
    /// Always starts (the Go example's failure path, a read error other than "not found", cannot be told apart from
    /// an empty configuration through <see cref="Plugin.GetConfiguration"/>).</summary>
    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        _random = ClockSeededRandom.Seed(HostClock.UnixTimeNanoseconds(), Plugin.CurrentContextId);
        DiceOverride = configuration.IsEmpty ? 0u : configuration[0];
        return true;
    }

    /// <summary>The next random number (<see cref="ClockSeededRandom.NextUInt32"/>).</summary>
    internal uint Dice() => _random.NextUInt32();


}
