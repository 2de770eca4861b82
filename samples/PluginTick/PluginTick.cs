using System;

namespace ProxyWasm.Samples;

/// <summary>
/// The Rust SDK's <c>hello_world</c>, a plugin with no HTTP work: the filter type has no hooks (the generator needs one
/// to hang the plugin on, and a stream the host creates anyway passes through untouched); everything happens in
/// <see cref="PluginTickPlugin"/>. The module has one filter, so it serves any root id (Envoy runs the Rust example as
/// the bootstrap <c>WasmService</c> <c>hello_world</c>).
/// </summary>
[HttpFilter("plugin_tick", Plugin = typeof(PluginTickPlugin))]
public partial class PluginTick
{
}

/// <summary>
/// The plugin (root context) of <see cref="PluginTick"/>. At VM start it logs <c>Hello, World!</c> at info and sets a
/// 5000 ms tick. Every tick it logs at info <c>It's &lt;yyyy-MM-dd HH:mm:ss.fffffffff&gt; UTC, your lucky number is
/// &lt;N&gt;.</c>: the host's time in UTC with nine fractional digits, and a random byte, 0 to 255.
/// </summary>
/// <remarks>
/// <para>The time is the host clock (<see cref="HostClock.UnixTimeNanoseconds"/>,
/// <c>proxy_get_current_time_nanoseconds</c>), formatted here without allocating, with all nine digits of the
/// nanoseconds. The Rust example built for <c>wasm32-wasip1</c> reads the WASI clock instead and prints chrono's
/// display, whose fraction has as many digits as it needs (<c>2022-11-22 03:39:17.849616 UTC</c>).</para>
/// <para>The random byte comes from a xorshift64 generator seeded at VM start from the host clock mixed with the root
/// context id, as the DispatchCallOnTick sample does, not from WASI <c>random_get</c> (the Rust example's
/// getrandom) or <c>System.Security.Cryptography.RandomNumberGenerator</c>/<c>System.Random</c>: under
/// NativeAOT-LLVM those end in the runtime's <c>wasi:random/random</c> import, which Envoy does not provide
/// (docs/wasm.md, "Still open"). A lucky number needs no cryptographic generator.</para>
/// <para>The Rust example panics when the tick cannot be set; this port logs <c>failed to set tick period</c> at
/// critical and returns <see langword="false"/> from VM start, which fails the VM the same way.</para>
/// </remarks>
public sealed class PluginTickPlugin
{
    private const uint TickMilliseconds = 5000;
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    private ClockSeededRandom _random;

    /// <summary>Says hello, seeds the generator and sets the 5 s tick.</summary>
    /// <returns><see langword="false"/> when the host refuses the tick period.</returns>
    [OnVmStart]
    public bool OnVmStart()
    {
        Log.Info("Hello, World!"u8);
        _random = ClockSeededRandom.Seed(HostClock.UnixTimeNanoseconds(), Plugin.CurrentContextId);
        if (Plugin.SetTickPeriod(TickMilliseconds) != ProxyStatus.Ok)
        {
            Log.Critical("failed to set tick period"u8);
            return false;
        }

        return true;
    }

    /// <summary>Logs the time and a lucky number.</summary>
    [OnTick]
    public void OnTick()
    {
        Span<byte> time = stackalloc byte[TimeLength];
        FormatUtc(HostClock.UnixTimeNanoseconds(), time);

        var line = new Utf8ValueBuilder(stackalloc byte[96]);
        line.Append("It's "u8);
        line.Append(time);
        line.Append(" UTC, your lucky number is "u8);
        line.Append(_random.NextByte());
        line.Append("."u8);
        Log.Info(line.AsSpan());
        line.Dispose();
    }

    /// <summary>The length of <c>yyyy-MM-dd HH:mm:ss.fffffffff</c>.</summary>
    public const int TimeLength = 29;

    /// <summary>
    /// Writes <paramref name="unixNanoseconds"/> (nanoseconds since 1970-01-01T00:00:00Z) as
    /// <c>yyyy-MM-dd HH:mm:ss.fffffffff</c> (proleptic Gregorian calendar, UTC) into the first <see cref="TimeLength"/>
    /// bytes of <paramref name="destination"/>. A u64 of nanoseconds ends in 2554, so the year has four digits.
    /// </summary>
    public static void FormatUtc(ulong unixNanoseconds, Span<byte> destination)
    {
        ulong seconds = unixNanoseconds / NanosecondsPerSecond;
        ulong nanoseconds = unixNanoseconds % NanosecondsPerSecond;
        ulong days = seconds / 86_400;
        ulong secondOfDay = seconds % 86_400;

        // Days since the epoch to a civil date (H. Hinnant's algorithm; eras of 400 years starting on 0000-03-01).
        ulong z = days + 719_468;
        ulong era = z / 146_097;
        ulong dayOfEra = z - (era * 146_097);
        ulong yearOfEra = (dayOfEra - (dayOfEra / 1_460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        ulong dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        ulong monthFromMarch = ((5 * dayOfYear) + 2) / 153;
        ulong day = dayOfYear - (((153 * monthFromMarch) + 2) / 5) + 1;
        ulong month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        ulong year = (era * 400) + yearOfEra + (month <= 2 ? 1UL : 0UL);

        Digits(destination.Slice(0, 4), year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), day);
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), secondOfDay / 3_600);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), secondOfDay / 60 % 60);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), secondOfDay % 60);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 9), nanoseconds);
    }

    /// <summary>Writes the last <c>destination.Length</c> decimal digits of <paramref name="value"/>, zero-padded.</summary>
    private static void Digits(Span<byte> destination, ulong value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }


}
