using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>The seed samples' behaviours, written in C and run as .wasm through the same host API as the assemblies
/// (the expectations are those of tests/ProxyWasm.Samples.Tests).</summary>
public sealed class SampleModuleTests
{
    [SkippableFact]
    public void HelloWorld_sets_x_hello_from_the_authority_replacing_spoofed_values()
    {
        using ProxyWasmHost host = TestModules.Host("hello");
        HeaderList headers = Requests.Curl("api.internal", ("x-hello", "spoofed"), ("X-Hello", "again"));
        HttpExchange exchange = host.Send(new HttpRequest(headers));

        Assert.Equal(["Hello world from api.internal"], exchange.Upstream!.Headers.GetAll("x-hello"));
        Assert.Equal(Requests.Lines(Requests.Curl("api.internal")), Requests.Lines(exchange.Upstream.Headers).Where(l => !l.StartsWith("x-hello", StringComparison.Ordinal)));
        Assert.Null(host.VmFailure);
    }

    [SkippableFact]
    public void HelloWorld_grows_past_its_stack_buffer_for_a_long_authority()
    {
        string authority = new string('h', 1000) + ".example";
        using ProxyWasmHost host = TestModules.Host("hello");

        Assert.Equal("Hello world from " + authority, host.Send(new HttpRequest(Requests.Curl(authority))).Upstream!.Headers.Get("x-hello"));
    }

    [SkippableFact]
    public void HeaderAuthorization_denies_without_allow_true_with_a_403_text_plain()
    {
        using ProxyWasmHost host = TestModules.Host("header_authorization");
        HttpExchange exchange = host.Send(Requests.Get());

        Assert.Null(exchange.Upstream);
        LocalResponse local = Assert.IsType<LocalResponse>(exchange.LocalResponse);
        Assert.Equal(403u, local.StatusCode);
        Assert.Equal("Forbidden by ASM Wasm Plugin, csharp version\n", local.BodyText);
        Assert.Equal(["content-type: text/plain"], Requests.Lines(local.Headers));
        Assert.Equal(-1, local.GrpcStatus);
        Assert.Equal((uint)FilterHeadersStatus.StopIteration, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Equal("403", exchange.Response!.Headers.Get(":status"));
        Assert.Equal(new LogEntry(LogLevel.Info, "header-authorization: allow header not found or is not true, deny by default"), Assert.Single(exchange.Logs));
    }

    [SkippableTheory]
    [InlineData("false")]
    [InlineData("TRUE")]
    [InlineData("true ")]
    [InlineData("")]
    public void HeaderAuthorization_denies_any_allow_other_than_exactly_true(string value)
    {
        using ProxyWasmHost host = TestModules.Host("header_authorization");

        Assert.Equal(403u, host.Send(Requests.Get(("allow", value))).LocalResponse?.StatusCode);
    }

    [SkippableFact]
    public void HeaderAuthorization_lets_allow_true_through_untouched()
    {
        using ProxyWasmHost host = TestModules.Host("header_authorization");
        HttpRequest request = Requests.Get(("Allow", "true"));
        HttpExchange exchange = host.Send(request);

        Assert.Null(exchange.LocalResponse);
        Assert.Equal(Requests.Lines(request.Headers), Requests.Lines(exchange.Upstream!.Headers));
        Assert.Equal("200", exchange.Response!.Headers.Get(":status"));
        Assert.Empty(exchange.Logs);
    }

    [SkippableTheory]
    [InlineData("goodbye", "goodbye")]
    [InlineData("", "world!")]
    public void AddHeader_adds_the_configured_value_next_to_the_upstream_one(string configuration, string expected)
    {
        using ProxyWasmHost host = TestModules.Host("add_header", new HostOptions { PluginConfiguration = Encoding.UTF8.GetBytes(configuration) });
        Assert.True(host.StartPlugin());
        for (int i = 0; i < 2; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(), new HttpResponse(new HeaderList(new[] { (":status", "200"), ("hello", "upstream") }), "{}"u8.ToArray()));

            Assert.Equal(["upstream", expected], exchange.Response!.Headers.GetAll("hello"));
            Assert.Equal("{}", exchange.Response.BodyText);
        }

        Assert.Empty(host.Logs);
    }

    [SkippableFact]
    public void ResponseHeader_replaces_hello_and_keeps_status_and_body()
    {
        using ProxyWasmHost host = TestModules.Host("response_header");
        HttpExchange exchange = host.Send(Requests.Get(), new HttpResponse(new HeaderList(new[] { (":status", "404"), ("hello", "a"), ("hello", "b") }), "not found"u8.ToArray()));

        Assert.Equal(["world"], exchange.Response!.Headers.GetAll("hello"));
        Assert.Equal("404", exchange.Response.Headers.Get(":status"));
        Assert.Equal("not found", exchange.Response.BodyText);
        Assert.Null(exchange.Upstream!.Headers.Get("hello"));
    }
}
