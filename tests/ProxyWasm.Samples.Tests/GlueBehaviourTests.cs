using System.Buffers.Binary;
using System.Text;
using ProxyWasm.Samples.Tests.TestFilters;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The generated glue's behaviour on failure, bad host data and the full lifecycle, on the filters in TestFilters/.</summary>
public sealed class GlueBehaviourTests
{
    private static ProxyWasmHost Host(string rootId, string configuration = "", string vmConfiguration = "") => new(
        typeof(GlueBehaviourTests).Assembly,
        new HostOptions { RootId = rootId, PluginConfiguration = Encoding.UTF8.GetBytes(configuration), VmConfiguration = Encoding.UTF8.GetBytes(vmConfiguration) });

    private static HeaderList Boom()
    {
        HeaderList headers = Requests.Curl();
        headers.Add("boom", "1");
        return headers;
    }

    [Fact]
    public void Exception_in_a_hook_fails_closed_with_500_and_the_vm_keeps_serving()
    {
        using ProxyWasmHost host = Host("throwing");
        HttpExchange failed = host.Send(Requests.Get(Boom()));

        Assert.Null(failed.Upstream);
        Assert.Equal(500u, failed.LocalResponse?.StatusCode);
        Assert.Equal("proxy_wasm_filter_exception", failed.LocalResponse!.Details);
        Assert.Equal("500", failed.Response!.Headers.Get(":status"));
        LogEntry critical = Assert.Single(failed.Logs, l => l.Level == LogLevel.Critical);
        Assert.StartsWith("proxy-wasm: ThrowingFilter.OnRequestHeaders threw System.InvalidOperationException: boom requested", critical.Message, StringComparison.Ordinal);
        Assert.Equal(0, HostMemory.LiveBlocks);

        HttpExchange next = host.Send(Requests.Get(Requests.Curl()));
        Assert.Equal("yes", next.Upstream!.Headers.Get("x-seen"));
        Assert.Null(next.LocalResponse);
    }

    [Fact]
    public void Exception_in_a_response_hook_replaces_the_response_and_is_not_retried()
    {
        using ProxyWasmHost host = Host("throwing");
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), new HttpResponse(new HeaderList(new[] { (":status", "200"), ("boom", "1") }), "secret"u8.ToArray()));

        Assert.NotNull(exchange.Upstream);
        Assert.Equal("500", exchange.Response!.Headers.Get(":status"));
        Assert.Empty(exchange.Response.Body);
        Assert.Single(exchange.Logs, l => l.Level == LogLevel.Critical);
        Assert.Single(exchange.Callbacks, c => c.Export == "proxy_on_response_headers");
    }

    [Fact]
    public void Fail_open_policy_lets_the_stream_continue()
    {
        using ProxyWasmHost host = Host("throwing_open");
        HttpExchange exchange = host.Send(Requests.Get(Boom()));

        Assert.Null(exchange.LocalResponse);
        Assert.NotNull(exchange.Upstream);
        Assert.Null(exchange.Upstream!.Headers.Get("x-seen"));
        Assert.Equal((uint)FilterHeadersStatus.Continue, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Contains(exchange.Logs, l => l.Level == LogLevel.Critical && l.Message.Contains("FailOpenFilter.OnRequestHeaders threw", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_exception_applies_the_policy_at_the_first_hook()
    {
        using ProxyWasmHost host = Host("fragile_constructor");
        FragileConstructorFilter.FailNext = true;
        HttpExchange failed = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal(500u, failed.LocalResponse?.StatusCode);
        Assert.Contains(failed.Logs, l => l.Level == LogLevel.Critical && l.Message.Contains("FragileConstructorFilter constructor threw System.InvalidOperationException: constructor failed", StringComparison.Ordinal));

        HttpExchange next = host.Send(Requests.Get(Requests.Curl()));
        Assert.Equal("yes", next.Upstream!.Headers.Get("x-seen"));
    }

    [Fact]
    public void Root_id_selects_the_filter_in_a_module_with_several()
    {
        using (ProxyWasmHost host = Host("pairs_counter"))
        {
            Assert.Equal("9/9/0", host.Send(Requests.Get(Requests.Curl())).Upstream!.Headers.Get("x-count"));
        }

        using (ProxyWasmHost host = Host("throwing"))
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
            Assert.Equal("yes", exchange.Upstream!.Headers.Get("x-seen"));
            Assert.Null(exchange.Upstream.Headers.Get("x-count"));
        }
    }

    [Fact]
    public void Unknown_root_id_rejects_the_configuration_and_streams_pass_untouched()
    {
        using ProxyWasmHost host = Host("no_such_filter");
        Assert.False(host.StartPlugin());
        Assert.False(host.ConfigureResult);
        LogEntry error = Assert.Single(host.Logs, l => l.Level == LogLevel.Error);
        Assert.Contains("no filter in this module has root id 'no_such_filter'", error.Message, StringComparison.Ordinal);
        Assert.Contains("lifecycle", error.Message, StringComparison.Ordinal);

        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
    }

    [Fact]
    public void Pairs_are_enumerated_byte_exact_with_obs_text()
    {
        HeaderList headers = Requests.Curl();
        headers.Add(Encoding.ASCII.GetBytes("x-latin1"), [0xE9, 0xE8, (byte)'a', 0xFF]);
        using ProxyWasmHost host = Host("pairs_counter");
        Assert.Equal("10/10/3", host.Send(Requests.Get(headers)).Upstream!.Headers.Get("x-count"));
    }

    public static TheoryData<string, Func<byte[], byte[]>> Corruptions() => new()
    {
        { "truncated", b => b[..^3] },
        { "count past the table", b => { byte[] c = (byte[])b.Clone(); BinaryPrimitives.WriteUInt32LittleEndian(c, 900); return c; } },
        { "length past the end", b => { byte[] c = (byte[])b.Clone(); BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(8), 60_000); return c; } },
        { "missing NUL", b => { byte[] c = (byte[])b.Clone(); c[^1] = (byte)'x'; return c; } },
        { "more than 1024 pairs", _ => { byte[] c = new byte[4 + (8 * 1025) + (2 * 1025)]; BinaryPrimitives.WriteUInt32LittleEndian(c, 1025); return c; } },
        { "trailing bytes", b => [.. b, 0, 0] },
        { "three bytes", _ => [1, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Malformed_pairs_from_the_host_read_as_empty_with_an_error_log(string name, Func<byte[], byte[]> corrupt)
    {
        using var host = new ProxyWasmHost(typeof(GlueBehaviourTests).Assembly, new HostOptions { RootId = "pairs_counter", PairsTransform = corrupt });
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal("0/9/0", exchange.Upstream!.Headers.Get("x-count"));
        Assert.Contains(exchange.Logs, l => l.Level == LogLevel.Error && l.Message.Contains("malformed header map", StringComparison.Ordinal));
        Assert.Null(exchange.LocalResponse);
        Assert.Equal(0, HostMemory.LiveBlocks);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Lifecycle_plugin_hooks_body_buffering_trailers_done_and_log()
    {
        using ProxyWasmHost host = Host("lifecycle", configuration: "ok");
        Assert.True(host.StartPlugin());
        Assert.True(LifecyclePlugin.Last!.VmStarted);
        Assert.Equal(1000u, host.TickPeriodMilliseconds);
        host.Tick();
        host.Tick();

        HttpStreamContext stream = host.CreateHttpStream();
        HeaderList headers = Requests.Curl();
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(headers, endOfStream: false));
        Assert.Equal("2/more", headers.Get("x-ticks"));
        Assert.Equal(stream.ContextId, LifecyclePlugin.Last.LastStream);
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody("hello "u8.ToArray(), endOfStream: false));
        Assert.Equal(FilterDataStatus.Continue, stream.OnRequestBody("world"u8.ToArray(), endOfStream: true));
        Assert.Equal("HELLO WORLD!", Encoding.UTF8.GetString(stream.RequestBody));
        Assert.Equal("2/11", headers.Get("x-chunks"));
        HeaderList trailers = new(new[] { ("grpc-status", "0") });
        Assert.Equal(FilterTrailersStatus.Continue, stream.OnRequestTrailers(trailers));
        Assert.Equal("1", trailers.Get("x-trailer-count"));
        stream.OnResponseHeaders(new HeaderList(new[] { (":status", "200") }), endOfStream: true);
        Assert.True(stream.Complete());
        Assert.Equal(1, LifecyclePlugin.Last.Done);
        Assert.Equal(1, LifecyclePlugin.Last.Logged);
        Assert.True(LifecyclePlugin.Last.LastStatusSeenInLog);

        // The pooled instance is reset for the next stream: its chunk counter starts again at 0.
        HttpStreamContext second = host.CreateHttpStream();
        HeaderList secondHeaders = Requests.Curl();
        second.OnRequestHeaders(secondHeaders, endOfStream: false);
        second.OnRequestBody("x"u8.ToArray(), endOfStream: true);
        Assert.Equal("1/1", secondHeaders.Get("x-chunks"));
        second.Complete();
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Theory]
    [InlineData("reject", false, false)]
    [InlineData("throw", false, true)]
    [InlineData("", true, false)]
    public void Configure_result_and_exceptions(string configuration, bool accepted, bool logsCritical)
    {
        using ProxyWasmHost host = Host("lifecycle", configuration);
        Assert.Equal(accepted, host.StartPlugin());
        Assert.Equal(accepted, host.ConfigureResult);
        Assert.Equal(logsCritical, host.Logs.Any(l => l.Level == LogLevel.Critical && l.Message.Contains("LifecyclePlugin.OnConfigure threw System.FormatException: bad configuration", StringComparison.Ordinal)));
    }

    [Fact]
    public void Vm_start_can_refuse_the_vm()
    {
        using ProxyWasmHost host = Host("lifecycle", configuration: "ok", vmConfiguration: "refuse-vm");
        Assert.False(host.StartPlugin());
        Assert.False(host.VmStartResult);
    }
}
