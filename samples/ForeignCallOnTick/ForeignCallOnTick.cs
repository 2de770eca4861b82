using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>foreign_call_on_tick</c>: a plugin with no HTTP side. <see cref="ForeignCallOnTickPlugin"/> sets a
/// 1 ms tick and, on each tick, calls the host's foreign function <c>compress</c> on <c>hello world!</c>. The filter
/// type only carries the root id and the plugin; its streams pass through.
/// </summary>
[HttpFilter("foreign_call_on_tick", Plugin = typeof(ForeignCallOnTickPlugin))]
public partial class ForeignCallOnTick
{
}

/// <summary>
/// The plugin of <see cref="ForeignCallOnTick"/>: OnPluginStart sets the tick period to 1 ms (a refusal logs critical
/// <c>failed to set tick period: &lt;err&gt;</c> and rejects the configuration); each tick adds 1 to the call counter,
/// calls <c>compress("hello world!")</c> (a failure logs critical <c>foreign function (compress) failed: &lt;err&gt;</c>
/// and the next line still follows, with an empty result), and logs info
/// <c>foreign function (compress) called: &lt;n&gt;, result: &lt;lower-case hex of the result&gt;</c>.
/// </summary>
public sealed class ForeignCallOnTickPlugin
{
    private const uint TickMilliseconds = 1;

    private long _calls;

    /// <summary>The Go example's OnPluginStart.</summary>
    [OnConfigure]
    public bool OnConfigure()
    {
        ProxyStatus status = Plugin.SetTickPeriod(TickMilliseconds);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("failed to set tick period: "u8, status);
            return false;
        }

        Log.Info("set tick period milliseconds: 1"u8);
        return true;
    }

    /// <summary>One foreign call per tick.</summary>
    [OnTick]
    public void OnTick()
    {
        _calls++;
        ProxyStatus status = ForeignFunction.Call("compress"u8, "hello world!"u8, out ReadOnlySpan<byte> result);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.LogCritical("foreign function (compress) failed: "u8, status);
            result = default;
        }

        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append("foreign function (compress) called: "u8);
        line.Append(_calls);
        line.Append(", result: "u8);
        Span<byte> pair = stackalloc byte[2];
        foreach (byte b in result)
        {
            pair[0] = Hex(b >> 4);
            pair[1] = Hex(b & 0xF);
            line.Append(pair);
        }

        Log.Info(line.AsSpan());
        line.Dispose();
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
