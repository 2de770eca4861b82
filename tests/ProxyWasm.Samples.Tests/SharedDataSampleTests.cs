using System.Buffers.Binary;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's shared_data (samples/SharedData), in the in-process host: VM start resets the shared counter,
/// each request adds 1 with a CAS write, a lost race is logged and retried, and values of other shapes.</summary>
public sealed class SharedDataSampleTests
{
    private const string Key = "shared_data_key";

    private static ProxyWasmHost Host() => new(typeof(SharedDataSample).Assembly, new HostOptions { RootId = "shared_data" });

    private static byte[] UInt64(ulong value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static (LogLevel, string)[] Logs(IEnumerable<LogEntry> logs) => logs.Select(l => (l.Level, l.Message)).ToArray();

    [Fact]
    public void Vm_start_writes_an_empty_value_and_starts()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        Assert.True(host.VmStartResult);
        (byte[] value, uint cas) = host.GetSharedData(Key)!.Value;
        Assert.Empty(value);
        Assert.NotEqual(0u, cas);
        Assert.Empty(host.Logs);
    }

    [Fact]
    public void Vm_start_resets_a_value_another_vm_left_unconditionally()
    {
        using ProxyWasmHost host = Host();
        host.SetSharedData(Key, UInt64(41));
        uint before = host.GetSharedData(Key)!.Value.Cas;

        Assert.True(host.StartPlugin());
        (byte[] value, uint cas) = host.GetSharedData(Key)!.Value;
        Assert.Empty(value);
        Assert.NotEqual(before, cas);
        Assert.Empty(host.Logs);
    }

    [Fact]
    public void Each_request_adds_one_and_logs_the_shared_value()
    {
        // The Go unit test: StartVM, one request -> "shared value: 1"; two more -> "shared value: 3".
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(new HeaderList(), endOfStream: true));
        stream.Complete();
        Assert.Equal(new[] { (LogLevel.Info, "shared value: 1") }, Logs(host.Logs));

        for (int i = 0; i < 2; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
            Assert.NotNull(exchange.Upstream);
            Assert.Equal(Requests.Curl().Select(h => (h.NameText, h.ValueText)), exchange.Upstream!.Headers.Select(h => (h.NameText, h.ValueText)));
        }

        Assert.Equal(new[] { (LogLevel.Info, "shared value: 1"), (LogLevel.Info, "shared value: 2"), (LogLevel.Info, "shared value: 3") }, Logs(host.Logs));
        Assert.Equal(UInt64(3), host.GetSharedData(Key)!.Value.Value);
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void The_count_continues_from_what_another_vm_wrote()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        host.SetSharedData(Key, UInt64(9));
        host.Send(Requests.Get(Requests.Curl()));
        Assert.Equal("shared value: 10", host.Logs.Single().Message);
        Assert.Equal(UInt64(10), host.GetSharedData(Key)!.Value.Value);
    }

    [Fact]
    public void A_write_another_vm_made_between_read_and_write_is_logged_as_cas_mismatch_and_retried()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        host.Send(Requests.Get(Requests.Curl()));
        host.WriteSharedDataBeforeNextSet(Key, UInt64(100));

        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.NotNull(exchange.Upstream);
        Assert.Equal(new[]
        {
            (LogLevel.Warn, "error setting shared data on OnHttpRequestHeaders: error status returned by host: cas mismatch"),
            (LogLevel.Info, "shared value: 101"),
        }, Logs(exchange.Logs));
        Assert.Equal(UInt64(101), host.GetSharedData(Key)!.Value.Value);
    }

    [Fact]
    public void A_write_another_vm_made_before_vm_start_loses_to_the_unconditional_reset()
    {
        using ProxyWasmHost host = Host();
        host.WriteSharedDataBeforeNextSet(Key, UInt64(100));
        Assert.True(host.StartPlugin());
        Assert.Empty(host.GetSharedData(Key)!.Value.Value);
        Assert.Empty(host.Logs);

        host.Send(Requests.Get(Requests.Curl()));
        Assert.Equal("shared value: 1", host.Logs.Single().Message);
    }

    [Fact]
    public void The_counter_is_unsigned_and_wraps_around()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        host.SetSharedData(Key, UInt64(long.MaxValue));
        host.Send(Requests.Get(Requests.Curl()));
        host.SetSharedData(Key, UInt64(ulong.MaxValue));
        host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal(new[] { "shared value: 9223372036854775808", "shared value: 0" }, host.Logs.Select(l => l.Message));
        Assert.Equal(UInt64(0), host.GetSharedData(Key)!.Value.Value);
    }

    [Fact]
    public void A_value_longer_than_8_bytes_counts_from_its_first_8_and_is_rewritten_as_8()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        host.SetSharedData(Key, [.. UInt64(5), 0xff, 0xff]);
        host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal("shared value: 6", host.Logs.Single().Message);
        Assert.Equal(UInt64(6), host.GetSharedData(Key)!.Value.Value);
    }

    [Fact]
    public void A_value_shorter_than_8_bytes_fails_the_hook_as_the_go_panic_would_and_is_left_alone()
    {
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());
        host.SetSharedData(Key, [1, 2, 3]);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Null(exchange.Upstream);
        Assert.Equal(500u, exchange.LocalResponse!.StatusCode);
        Assert.Equal(LogLevel.Critical, Assert.Single(exchange.Logs).Level);
        Assert.Equal(new byte[] { 1, 2, 3 }, host.GetSharedData(Key)!.Value.Value);

        // The VM keeps serving: a good value counts again.
        host.SetSharedData(Key, UInt64(7));
        Assert.Equal("shared value: 8", host.Send(Requests.Get(Requests.Curl())).Logs.Single().Message);
    }
}
