using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The ForeignCallOnTick sample's native module in the C host: the 1 ms tick it sets, and on every tick one call of the
/// host's foreign function <c>compress</c> on <c>hello world!</c>, logged with the call count and the result in
/// lower-case hex: the identity function the Go example's test registers, the zlib bytes Envoy's <c>compress</c>
/// gives (README), and a host without the function (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/ForeignCallOnTickTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class ForeignCallOnTickNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const int Info = 2;
    private const int Critical = 5;
    private const string HelloHex = "68656c6c6f20776f726c6421";

    [SkippableFact]
    public void Plugin_start_sets_a_1_ms_tick_and_logs_it()
    {
        HostRun run = Run(new HostInput { RootId = "foreign_call_on_tick", Streams = 0 });

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal(["1", "1"], Assert.Single(run.OfKind("tick_period")).Fields);
        Assert.Equal([(Root, Info, "set tick period milliseconds: 1")], run.Logs());
        Assert.Equal([("proxy_set_tick_period_milliseconds", 0), ("proxy_get_log_level", 0), ("proxy_log", 0)], run.HostCalls());
        Assert.Equal(["proxy_on_context_create", "proxy_on_configure", "proxy_on_delete"], run.CallbacksOn(Root));
    }

    [SkippableFact]
    public void Each_tick_calls_compress_on_hello_world_and_logs_the_count_and_the_identity_result()
    {
        HostRun run = Run(new HostInput { RootId = "foreign_call_on_tick", Streams = 0, Ticks = 9, ForeignFunctions = [("compress", null)] });

        Assert.Equal(9, run.Calls().Count(c => c.Callback == "proxy_on_tick"));
        Assert.Equal(Enumerable.Repeat("compress\thello world!", 9), run.On("foreign_call", Root));
        Assert.Equal(
            Enumerable.Range(1, 9).Select(i => (Root, Info, $"foreign function (compress) called: {i}, result: {HelloHex}"))
                .Prepend((Root, Info, "set tick period milliseconds: 1")),
            run.Logs());
        List<(string, int)> perTick = [("proxy_call_foreign_function", 0), ("proxy_get_log_level", 0), ("proxy_log", 0)];
        Assert.Equal(Enumerable.Repeat(perTick, 9).SelectMany(calls => calls), run.HostCalls().Skip(3));
    }

    [SkippableFact]
    public void Envoys_zlib_compress_result_is_logged_in_lower_case_hex()
    {
        const string zlib = "789ccb48cdc9c95728cf2fca495104001e89047e";
        HostRun run = HostRun.Execute(build, build.Published("ForeignCallOnTick").Library, new HostInput
        {
            RootId = "foreign_call_on_tick",
            Streams = 0,
            Ticks = 2,
            ForeignFunctions = [("compress", System.Convert.FromHexString(zlib))],
        });

        Assert.Equal(
            [
                (Root, Info, "set tick period milliseconds: 1"),
                (Root, Info, $"foreign function (compress) called: 1, result: {zlib}"),
                (Root, Info, $"foreign function (compress) called: 2, result: {zlib}"),
            ],
            run.Logs());
    }

    [SkippableFact]
    public void Without_the_foreign_function_each_tick_logs_the_not_found_error_and_an_empty_result()
    {
        HostRun run = Run(new HostInput { RootId = "foreign_call_on_tick", Streams = 0, Ticks = 2 });

        Assert.Equal(
            [
                (Root, Info, "set tick period milliseconds: 1"),
                (Root, Critical, "foreign function (compress) failed: error status returned by host: not found"),
                (Root, Info, "foreign function (compress) called: 1, result: "),
                (Root, Critical, "foreign function (compress) failed: error status returned by host: not found"),
                (Root, Info, "foreign function (compress) called: 2, result: "),
            ],
            run.Logs());
        Assert.Equal([1, 1], run.HostCalls().Where(h => h.Function == "proxy_call_foreign_function").Select(h => h.Status));
    }

    [SkippableFact]
    public void Streams_pass_through_untouched()
    {
        List<(string Name, string Value)> request = [(":authority", "example.com"), (":method", "GET"), (":path", "/")];
        HostRun run = Run(new HostInput { RootId = "foreign_call_on_tick", RequestHeaders = request, ResponseHeaders = [(":status", "200")] });

        Assert.Equal(request, run.Upstream(2));
        Assert.Equal([(":status", "200")], run.Downstream(2));
        Assert.Equal(["proxy_on_context_create", "proxy_on_delete"], run.CallbacksOn(2));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("ForeignCallOnTick").Library, input);
}
