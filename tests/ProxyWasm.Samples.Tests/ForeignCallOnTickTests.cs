using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's foreign_call_on_tick in the in-process host.</summary>
public sealed class ForeignCallOnTickTests
{
    private static ProxyWasmHost Host(Func<byte[], byte[]>? compress = null)
    {
        var functions = new Dictionary<string, Func<byte[], byte[]>>(StringComparer.Ordinal);
        if (compress is not null)
        {
            functions["compress"] = compress;
        }

        return new ProxyWasmHost(typeof(ForeignCallOnTick).Assembly, new HostOptions { RootId = "foreign_call_on_tick", ForeignFunctions = functions });
    }

    [Fact]
    public void Plugin_start_sets_a_1_ms_tick()
    {
        using ProxyWasmHost host = Host(b => b);
        Assert.True(host.StartPlugin());
        Assert.Equal(1u, host.TickPeriodMilliseconds);
        Assert.Equal(new[] { "set tick period milliseconds: 1" }, host.Logs.Select(l => l.Message));
    }

    [Fact]
    public void Each_tick_calls_compress_and_logs_the_count_and_the_hex_result()
    {
        // The Go unit test: compress registered as the identity function; ticks 1..9.
        var arguments = new List<string>();
        using ProxyWasmHost host = Host(b =>
        {
            arguments.Add(Encoding.UTF8.GetString(b));
            return b;
        });
        host.StartPlugin();
        for (int i = 1; i <= 9; i++)
        {
            host.Tick();
            Assert.Equal($"foreign function (compress) called: {i}, result: 68656c6c6f20776f726c6421", host.Logs[^1].Message);
            Assert.Equal(LogLevel.Info, host.Logs[^1].Level);
        }

        Assert.Equal(Enumerable.Repeat("hello world!", 9), arguments);
    }

    [Fact]
    public void The_result_is_lower_case_hex_of_every_byte()
    {
        using ProxyWasmHost host = Host(_ => Convert.FromHexString("789ccb48cdc9c95728cf2fca495104001e89047e00ff"));
        host.Tick();
        Assert.Equal("foreign function (compress) called: 1, result: 789ccb48cdc9c95728cf2fca495104001e89047e00ff", host.Logs[^1].Message);
    }

    [Fact]
    public void A_missing_function_logs_critical_and_still_logs_the_call_with_an_empty_result()
    {
        using ProxyWasmHost host = Host();
        host.Tick();
        host.Tick();
        Assert.Equal(
            new[]
            {
                "[Info] set tick period milliseconds: 1",
                "[Critical] foreign function (compress) failed: error status returned by host: not found",
                "[Info] foreign function (compress) called: 1, result: ",
                "[Critical] foreign function (compress) failed: error status returned by host: not found",
                "[Info] foreign function (compress) called: 2, result: ",
            },
            host.Logs.Select(l => l.ToString()));
    }

    [Fact]
    public void An_empty_result_is_an_empty_hex_string()
    {
        using ProxyWasmHost host = Host(_ => Array.Empty<byte>());
        host.Tick();
        Assert.Equal("foreign function (compress) called: 1, result: ", host.Logs[^1].Message);
        Assert.DoesNotContain(host.Logs, l => l.Level == LogLevel.Critical);
    }

    [Fact]
    public void Requests_pass_through()
    {
        using ProxyWasmHost host = Host(b => b);
        HttpExchange exchange = host.Send(new HttpRequest(Requests.Curl()));
        Assert.NotNull(exchange.Upstream);
        Assert.Null(exchange.LocalResponse);
    }
}
