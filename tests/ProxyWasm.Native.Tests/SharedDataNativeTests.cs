using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The SharedData sample's native module in the C host (host/host_state.c keeps Envoy's shared data: one CAS token
/// counter, cas 0 unconditional, missing keys created): VM start resets <c>shared_data_key</c>, each request adds 1 and
/// logs it, a write another VM makes in between is a CAS mismatch that is logged and retried (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/SharedDataSampleTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class SharedDataNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const int Info = 2;
    private const int Warn = 3;
    private const int Critical = 5;
    private const string Key = "shared_data_key";

    private static readonly List<(string Name, string Value)> Request = [(":authority", "example.com"), (":method", "GET"), (":path", "/")];

    private static byte[] UInt64(ulong value) => System.BitConverter.GetBytes(value);

    [SkippableFact]
    public void Vm_start_writes_an_empty_value_unconditionally()
    {
        HostRun run = Run(new HostInput { RootId = "shared_data", Streams = 0, SharedData = [(Key, UInt64(41))] });

        Assert.Equal("1", run.Result(Root, "proxy_on_vm_start"));
        Assert.Equal([("proxy_set_shared_data", 0)], run.HostCalls());
        (string key, byte[] value, uint cas) = Assert.Single(run.SharedData());
        Assert.Equal(Key, key);
        Assert.Empty(value);
        Assert.Equal(2u, cas); // the input's write took token 1
        Assert.Empty(run.Logs());
    }

    [SkippableFact]
    public void Each_request_adds_one_and_logs_the_shared_value()
    {
        HostRun run = Run(new HostInput { RootId = "shared_data", Streams = 3, RequestHeaders = Request, ResponseHeaders = [(":status", "200")] });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal([(2u, Info, "shared value: 1"), (3u, Info, "shared value: 2"), (4u, Info, "shared value: 3")], run.Logs());
        Assert.Equal(["proxy_set_shared_data", .. Enumerable.Repeat(new[] { "proxy_get_shared_data", "proxy_set_shared_data" }, 3).SelectMany(c => c)],
            run.HostCalls().Select(c => c.Function).Where(f => f.Contains("shared", System.StringComparison.Ordinal)));
        (string key, byte[] value, uint cas) = Assert.Single(run.SharedData());
        Assert.Equal(Key, key);
        Assert.Equal(UInt64(3), value);
        Assert.Equal(4u, cas);
        foreach (uint stream in new uint[] { 2, 3, 4 })
        {
            Assert.Equal("0", run.Result(stream, "proxy_on_request_headers"));
            Assert.Equal(Request, run.Upstream(stream));
        }
    }

    [SkippableFact]
    public void A_write_another_vm_makes_in_between_is_a_cas_mismatch_that_is_logged_and_retried()
    {
        HostRun run = Run(new HostInput { RootId = "shared_data", Streams = 2, RequestHeaders = Request, SharedDataRaces = [(Key, UInt64(100))] });

        Assert.Equal([
            (2u, Warn, "error setting shared data on OnHttpRequestHeaders: error status returned by host: cas mismatch"),
            (2u, Info, "shared value: 101"),
            (3u, Info, "shared value: 102"),
        ], run.Logs());
        Assert.Single(run.OfKind("shared_data_race"));
        Assert.Equal(
            [("proxy_set_shared_data", 0), ("proxy_get_shared_data", 0), ("proxy_set_shared_data", 8), ("proxy_get_shared_data", 0), ("proxy_set_shared_data", 0),
             ("proxy_get_shared_data", 0), ("proxy_set_shared_data", 0)],
            run.HostCalls().Where(c => c.Function.Contains("shared", System.StringComparison.Ordinal)));
        Assert.Equal(UInt64(102), Assert.Single(run.SharedData()).Value);
    }

    [SkippableFact]
    public void A_value_of_the_wrong_size_fails_the_hook_with_a_local_500_and_is_left_alone()
    {
        // The race leaves 3 bytes; the retry reads them: the Go example panics, the port's hook throws.
        HostRun run = Run(new HostInput { RootId = "shared_data", RequestHeaders = Request, SharedDataRaces = [(Key, [1, 2, 3])] });

        var logs = run.Logs();
        Assert.Equal((2u, Warn, "error setting shared data on OnHttpRequestHeaders: error status returned by host: cas mismatch"), logs[0]);
        Assert.Equal(Critical, logs[1].Level);
        Assert.Equal(2, logs.Count);
        Assert.Equal("500", Assert.Single(run.LocalResponses(2)).Fields[1]);
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(run.SharedData()).Value);
        Assert.Empty(run.Upstream(2));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("SharedData").Library, input);
}
