using System.Collections.Generic;
using System.Linq;
using System.Text;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The JsonValidation sample's native module in the C host, with request bodies (input <c>request_body</c>): the
/// content-type check, the body buffered to the end of the stream and validated with System.Text.Json's
/// Utf8JsonReader in the NativeAOT image (an invalid body takes the reader's exception path), the 403s and error logs
/// (the in-process counterpart: tests/ProxyWasm.Samples.Tests/JsonValidationTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class JsonValidationNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const int Error = 4;
    private const int Critical = 5;
    private const string IdToken = "{\"requiredKeys\": [\"id\", \"token\"]}";

    private static readonly List<(string Name, string Value)> Json =
        [(":authority", "example.com"), (":method", "POST"), (":path", "/"), ("content-type", "application/json")];

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [SkippableFact]
    public void A_request_without_json_content_type_gets_403()
    {
        HostRun run = Run(new HostInput { RootId = "json_validation", PluginConfiguration = IdToken, RequestHeaders = [(":path", "/"), ("content-type", "text/html")] });

        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal(["2", "403", "", "content-type must be provided", "-1"], Assert.Single(run.LocalResponses(Stream)).Fields);
        Assert.Empty(run.LocalResponseHeaders(Stream));
        Assert.Empty(run.Upstream(Stream));
        Assert.Empty(run.Logs());
    }

    [SkippableFact]
    public void A_payload_with_every_required_key_goes_upstream()
    {
        const string body = "{\"id\": \"abc123\", \"token\": \"xyz456\"}";
        HostRun run = Run(new HostInput { RootId = "json_validation", PluginConfiguration = IdToken, RequestHeaders = Json, RequestBody = [Bytes(body)], ResponseHeaders = [(":status", "200")] });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Equal(("2,35,1", "0"), run.Calls().Where(c => c.Callback == "proxy_on_request_body").Select(c => (c.Arguments, c.Result)).Single());
        Assert.Equal(Json, run.Upstream(Stream));
        Assert.Equal(["2", body], Assert.Single(run.OfKind("upstream_body")).Fields);
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Empty(run.Logs());
    }

    [SkippableFact]
    public void The_body_is_buffered_across_chunks_and_validated_at_the_end()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "json_validation",
            PluginConfiguration = IdToken,
            RequestHeaders = Json,
            RequestBody = [Bytes("{\"id\": 1,"), Bytes(" \"token\": 2}")],
        });

        Assert.Equal([("2,9,0", "1"), ("2,21,1", "0")], run.Calls().Where(c => c.Callback == "proxy_on_request_body").Select(c => (c.Arguments, c.Result)));
        Assert.Equal(["2", "{\"id\": 1, \"token\": 2}"], Assert.Single(run.OfKind("upstream_body")).Fields);
        Assert.Empty(run.Logs());
    }

    [SkippableFact]
    public void A_missing_key_gets_403_invalid_payload_and_an_error_log()
    {
        HostRun run = Run(new HostInput { RootId = "json_validation", PluginConfiguration = IdToken, RequestHeaders = Json, RequestBody = [Bytes("{\"id\": \"abc123\"}")] });

        Assert.Equal("1", run.Calls().Single(c => c.Callback == "proxy_on_request_body").Result);
        Assert.Equal(["2", "403", "", "invalid payload", "-1"], Assert.Single(run.LocalResponses(Stream)).Fields);
        Assert.Equal([(Stream, Error, "required key (token) is missing: {\"id\": \"abc123\"}")], run.Logs());
        Assert.Empty(run.Upstream(Stream));
    }

    [SkippableFact]
    public void A_body_that_is_not_json_gets_403_and_is_logged_quoted()
    {
        HostRun run = Run(new HostInput { RootId = "json_validation", PluginConfiguration = IdToken, RequestHeaders = Json, RequestBody = [Bytes("not \"json\"\n")] });

        Assert.Equal("1", run.Calls().Single(c => c.Callback == "proxy_on_request_body").Result);
        Assert.Equal("invalid payload", Assert.Single(run.LocalResponses(Stream)).Fields[3]);
        Assert.Equal([(Stream, Error, "body is not a valid json: \"not \\\"json\\\"\\n\"")], run.Logs());

        // The module keeps serving after the reader's exception.
        HostRun again = Run(new HostInput { RootId = "json_validation", Streams = 2, RequestHeaders = Json, RequestBody = [Bytes("{")] });
        Assert.Equal(2, again.OfKind("local_response").Count());
        Assert.Equal(2, again.Logs().Count(l => l.Level == Error && l.Message == "body is not a valid json: \"{\""));
    }

    [SkippableFact]
    public void An_empty_body_reads_as_not_found_and_continues()
    {
        HostRun run = Run(new HostInput { RootId = "json_validation", PluginConfiguration = IdToken, RequestHeaders = Json, RequestBody = [[]] });

        Assert.Equal("0", run.Calls().Single(c => c.Callback == "proxy_on_request_body").Result);
        Assert.Equal([(Stream, Error, "failed to get request body: error status returned by host: not found")], run.Logs());
        Assert.Equal(Json, run.Upstream(Stream));
    }

    [SkippableFact]
    public void A_configuration_that_is_not_json_rejects_the_plugin()
    {
        HostRun run = Run(new HostInput { RootId = "json_validation", PluginConfiguration = "{\"requiredKeys\": [", RequestHeaders = Json });

        Assert.Equal("0", run.Result(Root, "proxy_on_configure"));
        Assert.Equal(["proxy_on_configure", "0"], Assert.Single(run.OfKind("plugin_rejected")).Fields);
        Assert.Equal([(Root, Critical, "error parsing plugin configuration: the plugin configuration is not a valid json: \"{\\\"requiredKeys\\\": [\"")], run.Logs());
        Assert.DoesNotContain(run.Calls(), c => c.Context == Stream);
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("JsonValidation").Library, input);
}
