using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

public sealed class HeaderAuthorizationTests
{
    private static ProxyWasmHost Host(ModuleTarget target) => target.CreateHost(typeof(HeaderAuthorization).Assembly, new HostOptions { RootId = "header_authorization" });

    public static TheoryData<ModuleTarget> Targets => new(ModuleTarget.For(typeof(HeaderAuthorization).Assembly));

    [Theory, MemberData(nameof(Targets))]
    public void Request_without_allow_is_denied_with_403(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Null(exchange.Upstream);
        LocalResponse local = Assert.IsType<LocalResponse>(exchange.LocalResponse);
        Assert.Equal(403u, local.StatusCode);
        Assert.Equal("Forbidden by ASM Wasm Plugin, csharp version\n", local.BodyText);
        Assert.Equal("text/plain", local.Headers.Get("content-type"));
        Assert.Equal(1, local.Headers.Count);
        Assert.Equal(-1, local.GrpcStatus);
        Assert.Equal((uint)FilterHeadersStatus.StopIteration, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);

        HttpResponse response = Assert.IsType<HttpResponse>(exchange.Response);
        Assert.Equal("403", response.Headers.Get(":status"));
        Assert.Equal("Forbidden by ASM Wasm Plugin, csharp version\n", response.BodyText);
        Assert.Contains(exchange.Logs, l => l.Level == LogLevel.Info && l.Message.Contains("deny by default", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("false")]
    [InlineData("TRUE")]
    [InlineData("true ")]
    [InlineData("yes")]
    [InlineData("")]
    public void Allow_header_other_than_exactly_true_is_denied(string value)
    {
        HeaderList headers = Requests.Curl();
        headers.Add("allow", value);
        using ProxyWasmHost host = Host(ModuleTarget.InProcess);
        HttpExchange exchange = host.Send(Requests.Get(headers));

        Assert.Equal(403u, exchange.LocalResponse?.StatusCode);
        Assert.Null(exchange.Upstream);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Allow_true_passes_untouched(ModuleTarget target)
    {
        HeaderList headers = Requests.Istio();
        headers.Add("Allow", "true");
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(headers));

        Assert.Null(exchange.LocalResponse);
        Assert.NotNull(exchange.Upstream);
        Assert.Equal(headers.Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        Assert.Equal("200", exchange.Response!.Headers.Get(":status"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Obs_text_allow_value_is_denied_without_crashing(ModuleTarget target)
    {
        var headers = new HeaderList();
        headers.Add(Encoding.ASCII.GetBytes("allow"), [(byte)'t', 0xFF, (byte)'u', (byte)'e']);
        using ProxyWasmHost host = Host(target);
        Assert.Equal(403u, host.Send(Requests.Get(headers)).LocalResponse?.StatusCode);
    }
}

public sealed class AddHeaderTests
{
    private static ProxyWasmHost Host(ModuleTarget target, string configuration) => target.CreateHost(typeof(AddHeader).Assembly,
        new HostOptions { RootId = "add_header", PluginConfiguration = Encoding.UTF8.GetBytes(configuration) });

    public static TheoryData<ModuleTarget> Targets => new(ModuleTarget.For(typeof(AddHeader).Assembly));

    [Theory, MemberData(nameof(Targets))]
    public void Configured_value_is_added_to_the_response(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, "goodbye");
        Assert.True(host.StartPlugin());
        Assert.True(host.ConfigureResult);

        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), new HttpResponse(new HeaderList(new[] { (":status", "200"), ("content-type", "application/json") }), "{}"u8.ToArray()));

        Assert.Equal("goodbye", exchange.Response!.Headers.Get("hello"));
        Assert.Equal("application/json", exchange.Response.Headers.Get("content-type"));
        Assert.Equal("{}", exchange.Response.BodyText);
        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Empty_configuration_adds_world(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, string.Empty);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.True(host.ConfigureResult, string.Join("\n", host.Logs));
        Assert.Equal("world!", exchange.Response!.Headers.Get("hello"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Header_is_added_next_to_an_existing_one_and_every_stream_sees_the_plugin(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, "from-config");
        for (int i = 0; i < 3; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), new HttpResponse(new HeaderList(new[] { (":status", "200"), ("hello", "upstream") }), []));
            Assert.Equal(new[] { "upstream", "from-config" }, exchange.Response!.Headers.GetAll("hello"));
        }
    }

    [Theory]
    [InlineData("""{"value": "json"}""", "json")]
    [InlineData("""{}""", "world!")]
    [InlineData(""" { "value" : "spaced" } """, "spaced")]
    [InlineData("""{"value": "h\u00e9llo"}""", "h\u00e9llo")]
    public void Json_configuration_sets_the_value(string configuration, string expected)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess, configuration);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.True(host.ConfigureResult, string.Join("\n", host.Logs));
        Assert.Equal(new[] { expected }, exchange.Response!.Headers.GetAll("hello"));
        Assert.Empty(host.Logs);
    }

    [Theory]
    [InlineData("""{"value": 5}""", "$.value")]
    [InlineData("""{"valu": "x"}""", "valu")]
    [InlineData("""{"value": null}""", "$.value")]
    [InlineData("""{"value": """, "$")]
    [InlineData("""[]""", "$")]
    public void Json_that_is_not_the_configuration_type_rejects_the_plugin_with_one_line(string configuration, string named)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess, configuration);

        Assert.False(host.StartPlugin());
        Assert.False(host.ConfigureResult);
        LogEntry log = Assert.Single(host.Logs);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.StartsWith("proxy-wasm: add_header: plugin configuration rejected at ", log.Message);
        Assert.Contains(named, log.Message);
    }

    [Theory]
    [InlineData("goodbye", "goodbye")]
    [InlineData("\"quoted\"", "\"quoted\"")]
    [InlineData("  not json {", "  not json {")]
    [InlineData("5", "5")]
    public void Configuration_that_does_not_start_with_a_brace_or_bracket_is_the_plain_text_value(string configuration, string expected)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess, configuration);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.True(host.ConfigureResult, string.Join("\n", host.Logs));
        Assert.Equal(new[] { expected }, exchange.Response!.Headers.GetAll("hello"));
        Assert.Empty(host.Logs);
    }
}

public sealed class ResponseHeaderTests
{
    private static ProxyWasmHost Host(ModuleTarget target) => target.CreateHost(typeof(ResponseHeader).Assembly, new HostOptions { RootId = "response_header" });

    public static TheoryData<ModuleTarget> Targets => new(ModuleTarget.For(typeof(ResponseHeader).Assembly));

    [Theory, MemberData(nameof(Targets))]
    public void Response_gets_hello_world(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));

        Assert.Equal("world", exchange.Response!.Headers.Get("hello"));
        Assert.Equal("200", exchange.Response.Headers.Get(":status"));
        Assert.Null(exchange.Upstream!.Headers.Get("hello"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Upstream_hello_values_are_replaced(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), new HttpResponse(new HeaderList(new[] { (":status", "404"), ("hello", "a"), ("hello", "b") }), "not found"u8.ToArray()));

        Assert.Equal(new[] { "world" }, exchange.Response!.Headers.GetAll("hello"));
        Assert.Equal("404", exchange.Response.Headers.Get(":status"));
        Assert.Equal("not found", exchange.Response.BodyText);
    }
}
