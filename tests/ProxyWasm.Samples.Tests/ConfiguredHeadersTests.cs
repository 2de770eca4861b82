using System.Text;
using ProxyWasm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ProxyWasm.Samples.Tests;

/// <summary>The ConfiguredHeaders sample in the in-process host: a typed JSON configuration (snake_case, validated at
/// configure time) that removes, then adds request and response headers, and echoes the request id in the response
/// (Envoy's <c>always_set_request_id_in_response</c>); a rejected configuration logs one error line with its path.</summary>
public sealed class ConfiguredHeadersTests(ITestOutputHelper output)
{
    private const string RootId = "configured_headers";
    private const string RequestId = "5f94178e-39d0-4c4d-8b9e-911a26d38040"; // Requests.Curl()'s x-request-id

    private const string Full = """
        {
          "request_headers_to_add": [
            {"name": "x-env", "value": "prod", "append": false},
            {"name": "x-tenant", "value": "blue", "append": true}
          ],
          "request_headers_to_remove": ["x-debug", "x-forwarded-proto"],
          "response_headers_to_add": [
            {"name": "x-served-by", "value": "edge", "append": true},
            {"name": "x-frame-options", "value": "DENY"}
          ],
          "response_headers_to_remove": ["server"],
          "set_request_id_in_response": true
        }
        """;

    private static ProxyWasmHost Host(ModuleTarget target, string configuration) => target.CreateHost(typeof(ConfiguredHeaders).Assembly, new HostOptions
    {
        RootId = RootId,
        PluginConfiguration = Encoding.UTF8.GetBytes(configuration),
    });

    public static TheoryData<ModuleTarget> Targets => new(ModuleTarget.For(typeof(ConfiguredHeaders).Assembly));

    private static HttpResponse Upstream(params (string, string)[] headers) => new(new HeaderList(headers), "ok"u8.ToArray());

    private static HeaderList Request(params (string, string)[] extra) => new(Requests.Curl().Select(h => (h.NameText, h.ValueText)).Concat(extra));

    private static (string, string)[] Pairs(HeaderList headers) => headers.Select(h => (h.NameText, h.ValueText)).ToArray();

    [Theory, MemberData(nameof(Targets))]
    public void The_full_configuration_edits_the_request_and_the_response(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, Full);
        Assert.True(host.StartPlugin(), string.Join("\n", host.Logs));

        HttpExchange exchange = host.Send(
            Requests.Get(Request(("x-debug", "1"), ("x-env", "staging"), ("x-tenant", "red"))),
            Upstream((":status", "200"), ("server", "gunicorn"), ("content-type", "text/plain"), ("x-served-by", "app-3")));

        Assert.True(host.ConfigureResult);
        Assert.Equal(
            [
                (":authority", "example.com"), (":path", "/get"), (":method", "GET"), (":scheme", "http"),
                ("user-agent", "curl/8.5.0"), ("accept", "*/*"), ("x-request-id", RequestId),
                ("x-envoy-expected-rq-timeout-ms", "15000"), ("x-tenant", "red"),
                ("x-env", "prod"), ("x-tenant", "blue"),
            ],
            Pairs(exchange.Upstream!.Headers));
        Assert.Equal(
            [
                (":status", "200"), ("content-type", "text/plain"), ("x-served-by", "app-3"),
                ("x-served-by", "edge"), ("x-frame-options", "DENY"), ("x-request-id", RequestId),
            ],
            Pairs(exchange.Response!.Headers));
        Assert.Equal("ok", exchange.Response.BodyText);
        Assert.Empty(host.Logs);
        if (target == ModuleTarget.InProcess)
        {
            // The module's own allocations, in this process (a .wasm module's are in its linear memory).
            Assert.Equal(0, HostMemory.LiveBlocks);
        }
    }

    [Theory, MemberData(nameof(Targets))]
    public void Every_stream_gets_the_same_edits(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, Full);
        for (int i = 0; i < 3; i++)
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200")));
            Assert.Equal(["prod"], exchange.Upstream!.Headers.GetAll("x-env"));
            Assert.Equal(["blue"], exchange.Upstream.Headers.GetAll("x-tenant"));
            Assert.Equal([(":status", "200"), ("x-served-by", "edge"), ("x-frame-options", "DENY"), ("x-request-id", RequestId)], Pairs(exchange.Response!.Headers));
        }
    }

    [Theory]
    [InlineData(false, new[] { "prod" })]
    [InlineData(true, new[] { "a", "b", "prod" })]
    public void Append_false_replaces_every_value_and_append_true_adds_one(bool append, string[] expected)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess, $$"""{"request_headers_to_add": [{"name": "x-env", "value": "prod", "append": {{(append ? "true" : "false")}}}]}""");
        HttpExchange exchange = host.Send(Requests.Get(Request(("x-env", "a"), ("x-env", "b"))));

        Assert.Equal(expected, exchange.Upstream!.Headers.GetAll("x-env"));
        Assert.Equal(Requests.Curl().Count + expected.Length, exchange.Upstream.Headers.Count);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Append_defaults_to_false_and_entries_apply_in_order(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, """
            {"response_headers_to_add": [
              {"name": "cache-control", "value": "no-store"},
              {"name": "cache-control", "value": "private", "append": true},
              {"name": "vary", "value": "accept", "append": true},
              {"name": "vary", "value": "origin"}
            ]}
            """);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200"), ("cache-control", "max-age=60"), ("vary", "cookie")));

        Assert.Equal([(":status", "200"), ("cache-control", "no-store"), ("cache-control", "private"), ("vary", "origin")], Pairs(exchange.Response!.Headers));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Removal_drops_every_value_before_the_additions(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, """
            {"request_headers_to_remove": ["x-debug", "not-there"],
             "request_headers_to_add": [{"name": "x-debug", "value": "0", "append": true}],
             "response_headers_to_remove": ["set-cookie", "server"]}
            """);
        HttpExchange exchange = host.Send(
            Requests.Get(Request(("x-debug", "1"), ("x-debug", "2"))),
            Upstream((":status", "404"), ("set-cookie", "a=1"), ("server", "envoy"), ("set-cookie", "b=2"), ("content-length", "2")));

        Assert.Equal(["0"], exchange.Upstream!.Headers.GetAll("x-debug"));
        Assert.Equal(Requests.Curl().Count + 1, exchange.Upstream.Headers.Count);
        Assert.Equal([(":status", "404"), ("content-length", "2")], Pairs(exchange.Response!.Headers));
    }

    [Theory, MemberData(nameof(Targets))]
    public void The_request_id_is_echoed_from_the_request_id_property(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, """{"set_request_id_in_response": true}""");

        // The in-process host derives request.id from the request's x-request-id...
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200")));
        Assert.Equal([(":status", "200"), ("x-request-id", RequestId)], Pairs(exchange.Response!.Headers));
        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));

        // ...and the filter reads the property, not the request header.
        host.SetProperty("request\0id", "from-the-property"u8.ToArray());
        exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200")));
        Assert.Equal(["from-the-property"], exchange.Response!.Headers.GetAll("x-request-id"));
    }

    [Theory, MemberData(nameof(Targets))]
    public void The_request_id_is_not_echoed_when_the_upstream_set_one(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, """{"set_request_id_in_response": true}""");
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200"), ("x-request-id", "upstream-id")));

        Assert.Equal([(":status", "200"), ("x-request-id", "upstream-id")], Pairs(exchange.Response!.Headers));
    }

    [Theory, MemberData(nameof(Targets))]
    public void The_request_id_is_not_echoed_without_one_or_when_the_option_is_off(ModuleTarget target)
    {
        using (ProxyWasmHost host = Host(target, """{"set_request_id_in_response": true}"""))
        {
            // No x-request-id on the request: request.id is absent, so there is nothing to echo.
            var request = new HeaderList(new[] { (":authority", "example.com"), (":path", "/"), (":method", "GET") });
            HttpExchange exchange = host.Send(Requests.Get(request), Upstream((":status", "200")));
            Assert.Equal([(":status", "200")], Pairs(exchange.Response!.Headers));

            // An empty request id is not echoed either.
            host.SetProperty("request\0id", []);
            exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200")));
            Assert.Equal([(":status", "200")], Pairs(exchange.Response!.Headers));
        }

        using (ProxyWasmHost host = Host(target, """{"set_request_id_in_response": false}"""))
        {
            HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200")));
            Assert.Equal([(":status", "200")], Pairs(exchange.Response!.Headers));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData(" \n\t ")]
    [InlineData("""{"request_headers_to_add": [], "request_headers_to_remove": [], "response_headers_to_add": [], "response_headers_to_remove": [], "set_request_id_in_response": false}""")]
    public void Empty_configuration_changes_nothing(string configuration)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess, configuration);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200"), ("server", "envoy")));

        Assert.True(host.ConfigureResult, string.Join("\n", host.Logs));
        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        Assert.Equal([(":status", "200"), ("server", "envoy")], Pairs(exchange.Response!.Headers));
        Assert.Empty(host.Logs);
    }

    /// <summary>JSON the type does not accept: the glue rejects it (System.Text.Json's path and reason) before
    /// <see cref="ConfiguredHeadersPlugin.Configure"/> runs.</summary>
    [Theory]
    [InlineData("""{"request_headers_to_add": [""", "$.request_headers_to_add[0]")]
    [InlineData("""{"request_headers_to_add": 5}""", "$.request_headers_to_add")]
    [InlineData("""{"request_headers_to_add": [{"name": "x"}]}""", "$.request_headers_to_add[0]")]
    [InlineData("""{"colour": 1}""", "$.colour")]
    [InlineData("null", "$")]
    [InlineData("""{"response_headers_to_remove": null}""", "$.response_headers_to_remove")]
    [InlineData("""{"response_headers_to_add": [{"name": "x", "value": null}]}""", "$.response_headers_to_add[0].value")]
    [InlineData("""{"request_headers_to_add": [{"name": "x", "value": "y", "append": "yes"}]}""", "$.request_headers_to_add[0].append")]
    [InlineData("""{"request_headers_to_add": [{"name": "x", "value": "y", "colour": 1}]}""", "$.request_headers_to_add[0].colour")]
    [InlineData("""{"set_request_id_in_response": 1}""", "$.set_request_id_in_response")]
    [InlineData("""[]""", "$")]
    [InlineData("""plain text""", "$")]
    public void Configuration_that_is_not_the_json_type_is_rejected_with_its_path(string configuration, string path)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess, configuration);

        Assert.False(host.StartPlugin());
        Assert.False(host.ConfigureResult);
        LogEntry log = Assert.Single(host.Logs);
        output.WriteLine(log.Message);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.StartsWith($"proxy-wasm: configured_headers: plugin configuration rejected at {path}", log.Message);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(log.Message, $@"rejected at {System.Text.RegularExpressions.Regex.Escape(path)}( \(line \d+, byte \d+\))?: \S"), log.Message);
    }

    /// <summary>JSON of the right shape that <see cref="ConfiguredHeadersPlugin.Configure"/> refuses, with the member
    /// named as in the JSON.</summary>
    [Theory]
    [InlineData("""{"request_headers_to_add": [{"name": "x-ok", "value": "1"}, {"name": "X-Foo", "value": "2"}]}""",
        "configured_headers: request_headers_to_add[1].name \"X-Foo\" is not a lower-case header name")]
    [InlineData("""{"request_headers_to_add": [{"name": ":path", "value": "/admin"}]}""",
        "configured_headers: request_headers_to_add[0].name \":path\" is a pseudo-header; only regular headers can be added or removed")]
    [InlineData("""{"response_headers_to_remove": ["server", ":status"]}""",
        "configured_headers: response_headers_to_remove[1] \":status\" is a pseudo-header; only regular headers can be added or removed")]
    [InlineData("""{"request_headers_to_remove": ["x debug"]}""",
        "configured_headers: request_headers_to_remove[0] \"x debug\" is not a lower-case header name")]
    [InlineData("""{"response_headers_to_add": [{"name": "", "value": "v"}]}""",
        "configured_headers: response_headers_to_add[0].name \"\" is not a lower-case header name")]
    [InlineData("""{"response_headers_to_add": [{"name": "x-\"q\u00e9", "value": "v"}]}""",
        "configured_headers: response_headers_to_add[0].name \"x-\\\"qé\" is not a lower-case header name")]
    [InlineData("""{"response_headers_to_add": [{"name": "x-split", "value": "a\r\nx-injected: 1"}]}""",
        "configured_headers: response_headers_to_add[0].value \"a\\r\\nx-injected: 1\" contains NUL, CR or LF, which a header value cannot hold")]
    [InlineData("""{"request_headers_to_add": [null]}""",
        "configured_headers: request_headers_to_add[0] is null; expected an object with \"name\" and \"value\"")]
    [InlineData("""{"response_headers_to_remove": ["server", null]}""",
        "configured_headers: response_headers_to_remove[1] is null; expected a header name")]
    public void Invalid_header_names_and_values_are_rejected_with_one_line_naming_the_member(string configuration, string expected)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess, configuration);

        Assert.False(host.StartPlugin());
        Assert.False(host.ConfigureResult);
        LogEntry log = Assert.Single(host.Logs);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal(expected, log.Message);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Only_the_first_problem_is_logged(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, """{"request_headers_to_add": [{"name": "A", "value": "1"}], "response_headers_to_remove": [":path"]}""");

        Assert.False(host.StartPlugin());
        Assert.Equal("configured_headers: request_headers_to_add[0].name \"A\" is not a lower-case header name", Assert.Single(host.Logs).Message);
    }

    [Theory, MemberData(nameof(Targets))]
    public void A_rejected_plugin_does_not_stop_another_plugin_of_the_same_root_id(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, """{"response_headers_to_add": [{"name": "x-plugin", "value": "one"}]}""");
        Assert.True(host.StartPlugin());
        Assert.Equal(["one"], host.Send(Requests.Get(Requests.Curl())).Response!.Headers.GetAll("x-plugin"));

        // A second filter entry of the same VM with a bad configuration: rejected, one error line.
        PluginContext bad = host.AddPlugin(new PluginOptions { RootId = RootId, PluginConfiguration = """{"response_headers_to_add": [{"name": "X-Plugin", "value": "two"}]}"""u8.ToArray() });
        Assert.False(bad.ConfigureResult);
        Assert.Equal("configured_headers: response_headers_to_add[0].name \"X-Plugin\" is not a lower-case header name", Assert.Single(host.Logs).Message);

        // A third with a good one of its own: each plugin's streams get that plugin's configuration.
        PluginContext good = host.AddPlugin(new PluginOptions { RootId = RootId, PluginConfiguration = """{"response_headers_to_add": [{"name": "x-plugin", "value": "three"}]}"""u8.ToArray() });
        Assert.True(good.ConfigureResult);
        Assert.Single(host.Logs);

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(["one"], host.Send(Requests.Get(Requests.Curl())).Response!.Headers.GetAll("x-plugin"));
            Assert.Equal(["three"], good.Send(Requests.Get(Requests.Curl())).Response!.Headers.GetAll("x-plugin"));
        }

        Assert.Single(host.Logs);
        if (target == ModuleTarget.InProcess)
        {
            // The module's own allocations, in this process (a .wasm module's are in its linear memory).
            Assert.Equal(0, HostMemory.LiveBlocks);
        }
    }

    [Theory, MemberData(nameof(Targets))]
    public void A_plugin_rejected_first_leaves_the_good_one_serving(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, """{"request_headers_to_add": [""");
        Assert.False(host.StartPlugin());

        PluginContext good = host.AddPlugin(new PluginOptions { RootId = RootId, PluginConfiguration = Encoding.UTF8.GetBytes(Full) });
        Assert.True(good.ConfigureResult);
        HttpExchange exchange = good.Send(Requests.Get(Requests.Curl()), Upstream((":status", "200"), ("server", "envoy")));

        Assert.Equal(["prod"], exchange.Upstream!.Headers.GetAll("x-env"));
        Assert.Equal([(":status", "200"), ("x-served-by", "edge"), ("x-frame-options", "DENY"), ("x-request-id", RequestId)], Pairs(exchange.Response!.Headers));
        Assert.Single(host.Logs);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Configure_and_both_header_callbacks_are_exported(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target, "{}");
        Assert.True(host.Exports.Has("proxy_on_configure"));
        Assert.True(host.Exports.Has("proxy_on_request_headers"));
        Assert.True(host.Exports.Has("proxy_on_response_headers"));
        Assert.False(host.Exports.Has("proxy_on_vm_start"));
        Assert.False(host.Exports.Has("proxy_on_log"));
    }
}
