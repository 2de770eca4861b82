using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The PluginTick sample's native module in the C host: <c>Hello, World!</c> and the 5000 ms tick at proxy_on_vm_start,
/// then on each tick the host clock (input <c>clock</c>) formatted with all nine fractional digits and a lucky number
/// 0-255 (the in-process counterpart: tests/ProxyWasm.Samples.Tests/PluginTickTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class PluginTickNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const int Info = 2;
    private const ulong Clock = 1_669_088_357_123_456_789UL; // 2022-11-22 03:39:17.123456789 UTC

    private static readonly Regex TickLine = new(@"^It's 2022-11-22 03:39:17\.123456789 UTC, your lucky number is (\d{1,3})\.$");

    private static int[] LuckyNumbers(HostRun run) => run.Logs().Skip(1).Select(l =>
    {
        Assert.Equal((Root, Info), (l.Context, l.Level));
        Match match = TickLine.Match(l.Message);
        Assert.True(match.Success, l.Message);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }).ToArray();

    [SkippableFact]
    public void Vm_start_says_hello_and_sets_a_5000_ms_tick()
    {
        HostRun run = Run(new HostInput { RootId = "hello_world", Streams = 0 });

        Assert.Equal("1", run.Result(Root, "proxy_on_vm_start"));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_configure");
        Assert.Equal(["1", "5000"], Assert.Single(run.OfKind("tick_period")).Fields);
        Assert.Equal([(Root, Info, "Hello, World!")], run.Logs());
        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
    }

    [SkippableFact]
    public void Each_tick_logs_the_host_time_to_the_nanosecond_and_a_lucky_byte()
    {
        HostRun run = Run(new HostInput { RootId = "hello_world", Streams = 0, Ticks = 50, ClockNanoseconds = Clock });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal(50, run.Calls().Count(c => c.Callback == "proxy_on_tick" && c.Context == Root));
        Assert.Equal((Root, Info, "Hello, World!"), run.Logs()[0]);
        int[] numbers = LuckyNumbers(run);
        Assert.Equal(50, numbers.Length);
        Assert.All(numbers, n => Assert.InRange(n, 0, 255));
        Assert.True(numbers.Distinct().Count() > 25, string.Join(",", numbers));

        // One clock read at VM start (the seed), one per tick.
        Assert.Equal(51, run.HostCalls().Count(c => c.Function == "proxy_get_current_time_nanoseconds"));
    }

    [SkippableFact]
    public void The_numbers_are_seeded_from_the_host_clock()
    {
        int[] first = LuckyNumbers(Run(new HostInput { Streams = 0, Ticks = 16, ClockNanoseconds = Clock }));
        int[] again = LuckyNumbers(Run(new HostInput { Streams = 0, Ticks = 16, ClockNanoseconds = Clock }));
        HostRun other = Run(new HostInput { Streams = 0, Ticks = 16, ClockNanoseconds = Clock + 1 });

        Assert.Equal(first, again);
        Assert.Equal("It's 2022-11-22 03:39:17.123456790 UTC", other.Logs()[1].Message[..38]);
        Assert.NotEqual(first, other.Logs().Skip(1).Select(l => int.Parse(l.Message.Split(' ')[^1].TrimEnd('.'), CultureInfo.InvariantCulture)).ToArray());
    }

    [SkippableFact]
    public void Streams_pass_through_and_no_tick_comes_without_the_ticks_input()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "hello_world",
            RequestHeaders = [(":authority", "example.com"), (":path", "/"), (":method", "GET")],
            ResponseHeaders = [(":status", "200")],
        });

        Assert.Equal([(":authority", "example.com"), (":path", "/"), (":method", "GET")], run.Upstream(2));
        Assert.Equal([(":status", "200")], run.Downstream(2));
        Assert.Equal(["proxy_on_context_create", "proxy_on_delete"], run.Calls().Where(c => c.Context == 2).Select(c => c.Callback));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_tick");
        Assert.Equal([(Root, Info, "Hello, World!")], run.Logs());
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("PluginTick").Library, input);
}
