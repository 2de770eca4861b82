using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>Host calls as the module makes them: 32-bit offsets into linear memory, bounds-checked (a bad pointer is
/// InvalidMemoryAccess for the module, never a crash of this process), outputs written only on success, data handed
/// back through the module's allocator (<c>malloc</c> first), WASI output as log lines.</summary>
public sealed class HostCallTests
{
    private static HttpExchange Case(ProxyWasmHost host, string name, byte[]? body = null)
        => host.Send(new HttpRequest(Requests.Curl("example.com", ("x-case", name)), body ?? []));

    [SkippableFact]
    public void Input_pointers_past_the_end_of_memory_are_invalid_memory_access()
    {
        using ProxyWasmHost host = TestModules.Host("hostcalls");
        HttpExchange exchange = Case(host, "oob-input");

        Assert.Contains(new LogEntry(LogLevel.Info, "oob-input: proxy_log=6 proxy_get_header_map_value=6 empty_at_end=0"), exchange.Logs);
        Assert.Equal("yes", exchange.Upstream!.Headers.Get("x-survived"));
        Assert.Null(host.VmFailure);
    }

    [SkippableFact]
    public void Output_slots_past_the_end_of_memory_are_invalid_memory_access()
    {
        using ProxyWasmHost host = TestModules.Host("hostcalls");
        HttpExchange exchange = Case(host, "oob-output");

        Assert.Contains(new LogEntry(LogLevel.Info, "oob-output: value_slot=6 size_slot=6 log_level_slot=6"), exchange.Logs);
        Assert.Equal("yes", exchange.Upstream!.Headers.Get("x-survived"));
        Assert.Null(host.VmFailure);
    }

    [SkippableFact]
    public void A_failed_call_leaves_its_output_slots_as_they_were()
    {
        using ProxyWasmHost host = TestModules.Host("hostcalls");

        Assert.Contains(new LogEntry(LogLevel.Info, "slots-untouched: status=1 value=0xdeadbeef size=0xfeed"), Case(host, "slots-untouched").Logs);
    }

    [SkippableFact]
    public void An_allocator_that_returns_a_bad_block_fails_the_call_not_the_vm()
    {
        using ProxyWasmHost host = TestModules.Host("hostcalls");
        HttpExchange exchange = Case(host, "bad-allocator");

        Assert.Contains(new LogEntry(LogLevel.Info, "bad-allocator: past_the_end=6 null=6"), exchange.Logs);
        Assert.Equal("yes", exchange.Upstream!.Headers.Get("x-survived"));
        Assert.Null(host.VmFailure);
    }

    [SkippableFact]
    public void Wasi_calls_with_bad_pointers_get_cpp_host_errnos()
    {
        using ProxyWasmHost host = TestModules.Host("hostcalls");
        HttpExchange exchange = Case(host, "wasi-errors");

        // EFAULT 21, EBADF 8, EINVAL 28. The write whose count slot is bad is logged first (cpp-host writes, then
        // stores the count).
        Assert.Equal(
            [new LogEntry(LogLevel.Error, "x"), new LogEntry(LogLevel.Info, "wasi-errors: iovs=21 buffer=21 fd=8 written=21 random=28 clock=21")],
            exchange.Logs);
        Assert.Null(host.VmFailure);
    }

    [SkippableFact]
    public void A_memory_cap_below_the_initial_memory_refuses_the_instance()
    {
        var wasm = new WasmHostOptions { MaxMemoryBytes = 64 * 1024 };

        WasmLoadException refused = Assert.Throws<WasmLoadException>(() => TestModules.Host("hello", wasm: wasm));
        Assert.StartsWith("Failed to create new Wasm instance: ", Assert.Single(refused.Report.Errors));
    }

    [SkippableFact]
    public void Huge_sizes_are_refused_or_clamped_never_over_read()
    {
        using ProxyWasmHost host = TestModules.Host("hostcalls");
        HttpExchange exchange = Case(host, "huge-size", "0123456789"u8.ToArray());

        Assert.Contains(new LogEntry(LogLevel.Info, "huge-size: proxy_log=6 replace=6 whole_body=0 bytes=10 start_past_end=2"), exchange.Logs);
        Assert.Null(exchange.Upstream!.Headers.Get("x-huge"));
        Assert.Null(host.VmFailure);
    }

    [SkippableFact]
    public void Data_larger_than_the_memory_cap_lets_the_allocator_fail_and_the_call_says_so()
    {
        // 2 MiB of linear memory at most; the body (3 MiB) cannot be copied in.
        var wasm = new WasmHostOptions { MaxMemoryBytes = 2L << 20 };
        using ProxyWasmHost host = TestModules.Host("hostcalls", wasm: wasm);
        HttpExchange exchange = Case(host, "body-copy", new byte[3 << 20]);

        Assert.Contains(new LogEntry(LogLevel.Info, "body-copy: status=6 bytes=0 hash=0 memory_grew=0"), exchange.Logs);
        Assert.Null(host.VmFailure);

        byte[] small = Pattern(1000);
        Assert.Contains(new LogEntry(LogLevel.Info, $"body-copy: status=0 bytes=1000 hash={Hash(small)} memory_grew=0"), Case(host, "body-copy", small).Logs);
    }

    [SkippableFact]
    public void Data_that_makes_memory_grow_arrives_whole()
    {
        // 1 MiB does not fit the module's initial memory: the allocator grows it while the host call runs, and the
        // host writes the block and the output slots into the grown memory.
        byte[] body = Pattern(1 << 20);
        using ProxyWasmHost host = TestModules.Host("hostcalls");

        Assert.Contains(new LogEntry(LogLevel.Info, $"body-copy: status=0 bytes={body.Length} hash={Hash(body)} memory_grew=1"), Case(host, "body-copy", body).Logs);
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)((i * 7) ^ (i >> 8))).ToArray();

    /// <summary>The module's hash of the bytes it got: h = h * 31 + b, 32-bit.</summary>
    private static uint Hash(byte[] bytes)
    {
        uint hash = 0;
        foreach (byte b in bytes)
        {
            hash = unchecked((hash * 31) + b);
        }

        return hash;
    }

    [SkippableFact]
    public void A_foreign_function_answers_through_the_allocator_and_one_that_throws_fails_the_vm_naming_it()
    {
        var options = new HostOptions
        {
            ForeignFunctions = new Dictionary<string, Func<byte[], byte[]>>(StringComparer.Ordinal)
            {
                ["echo"] = arguments => [.. arguments, .. "-pong"u8],
                ["boom"] = _ => throw new InvalidOperationException("the test's foreign function failed"),
            },
        };
        using ProxyWasmHost host = TestModules.Host("hostcalls", options);
        HttpRequest Request(string function) => new(Requests.Curl("example.com", ("x-case", "foreign"), ("x-foreign", function)));

        Assert.Contains(new LogEntry(LogLevel.Info, "foreign: status=0 results=ping-pong"), host.Send(Request("echo")).Logs);
        Assert.Contains(new LogEntry(LogLevel.Info, $"foreign: status={(int)ProxyStatus.NotFound} results="), host.Send(Request("missing")).Logs);
        Assert.Null(host.VmFailure);

        host.Send(Request("boom"));

        Assert.Equal("Function: proxy_on_request_headers failed: InvalidOperationException: the test's foreign function failed", host.VmFailure?.Message);
    }

    [SkippableFact]
    public void The_host_allocates_with_malloc_when_the_module_exports_it()
    {
        using ProxyWasmHost host = TestModules.Host("malloc_export");
        HttpExchange exchange = host.Send(Requests.Get());

        Assert.Equal("malloc=2 proxy_on_memory_allocate=0", exchange.Upstream!.Headers.Get("x-allocations"));
    }

    [SkippableFact]
    public void Stdout_is_an_info_line_and_stderr_an_error_line()
    {
        using ProxyWasmHost host = TestModules.Host("stdio");
        HttpExchange exchange = host.Send(Requests.Get());

        Assert.Equal(
            [new LogEntry(LogLevel.Info, $"stdout: {Requests.Curl().Count} headers"), new LogEntry(LogLevel.Error, "stderr: something went wrong")],
            exchange.Logs);
    }

    [SkippableFact]
    public void Hosts_of_one_module_have_separate_vms()
    {
        using ProxyWasmHost first = TestModules.Host("add_header", new HostOptions { PluginConfiguration = Encoding.UTF8.GetBytes("first") });
        using ProxyWasmHost second = TestModules.Host("add_header", new HostOptions { PluginConfiguration = Encoding.UTF8.GetBytes("second") });
        Assert.True(first.StartPlugin());
        Assert.True(second.StartPlugin());

        Assert.Equal("first", first.Send(Requests.Get()).Response!.Headers.Get("hello"));
        Assert.Equal("second", second.Send(Requests.Get()).Response!.Headers.Get("hello"));
    }
}
