using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Rust SDK's hello_world, in the in-process host: <c>Hello, World!</c> and a 5 s tick at VM start, and on
/// each tick the host's time (UTC, nine fractional digits) with a lucky number 0-255; streams pass untouched.</summary>
public sealed class PluginTickTests
{
    /// <summary>2022-11-22 03:39:17.1234567 UTC: the README's moment, with every digit the clock's 100 ns ticks hold.</summary>
    private static readonly DateTimeOffset Moment = DateTimeOffset.FromUnixTimeSeconds(1_669_088_357).AddTicks(1_234_567);

    private static readonly Regex TickLine = new(@"^It's (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{9}) UTC, your lucky number is (\d{1,3})\.$");

    private static ProxyWasmHost Host(Func<DateTimeOffset> clock) => new(typeof(PluginTick).Assembly, new HostOptions { RootId = "hello_world", Clock = clock });

    private static ProxyWasmHost Host(DateTimeOffset? clock = null)
    {
        DateTimeOffset now = clock ?? Moment;
        return Host(() => now);
    }

    private static string Formatted(ulong nanoseconds)
    {
        Span<byte> buffer = stackalloc byte[PluginTickPlugin.TimeLength + 3];
        buffer.Fill((byte)'#');
        PluginTickPlugin.FormatUtc(nanoseconds, buffer);
        Assert.Equal("###", Encoding.ASCII.GetString(buffer[PluginTickPlugin.TimeLength..]));
        return Encoding.ASCII.GetString(buffer[..PluginTickPlugin.TimeLength]);
    }

    private static (string Time, int Number)[] Ticks(ProxyWasmHost host, int count)
    {
        host.StartPlugin();
        int from = host.Logs.Count;
        for (int i = 0; i < count; i++)
        {
            host.Tick();
        }

        return host.Logs.Skip(from).Select(l =>
        {
            Assert.Equal(LogLevel.Info, l.Level);
            Match match = TickLine.Match(l.Message);
            Assert.True(match.Success, l.Message);
            return (match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        }).ToArray();
    }

    [Fact]
    public void Vm_start_says_hello_and_sets_a_5_s_tick()
    {
        using ProxyWasmHost host = Host();

        Assert.True(host.StartPlugin());
        Assert.True(host.VmStartResult);
        Assert.Null(host.ConfigureResult);
        Assert.Equal(5000u, host.TickPeriodMilliseconds);
        Assert.Equal(new LogEntry(LogLevel.Info, "Hello, World!"), Assert.Single(host.Logs));
    }

    [Fact]
    public void A_tick_logs_the_host_time_with_nine_fractional_digits_and_a_lucky_number()
    {
        using ProxyWasmHost host = Host();
        host.StartPlugin();
        host.Tick();

        Assert.Equal(2, host.Logs.Count);
        LogEntry line = host.Logs[1];
        Assert.Equal(LogLevel.Info, line.Level);
        Assert.StartsWith("It's 2022-11-22 03:39:17.123456700 UTC, your lucky number is ", line.Message, StringComparison.Ordinal);
        Match match = TickLine.Match(line.Message);
        Assert.True(match.Success, line.Message);
        Assert.InRange(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0, 255);
    }

    [Fact]
    public void Each_tick_reads_the_clock_again()
    {
        DateTimeOffset now = new(2024, 2, 29, 23, 59, 59, TimeSpan.Zero);
        using ProxyWasmHost host = Host(() => now);
        host.StartPlugin();

        now = now.AddTicks(9_999_999);
        string first = Ticks(host, 1).Single().Time;
        now = now.AddTicks(1);
        string second = Ticks(host, 1).Single().Time;
        now = new DateTimeOffset(2026, 12, 2, 1, 2, 3, TimeSpan.FromHours(5)).AddTicks(5);

        Assert.Equal("2024-02-29 23:59:59.999999900", first);
        Assert.Equal("2024-03-01 00:00:00.000000000", second);
        Assert.Equal("2026-12-01 20:02:03.000000500", Ticks(host, 1).Single().Time); // UTC, whatever the offset
    }

    [Theory]
    [InlineData(0UL, "1970-01-01 00:00:00.000000000")]
    [InlineData(123_456_789UL, "1970-01-01 00:00:00.123456789")]
    [InlineData(1_669_088_357_123_456_789UL, "2022-11-22 03:39:17.123456789")]
    [InlineData(1_709_251_199_999_999_999UL, "2024-02-29 23:59:59.999999999")]
    [InlineData(951_868_800_000_000_000UL, "2000-03-01 00:00:00.000000000")]
    [InlineData(951_782_399_000_000_001UL, "2000-02-28 23:59:59.000000001")]
    [InlineData(4_107_542_400_000_000_000UL, "2100-03-01 00:00:00.000000000")]
    [InlineData(ulong.MaxValue, "2554-07-21 23:34:33.709551615")]
    public void The_time_is_formatted_as_UTC_with_all_nine_digits_of_the_nanoseconds(ulong nanoseconds, string expected)
        => Assert.Equal(expected, Formatted(nanoseconds));

    [Fact]
    public void The_date_agrees_with_the_BCL_calendar_over_the_whole_u64_range()
    {
        var random = new Random(20261202);
        for (int i = 0; i < 20_000; i++)
        {
            ulong nanoseconds = (ulong)random.NextInt64(long.MinValue, long.MaxValue);
            DateTime time = DateTime.UnixEpoch.AddTicks((long)(nanoseconds / 100));
            string expected = time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "." + (nanoseconds % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
            Assert.Equal(expected, Formatted(nanoseconds));
        }
    }

    [Fact]
    public void Lucky_numbers_are_bytes_spread_over_0_to_255()
    {
        using ProxyWasmHost host = Host();
        int[] numbers = Ticks(host, 2000).Select(t => t.Number).ToArray();

        Assert.All(numbers, n => Assert.InRange(n, 0, 255));
        Assert.True(numbers.Distinct().Count() > 200, $"{numbers.Distinct().Count()} distinct values");
        Assert.InRange(numbers.Count(n => n < 128), 850, 1150);
        Assert.Contains(numbers.Zip(numbers.Skip(1)), pair => pair.First != pair.Second);
    }

    [Fact]
    public void The_sequence_is_seeded_from_the_host_clock_at_vm_start()
    {
        static int[] Numbers(DateTimeOffset clock)
        {
            using ProxyWasmHost host = Host(clock);
            return Ticks(host, 32).Select(t => t.Number).ToArray();
        }

        Assert.Equal(Numbers(Moment), Numbers(Moment));
        Assert.NotEqual(Numbers(Moment), Numbers(Moment.AddTicks(1)));
    }

    [Fact]
    public void Streams_pass_through_untouched()
    {
        using ProxyWasmHost host = Host();
        host.StartPlugin();
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        Assert.Equal(new[] { (":status", "200") }, exchange.Response!.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal(new[] { "proxy_on_context_create", "proxy_on_delete" }, exchange.Callbacks.Select(c => c.Export));
        Assert.Empty(exchange.Logs);
    }
}
