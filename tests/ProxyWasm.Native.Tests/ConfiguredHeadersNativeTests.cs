using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The ConfiguredHeaders sample's native module in the C host: the typed JSON configuration read (System.Text.Json
/// source generation, NativeAOT) and validated at proxy_on_configure, the request and response headers removed and
/// added as configured, the request id (property <c>request.id</c>) echoed in the response, and rejected
/// configurations answered 0 with one error line (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/ConfiguredHeadersTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class ConfiguredHeadersNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const int Error = 4;
    private const string RootId = "configured_headers";

    private const string Full = """
        {"request_headers_to_add": [{"name": "x-env", "value": "prod", "append": false}, {"name": "x-tenant", "value": "blue", "append": true}],
         "request_headers_to_remove": ["x-debug"],
         "response_headers_to_add": [{"name": "x-served-by", "value": "edge", "append": true}, {"name": "x-frame-options", "value": "DENY"}],
         "response_headers_to_remove": ["server"],
         "set_request_id_in_response": true}
        """;

    private static readonly List<(string Name, string Value)> Request =
        [(":authority", "example.com"), (":path", "/"), (":method", "GET"), ("x-debug", "1"), ("x-env", "staging"), ("x-request-id", "req-1"), ("x-tenant", "red")];

    private static readonly List<(string Name, string Value)> Response = [(":status", "200"), ("server", "envoy"), ("x-served-by", "app")];

    [SkippableFact]
    public void The_configuration_edits_the_request_and_the_response_and_echoes_the_request_id()
    {
        HostRun run = Run(new HostInput { RootId = RootId, PluginConfiguration = Full, Streams = 2, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Empty(run.OfKind("plugin_rejected"));
        Assert.Empty(run.Logs());
        foreach (uint stream in new uint[] { Stream, Stream + 1 })
        {
            Assert.Equal("0", run.Result(stream, "proxy_on_request_headers"));
            Assert.Equal("0", run.Result(stream, "proxy_on_response_headers"));
            Assert.Equal(
                [(":authority", "example.com"), (":path", "/"), (":method", "GET"), ("x-request-id", "req-1"), ("x-tenant", "red"), ("x-env", "prod"), ("x-tenant", "blue")],
                run.Upstream(stream));
            Assert.Equal([(":status", "200"), ("x-served-by", "app"), ("x-served-by", "edge"), ("x-frame-options", "DENY"), ("x-request-id", "req-1")], run.Downstream(stream));
        }

        // The response hook read request.id (found) and the response's x-request-id (absent) before it ran.
        Assert.Contains(("proxy_get_property", 0), run.HostCalls());
        Assert.Contains(("proxy_get_header_map_value", 1), run.HostCalls());
        Assert.All(run.HostCalls().Where(c => c.Function != "proxy_get_header_map_value"), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
    }

    [SkippableFact]
    public void The_request_id_property_is_echoed_unless_the_upstream_set_one()
    {
        const string echo = """{"set_request_id_in_response": true}""";
        List<(string Name, string Value)> request = [(":authority", "example.com"), (":path", "/")];

        // From the property (the input's property overrides the host's derived request.id).
        HostRun run = Run(new HostInput { RootId = RootId, PluginConfiguration = echo, RequestHeaders = request, ResponseHeaders = [(":status", "200")], Properties = [("request\0id", "from-property"u8.ToArray())] });
        Assert.Equal([(":status", "200"), ("x-request-id", "from-property")], run.Downstream(Stream));
        Assert.Equal(request, run.Upstream(Stream));

        // The upstream's own x-request-id is kept, alone.
        run = Run(new HostInput { RootId = RootId, PluginConfiguration = echo, RequestHeaders = [.. request, ("x-request-id", "req-2")], ResponseHeaders = [(":status", "200"), ("x-request-id", "upstream")] });
        Assert.Equal([(":status", "200"), ("x-request-id", "upstream")], run.Downstream(Stream));

        // No request id: nothing to echo.
        run = Run(new HostInput { RootId = RootId, PluginConfiguration = echo, RequestHeaders = request, ResponseHeaders = [(":status", "200")] });
        Assert.Equal([(":status", "200")], run.Downstream(Stream));
    }

    [SkippableFact]
    public void Empty_configuration_changes_nothing()
    {
        HostRun run = Run(new HostInput { RootId = RootId, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.Equal(("1,0", "1"), run.Calls().Where(c => c.Callback == "proxy_on_configure").Select(c => (c.Arguments, c.Result)).Single());
        Assert.Equal(Request, run.Upstream(Stream));
        Assert.Equal(Response, run.Downstream(Stream));
        Assert.Empty(run.Logs());
    }

    [SkippableTheory]
    [InlineData("""{"request_headers_to_add": [""", "proxy-wasm: configured_headers: plugin configuration rejected at $.request_headers_to_add[0] (line 1, byte 29): ")]
    [InlineData("""{"request_headers_to_add": 5}""", "proxy-wasm: configured_headers: plugin configuration rejected at $.request_headers_to_add (line 1, byte 29): ")]
    [InlineData("""{"request_headers_to_add": [{"name": "x"}]}""", "proxy-wasm: configured_headers: plugin configuration rejected at $.request_headers_to_add[0] (line 1, byte 42): ")]
    [InlineData("""{"colour": 1}""", "proxy-wasm: configured_headers: plugin configuration rejected at $.colour (line 1, byte 11): ")]
    [InlineData("null", "proxy-wasm: configured_headers: plugin configuration rejected at $: the configuration is null")]
    [InlineData("""{"request_headers_to_add": [{"name": "X-Foo", "value": "v"}]}""", "configured_headers: request_headers_to_add[0].name \"X-Foo\" is not a lower-case header name")]
    [InlineData("""{"response_headers_to_remove": [":path"]}""", "configured_headers: response_headers_to_remove[0] \":path\" is a pseudo-header; only regular headers can be added or removed")]
    public void A_rejected_configuration_answers_0_with_one_error_line_and_runs_no_stream(string configuration, string logStart)
    {
        HostRun run = Run(new HostInput { RootId = RootId, PluginConfiguration = configuration, RequestHeaders = Request, ResponseHeaders = Response });

        Assert.Equal("0", run.Result(Root, "proxy_on_configure"));
        Assert.Equal(["proxy_on_configure"], run.OfKind("plugin_rejected").Select(r => r.Fields[0]));
        (uint context, int level, string message) = Assert.Single(run.Logs());
        Assert.Equal((Root, Error), (context, level));
        Assert.True(message.StartsWith(logStart, System.StringComparison.Ordinal), message);
        Assert.Empty(run.CallbacksOn(Stream));
    }

    [SkippableFact]
    public void A_rejected_plugin_leaves_another_plugin_of_the_same_root_id_serving()
    {
        HostRun run = Run(new HostInput
        {
            RootId = RootId,
            PluginConfiguration = """{"request_headers_to_remove": ["X-Debug"]}""",
            Plugins = [(RootId, Full)],
            StreamRoots = [2],
            Streams = 2,
            RequestHeaders = Request,
            ResponseHeaders = Response,
        });

        Assert.Equal("0", run.Result(1, "proxy_on_configure"));
        Assert.Equal("1", run.Result(2, "proxy_on_configure"));
        Assert.Equal([(1u, Error, "configured_headers: request_headers_to_remove[0] \"X-Debug\" is not a lower-case header name")], run.Logs());
        foreach (uint stream in new uint[] { 3, 4 })
        {
            Assert.Equal($"{stream},2", run.Calls().First(c => c.Context == stream).Arguments);
            Assert.Equal(["prod"], run.Upstream(stream).Where(h => h.Name == "x-env").Select(h => h.Value));
            Assert.DoesNotContain(run.Upstream(stream), h => h.Name == "x-debug");
            Assert.Equal([(":status", "200"), ("x-served-by", "app"), ("x-served-by", "edge"), ("x-frame-options", "DENY"), ("x-request-id", "req-1")], run.Downstream(stream));
        }
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("ConfiguredHeaders").Library, input);
}
