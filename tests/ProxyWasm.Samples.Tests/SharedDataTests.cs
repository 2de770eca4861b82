using System.Buffers.Binary;
using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>Shared data with Envoy's CAS semantics: a counter incremented by read-modify-write survives another VM
/// writing in between, a conditional update keeps the longest value, and a value of the wrong shape is left alone.</summary>
public sealed class SharedDataTests
{
    private static ProxyWasmHost Host() => new(typeof(SharedDataTests).Assembly, new HostOptions { RootId = "shared_counter" });

    private static byte[] Int64(long value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    [Fact]
    public void Each_request_increments_the_shared_counter()
    {
        using ProxyWasmHost host = Host();
        for (int i = 1; i <= 5; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), host.Send(Requests.Get(Requests.Curl())).Upstream!.Headers.Get("x-requests"));
        }

        Assert.Equal(Int64(5), host.GetSharedData("requests")!.Value.Value);
    }

    [Fact]
    public void A_write_by_another_VM_between_read_and_write_is_retried_and_not_lost()
    {
        using ProxyWasmHost host = Host();
        host.SetSharedData("requests", Int64(10));
        host.WriteSharedDataBeforeNextSet("requests", Int64(100));

        // The first write loses the race (CAS mismatch); the retry reads 100 and writes 101.
        Assert.Equal("101", host.Send(Requests.Get(Requests.Curl())).Upstream!.Headers.Get("x-requests"));
        Assert.Equal(Int64(101), host.GetSharedData("requests")!.Value.Value);
    }

    [Fact]
    public void A_counter_of_the_wrong_size_is_a_parse_failure_and_left_alone()
    {
        using ProxyWasmHost host = Host();
        host.SetSharedData("requests", "abc"u8.ToArray());
        Assert.Equal("-4", host.Send(Requests.Get(Requests.Curl())).Upstream!.Headers.Get("x-requests"));
        Assert.Equal("abc", Encoding.UTF8.GetString(host.GetSharedData("requests")!.Value.Value));
    }

    [Fact]
    public void A_conditional_update_keeps_the_longest_value_and_each_write_changes_the_cas()
    {
        using ProxyWasmHost host = Host();
        host.Send(Requests.Get(Requests.Curl("short.example")));
        (byte[] value, uint cas) = host.GetSharedData("longest_authority")!.Value;
        Assert.Equal("short.example", Encoding.UTF8.GetString(value));

        host.Send(Requests.Get(Requests.Curl("a.example")));
        Assert.Equal((value, cas), host.GetSharedData("longest_authority")!.Value);

        host.Send(Requests.Get(Requests.Curl("a-much-longer.example")));
        (byte[] longer, uint newer) = host.GetSharedData("longest_authority")!.Value;
        Assert.Equal("a-much-longer.example", Encoding.UTF8.GetString(longer));
        Assert.NotEqual(cas, newer);
        Assert.Equal(0, HostMemory.LiveBlocks);
    }
}
