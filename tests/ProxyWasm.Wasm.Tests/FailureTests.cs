using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>Traps fail the VM as in proxy-wasm-cpp-host, and later streams follow Envoy's failure policy: a trap in a
/// callback, a callback past its deadline, and host calls the restricted phases (the allocator, start-up) forbid.</summary>
public sealed class FailureTests
{
    [SkippableFact]
    public void A_trap_in_a_callback_fails_the_vm_and_later_streams_get_a_503_fail_closed()
    {
        using ProxyWasmHost host = TestModules.Host("trap");
        Assert.Equal("yes", host.Send(Requests.Get()).Upstream!.Headers.Get("x-filtered"));
        Assert.Null(host.VmFailure);

        HttpExchange trapped = host.Send(Requests.Get(("x-trap", "1")));

        WasmTrapException failure = Assert.IsType<WasmTrapException>(host.VmFailure);
        Assert.Equal("proxy_on_request_headers", failure.Function);
        Assert.StartsWith("Function: proxy_on_request_headers failed: ", failure.Message);
        // The engine's reason, not its backtrace header ("error while executing at wasm backtrace:").
        Assert.Equal("Function: proxy_on_request_headers failed: wasm trap: wasm `unreachable` instruction executed", failure.Message);
        AssertFailedClosed(trapped);

        int calls = host.Callbacks.Count;
        HttpExchange later = host.Send(Requests.Get());
        AssertFailedClosed(later);
        Assert.Equal(0, host.Callbacks.Skip(calls).Count(c => c.Export == "proxy_on_request_headers" && c.Result == (uint)FilterHeadersStatus.Continue));
    }

    [SkippableFact]
    public void Unbounded_recursion_exhausts_the_engine_stack_and_fails_the_vm_not_the_process()
    {
        using ProxyWasmHost host = TestModules.Host("trap");
        HttpExchange trapped = host.Send(Requests.Get(("x-trap", "recurse")));

        Assert.Equal("Function: proxy_on_request_headers failed: wasm trap: call stack exhausted", host.VmFailure?.Message);
        AssertFailedClosed(trapped);
    }

    [SkippableFact]
    public void A_store_past_the_end_of_memory_traps_with_the_whole_cause()
    {
        using ProxyWasmHost host = TestModules.Host("trap");
        host.Send(Requests.Get(("x-trap", "store")));

        // One line: the engine's cause chain, without its backtrace.
        Assert.Matches(@"^Function: proxy_on_request_headers failed: memory fault at wasm address 0x[0-9a-f]+ in linear memory of size 0x[0-9a-f]+: wasm trap: out of bounds memory access$",
            host.VmFailure?.Message);
    }

    [SkippableFact]
    public void After_a_trap_fail_open_lets_later_streams_through_unfiltered()
    {
        using ProxyWasmHost host = TestModules.Host("trap", new HostOptions { FailOpen = true });
        host.Send(Requests.Get(("x-trap", "1")));
        Assert.NotNull(host.VmFailure);

        HttpExchange later = host.Send(Requests.Get(), new HttpResponse(new HeaderList(new[] { (":status", "200") }), "body"u8.ToArray()));

        Assert.Null(later.LocalResponse);
        Assert.Equal(Requests.Lines(Requests.Curl()), Requests.Lines(later.Upstream!.Headers));
        Assert.Null(later.Response!.Headers.Get("x-filtered-response"));
        Assert.Equal("body", later.Response.BodyText);
    }

    [SkippableFact]
    public void A_callback_that_never_returns_is_interrupted_by_the_deadline()
    {
        var wasm = new WasmHostOptions { CallbackTimeout = TimeSpan.FromMilliseconds(100) };
        using ProxyWasmHost host = TestModules.Host("loop", wasm: wasm);
        Assert.NotNull(host.Send(Requests.Get()).Upstream);

        HttpExchange looped = host.Send(Requests.Get(("x-loop", "1")));

        WasmTrapException failure = Assert.IsType<WasmTrapException>(host.VmFailure);
        Assert.Equal("Function: proxy_on_request_headers failed: interrupted: the callback ran past its deadline (epoch)", failure.Message);
        AssertFailedClosed(looped);
        HttpExchange later = host.Send(Requests.Get());
        AssertFailedClosed(later);
        // The module has no response callbacks, so the local reply reaches the client as it is.
        Assert.Equal("503", later.Response!.Headers.Get(":status"));
    }

    [SkippableFact]
    public void Other_hosts_of_the_same_module_do_not_shorten_the_deadline()
    {
        // The deadline counts epochs of the module's engine, which every host of the module shares: ten live hosts
        // must not make the epoch tick ten times as fast (a lower bound only: a loaded machine can only make it later).
        var wasm = new WasmHostOptions { CallbackTimeout = TimeSpan.FromMilliseconds(300) };
        var others = Enumerable.Range(0, 10).Select(_ => TestModules.Host("loop", wasm: wasm)).ToList();
        try
        {
            using ProxyWasmHost host = TestModules.Host("loop", wasm: wasm);
            var elapsed = System.Diagnostics.Stopwatch.StartNew();
            host.Send(Requests.Get(("x-loop", "1")));
            elapsed.Stop();

            Assert.Contains("interrupted", host.VmFailure?.Reason);
            Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(280), $"interrupted after {elapsed.Elapsed.TotalMilliseconds:F0} ms, before the 300 ms deadline");
        }
        finally
        {
            others.ForEach(h => h.Dispose());
        }
    }

    [SkippableFact]
    public void The_allocator_may_log_but_any_other_host_call_in_it_traps_and_the_allocating_call_fails()
    {
        using ProxyWasmHost host = TestModules.Host("restricted_allocator");
        HttpExchange allowed = host.Send(Requests.Get());
        Assert.Null(host.VmFailure);
        Assert.Contains(new LogEntry(LogLevel.Debug, "allocator: 11 bytes"), allowed.Logs);
        Assert.Contains(new LogEntry(LogLevel.Info, "after the allocation: status=0"), allowed.Logs);
        Assert.NotNull(allowed.Upstream);

        HttpExchange restricted = host.Send(Requests.Get(("x-restricted", "1")));

        WasmTrapException failure = Assert.IsType<WasmTrapException>(host.VmFailure);
        Assert.Equal("Function: proxy_on_memory_allocate failed: restricted_callback: env.proxy_get_current_time_nanoseconds may not be called during proxy_on_memory_allocate", failure.Message);
        // The host call that was allocating failed, and the callback went on (as in cpp-host) before the VM was marked failed.
        Assert.Contains(new LogEntry(LogLevel.Info, $"after the allocation: status={(int)ProxyStatus.InvalidMemoryAccess}"), restricted.Logs);
        AssertFailedClosed(restricted);
    }

    [SkippableFact]
    public void Start_up_may_log_and_write_stdout_but_another_proxy_call_traps_and_fails_the_vm()
    {
        using ProxyWasmHost host = TestModules.Host("restricted_start");

        WasmTrapException failure = Assert.IsType<WasmTrapException>(host.VmFailure);
        Assert.Equal("_initialize", failure.Function);
        Assert.Equal("Function: _initialize failed: restricted_callback: env.proxy_set_tick_period_milliseconds may not be called during _initialize", failure.Message);
        Assert.Equal([new LogEntry(LogLevel.Info, "start: proxy_log is allowed"), new LogEntry(LogLevel.Info, "start: stdout is allowed")], host.Logs);
        Assert.False(host.StartPlugin());
        AssertFailedClosed(host.Send(Requests.Get()));
    }

    [SkippableFact]
    public void A_command_whose_main_exits_fails_the_vm_in_start()
    {
        using ProxyWasmHost host = TestModules.Host("command_exit");

        Assert.Equal("_start", host.VmFailure?.Function);
        Assert.Equal("Function: _start failed: restricted_callback: wasi_snapshot_preview1.proc_exit may not be called during _start", host.VmFailure?.Message);
        Assert.False(host.StartPlugin());
    }

    private static void AssertFailedClosed(HttpExchange exchange)
    {
        Assert.Null(exchange.Upstream);
        LocalResponse local = Assert.IsType<LocalResponse>(exchange.LocalResponse);
        Assert.Equal(503u, local.StatusCode);
        Assert.Equal(ProxyWasmHost.FailStreamDetails, local.Details);
        Assert.Equal(14, local.GrpcStatus);
    }
}
