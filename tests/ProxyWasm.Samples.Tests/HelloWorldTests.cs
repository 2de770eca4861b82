using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

public sealed class HelloWorldTests
{
    private static ProxyWasmHost Host(ModuleTarget target) => target.CreateHost(typeof(HelloWorld).Assembly, new HostOptions { RootId = "hello_world" });

    public static TheoryData<ModuleTarget> Targets => new(ModuleTarget.For(typeof(HelloWorld).Assembly));

    [Theory, MemberData(nameof(Targets))]
    public void Curl_request_gets_x_hello_from_authority_and_continues(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.NotNull(exchange.Upstream);
        Assert.Equal("Hello world from example.com", exchange.Upstream!.Headers.Get("x-hello"));
        Assert.Equal((uint)FilterHeadersStatus.Continue, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Null(exchange.LocalResponse);

        // Every other header passes untouched, in order.
        Assert.Equal(
            Requests.Curl().Select(h => h.ToString()),
            exchange.Upstream.Headers.Where(h => h.NameText != "x-hello").Select(h => h.ToString()));
        Assert.Equal(Requests.Curl().Count + 1, exchange.Upstream.Headers.Count);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Istio_request_keeps_every_header(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Istio()));

        Assert.Equal("Hello world from productpage.bookinfo:9080", exchange.Upstream!.Headers.Get("x-hello"));
        Assert.Equal("session=abc; theme=dark", exchange.Upstream.Headers.Get("cookie"));
        Assert.Equal(Requests.Istio().Count + 1, exchange.Upstream.Headers.Count);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Spoofed_x_hello_values_are_all_replaced(ModuleTarget target)
    {
        HeaderList headers = Requests.Curl("api.internal");
        headers.Add("x-hello", "spoofed by the client");
        headers.Add("X-Hello", "and again");
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(headers));

        Assert.Equal(new[] { "Hello world from api.internal" }, exchange.Upstream!.Headers.GetAll("x-hello"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Without_authority_the_value_ends_after_from(ModuleTarget target)
    {
        HeaderList headers = Requests.Curl();
        headers.Remove(":authority");
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(headers));

        Assert.Equal("Hello world from ", exchange.Upstream!.Headers.Get("x-hello"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Empty_header_map(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(new HeaderList()));

        Assert.Equal("Hello world from ", exchange.Upstream!.Headers.Get("x-hello"));
        Assert.Equal(1, exchange.Upstream.Headers.Count);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Hundred_and_fifty_headers_pass_and_authority_is_found_at_the_end(ModuleTarget target)
    {
        var headers = new HeaderList();
        for (int i = 0; i < 150; i++)
        {
            headers.Add($"x-custom-{i:D3}", new string((char)('a' + (i % 26)), i % 40));
        }

        headers.Add(":authority", "late.example");
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(headers));

        Assert.Equal("Hello world from late.example", exchange.Upstream!.Headers.Get("x-hello"));
        Assert.Equal(152, exchange.Upstream.Headers.Count);
        Assert.Equal(new string('t', 19), exchange.Upstream.Headers.Get("x-custom-019"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Obs_text_bytes_in_authority_pass_through_untouched(ModuleTarget target)
    {
        byte[] authority = [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'.', 0xFF, 0x80, (byte)'x'];
        var headers = new HeaderList();
        headers.Add(Encoding.ASCII.GetBytes(":authority"), authority);
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(headers));

        byte[] expected = [.. "Hello world from "u8, .. authority];
        Assert.Equal(expected, exchange.Upstream!.Headers.GetBytes("x-hello"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Long_authority_grows_past_the_stack_buffer(ModuleTarget target)
    {
        string authority = new string('h', 1000) + ".example";
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl(authority)));

        Assert.Equal("Hello world from " + authority, exchange.Upstream!.Headers.Get("x-hello"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Many_requests_in_one_vm_free_host_memory_and_reuse_stream_state(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        for (int i = 0; i < 500; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl($"host-{i}.example")));
            Assert.Equal($"Hello world from host-{i}.example", exchange.Upstream!.Headers.Get("x-hello"));
            if (target == ModuleTarget.InProcess)
            {
                // The module's own allocations, in this process (a .wasm module's are in its linear memory).
                Assert.Equal(0, HostMemory.LiveBlocks);
            }
        }

        Assert.Empty(host.Logs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("istio-system.hello-world")]
    public void A_module_with_one_filter_serves_any_root_id(string rootId)
    {
        using var host = new ProxyWasmHost(typeof(HelloWorld).Assembly, new HostOptions { RootId = rootId });
        Assert.True(host.StartPlugin());
        Assert.Equal("Hello world from example.com", host.Send(Requests.Get(Requests.Curl())).Upstream!.Headers.Get("x-hello"));
        Assert.Empty(host.Logs);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Exports_are_exactly_what_the_filter_uses(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        // The Proxy-Wasm exports; a .wasm module also exports its start-up function (_initialize) and memory.
        Assert.Equal(
            // Untracked streams (a stateless filter with one once-per-stream hook): no context create or delete.
            new[] { "proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "proxy_on_request_headers" },
            host.Exports.Names.Where(n => n.StartsWith("proxy_", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal));
    }
}
