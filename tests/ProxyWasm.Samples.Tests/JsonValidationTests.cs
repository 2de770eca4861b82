using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's json_validation (samples/JsonValidation), in the in-process host: the content-type check, the
/// body buffered to the end of the stream and validated against the configured top-level keys, the 403s and the error
/// logs with Go's quoting.</summary>
public sealed class JsonValidationTests
{
    private const string IdToken = "{\"requiredKeys\": [\"id\", \"token\"]}";

    private static ProxyWasmHost Host(string? configuration = null) => new(typeof(JsonValidation).Assembly, new HostOptions
    {
        RootId = "json_validation",
        PluginConfiguration = configuration is null ? [] : Encoding.UTF8.GetBytes(configuration),
    });

    private static HeaderList Json(string contentType = "application/json") =>
        new(new[] { (":authority", "example.com"), (":path", "/"), (":method", "POST"), ("content-type", contentType) });

    private static HttpRequest Post(string body, string contentType = "application/json") => new(Json(contentType), Encoding.UTF8.GetBytes(body));

    /// <summary>One body callback at end of stream, with no headers callback first (as the Go unit test does).</summary>
    private static (FilterDataStatus Status, HttpStreamContext Stream) Body(ProxyWasmHost host, string body)
    {
        HttpStreamContext stream = host.CreateHttpStream();
        FilterDataStatus status = stream.OnRequestBody(Encoding.UTF8.GetBytes(body), endOfStream: true);
        return (status, stream);
    }

    [Fact]
    public void Without_configuration_the_plugin_starts_and_only_json_content_passes_the_headers()
    {
        // The Go unit test: StartPlugin OK; content-type text/html -> Pause; application/json -> Continue.
        using ProxyWasmHost host = Host();
        Assert.True(host.StartPlugin());

        HttpStreamContext html = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.StopIteration, html.OnRequestHeaders(Json("text/html"), endOfStream: true));
        Assert.Equal(403u, html.LocalResponse!.StatusCode);
        Assert.Equal("content-type must be provided", html.LocalResponse.BodyText);
        Assert.Equal(0, html.LocalResponse.Headers.Count);
        Assert.Equal("", html.LocalResponse.Details);
        Assert.Equal(-1, html.LocalResponse.GrpcStatus);
        html.Complete();

        HttpStreamContext json = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, json.OnRequestHeaders(Json(), endOfStream: true));
        Assert.Null(json.LocalResponse);
        json.Complete();
        Assert.Empty(host.Logs);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/json ")]
    [InlineData("")]
    [InlineData("text/plain")]
    public void Any_other_content_type_is_refused(string contentType)
    {
        using ProxyWasmHost host = Host(IdToken);
        HttpExchange exchange = host.Send(Post("{\"id\": 1, \"token\": 2}", contentType));
        Assert.Null(exchange.Upstream);
        Assert.Equal(403u, exchange.LocalResponse!.StatusCode);
        Assert.Equal("content-type must be provided", exchange.LocalResponse.BodyText);
        Assert.Equal("403", exchange.Response!.Headers.Get(":status"));
        Assert.DoesNotContain(exchange.Callbacks, c => c.Export == "proxy_on_request_body");
    }

    [Fact]
    public void A_get_without_content_type_gets_403()
    {
        // The e2e test: GET with no content-type -> 403.
        using ProxyWasmHost host = Host(IdToken);
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()));
        Assert.Null(exchange.Upstream);
        Assert.Equal(403u, exchange.LocalResponse!.StatusCode);
        Assert.Equal("content-type must be provided", exchange.LocalResponse.BodyText);
    }

    [Fact]
    public void A_payload_with_every_required_key_goes_upstream_untouched()
    {
        // The e2e test: POST application/json {"id": "abc123", "token": "xyz456"} -> 200.
        using ProxyWasmHost host = Host(IdToken);
        const string body = "{\"id\": \"abc123\", \"token\": \"xyz456\"}";
        HttpExchange exchange = host.Send(Post(body));
        Assert.NotNull(exchange.Upstream);
        Assert.Equal(body, Encoding.UTF8.GetString(exchange.Upstream!.Body));
        Assert.Null(exchange.LocalResponse);
        Assert.Equal("200", exchange.Response!.Headers.Get(":status"));
        Assert.Empty(host.Logs);
    }

    [Fact]
    public void With_a_required_key_the_body_is_validated()
    {
        // The Go unit test: config {"requiredKeys": ["my_key"]}; body callbacks with eos and no headers first.
        using ProxyWasmHost host = Host("{\"requiredKeys\": [\"my_key\"]}");
        Assert.True(host.StartPlugin());

        (FilterDataStatus status, HttpStreamContext stream) = Body(host, "invalid_payload");
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, status);
        Assert.Equal(403u, stream.LocalResponse!.StatusCode);
        Assert.Equal("invalid payload", stream.LocalResponse.BodyText);
        Assert.Equal(0, stream.LocalResponse.Headers.Count);
        Assert.Equal(-1, stream.LocalResponse.GrpcStatus);
        Assert.Equal(new LogEntry(LogLevel.Error, "body is not a valid json: \"invalid_payload\""), host.Logs[^1]);
        stream.Complete();

        (status, stream) = Body(host, "{\"unknown_key\":\"unknown_value\"}");
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, status);
        Assert.Equal("invalid payload", stream.LocalResponse!.BodyText);
        Assert.Equal(new LogEntry(LogLevel.Error, "required key (my_key) is missing: {\"unknown_key\":\"unknown_value\"}"), host.Logs[^1]);
        stream.Complete();

        int logs = host.Logs.Count;
        (status, stream) = Body(host, "{\"my_key\":\"my_value\"}");
        Assert.Equal(FilterDataStatus.Continue, status);
        Assert.Null(stream.LocalResponse);
        Assert.Equal(logs, host.Logs.Count);
        stream.Complete();
        Assert.Equal(2, host.Logs.Count);
    }

    [Fact]
    public void The_body_is_buffered_until_the_end_of_the_stream_and_validated_whole()
    {
        using ProxyWasmHost host = Host(IdToken);
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(Json(), endOfStream: false));
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody("{\"id\": 1,"u8.ToArray(), endOfStream: false));
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody(" \"tok"u8.ToArray(), endOfStream: false));
        Assert.Empty(host.Logs);
        Assert.Null(stream.LocalResponse);
        Assert.Equal(FilterDataStatus.Continue, stream.OnRequestBody("en\": 2}"u8.ToArray(), endOfStream: true));
        Assert.Equal("{\"id\": 1, \"token\": 2}", Encoding.UTF8.GetString(stream.RequestBody));
        Assert.Empty(host.Logs);
        stream.Complete();

        // The same split with the second key missing: only the whole body decides.
        stream = host.CreateHttpStream();
        stream.OnRequestHeaders(Json(), endOfStream: false);
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody("{\"id\": 1,"u8.ToArray(), endOfStream: false));
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody(" \"other\": 2}"u8.ToArray(), endOfStream: true));
        Assert.Equal(new LogEntry(LogLevel.Error, "required key (token) is missing: {\"id\": 1, \"other\": 2}"), Assert.Single(host.Logs));
        Assert.Equal(403u, stream.LocalResponse!.StatusCode);
        stream.Complete();
    }

    [Fact]
    public void An_empty_body_at_the_end_of_the_stream_reads_as_not_found_and_continues()
    {
        using ProxyWasmHost host = Host(IdToken);
        (FilterDataStatus status, HttpStreamContext stream) = Body(host, "");
        Assert.Equal(FilterDataStatus.Continue, status);
        Assert.Null(stream.LocalResponse);
        Assert.Equal(new[] { new LogEntry(LogLevel.Error, "failed to get request body: error status returned by host: not found") }, host.Logs);
        stream.Complete();
    }

    [Fact]
    public void The_first_missing_key_in_configuration_order_is_logged()
    {
        using ProxyWasmHost host = Host("{\"requiredKeys\": [\"a\", \"b\", \"c\"]}");
        Body(host, "{\"c\": 1, \"b\": 2}").Stream.Complete();
        Body(host, "{\"a\": 1, \"c\": 2}").Stream.Complete();
        Body(host, "{}").Stream.Complete();
        Assert.Equal(new[]
        {
            "required key (a) is missing: {\"c\": 1, \"b\": 2}",
            "required key (b) is missing: {\"a\": 1, \"c\": 2}",
            "required key (a) is missing: {}",
        }, host.Logs.Select(l => l.Message));
        Assert.Equal(FilterDataStatus.Continue, Body(host, "{\"b\": null, \"a\": [], \"c\": {\"x\": 1}}").Status);
    }

    [Theory]
    [InlineData("{\"outer\": {\"my_key\": 1}}")]
    [InlineData("{\"list\": [{\"my_key\": 1}], \"my_key_2\": 0}")]
    [InlineData("{\"My_Key\": 1}")]
    public void Only_top_level_member_names_count(string body)
    {
        using ProxyWasmHost host = Host("{\"requiredKeys\": [\"my_key\"]}");
        (FilterDataStatus status, HttpStreamContext stream) = Body(host, body);
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, status);
        Assert.Equal("required key (my_key) is missing: " + body, host.Logs.Single().Message);
        stream.Complete();
    }

    [Fact]
    public void Member_names_are_compared_unescaped()
    {
        using ProxyWasmHost host = Host("{\"requiredKeys\": [\"my_key\", \"caf\\u00e9\"]}");
        Assert.Equal(FilterDataStatus.Continue, Body(host, "{\"my\\u005fkey\": 1, \"café\": 2}").Status);
        Assert.Empty(host.Logs);
    }

    [Theory]
    [InlineData("[{\"my_key\": 1}]", "[{\"my_key\": 1}]")]
    [InlineData("  \n{\"a\": 1}  ", "{\"a\": 1}  ")]
    [InlineData("42", "42")]
    [InlineData("\"my_key\"", "my_key")]
    [InlineData("true", "true")]
    [InlineData("null", "")]
    public void A_valid_body_without_the_key_logs_it_as_gjson_prints_it(string body, string printed)
    {
        using ProxyWasmHost host = Host("{\"requiredKeys\": [\"my_key\"]}");
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, Body(host, body).Status);
        Assert.Equal("required key (my_key) is missing: " + printed, host.Logs.Single().Message);
    }

    [Theory]
    [InlineData("{\"my_key\": 1} x")]
    [InlineData("{\"my_key\": 1} {}")]
    [InlineData("{\"my_key\": 1,}")]
    [InlineData("{\"my_key\": 1 /* c */}")]
    [InlineData("{'my_key': 1}")]
    [InlineData("{\"my_key\": 1")]
    [InlineData("   ")]
    public void A_body_that_is_not_one_json_value_is_invalid(string body)
    {
        using ProxyWasmHost host = Host("{\"requiredKeys\": [\"my_key\"]}");
        (FilterDataStatus status, HttpStreamContext stream) = Body(host, body);
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, status);
        Assert.Equal("invalid payload", stream.LocalResponse!.BodyText);
        LogEntry log = host.Logs.Single();
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.StartsWith("body is not a valid json: \"", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_is_validated_even_when_no_key_is_required()
    {
        using ProxyWasmHost host = Host("{}");
        Assert.True(host.StartPlugin());
        Assert.Equal(FilterDataStatus.Continue, Body(host, "[1, 2, 3]").Status);
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, Body(host, "[1, 2").Status);
        Assert.Equal("body is not a valid json: \"[1, 2\"", host.Logs.Single().Message);
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_counts_as_invalid()
    {
        using ProxyWasmHost host = Host();
        string Nested(int depth) => string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth));
        Assert.Equal(FilterDataStatus.Continue, Body(host, Nested(64)).Status);
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, Body(host, Nested(65)).Status);
    }

    [Fact]
    public void The_body_is_quoted_as_go_quotes_it()
    {
        using ProxyWasmHost host = Host();
        byte[] body = [.. "a\"b\\c\n\t\r\a\b\f\v"u8, 0x01, 0x7f, .. "é€😀"u8, 0xc2, 0xa0, 0xe2, 0x80, 0x8b, 0xff, 0xc3, .. " z"u8];
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody(body, endOfStream: true));
        Assert.Equal("body is not a valid json: \"a\\\"b\\\\c\\n\\t\\r\\a\\b\\f\\v\\x01\\x7fé€😀\\u00a0\\u200b\\xff\\xc3 z\"", host.Logs.Single().Message);
        stream.Complete();
    }

    [Theory]
    [InlineData("{\"requiredKeys\": \"id\"}", new[] { "id" })]
    [InlineData("{\"requiredKeys\": []}", new string[0])]
    [InlineData("{\"requiredKeys\": null}", new string[0])]
    [InlineData("{\"other\": [\"id\"]}", new string[0])]
    [InlineData("[\"id\"]", new string[0])]
    [InlineData("{\"requiredKeys\": [\"id\", 7, \"token\"]}", new[] { "id", "", "token" })]
    [InlineData("{\"requiredKeys\": [\"first\"], \"requiredKeys\": [\"second\"]}", new[] { "first" })]
    public void The_configuration_is_read_as_gjson_reads_it(string configuration, string[] keys)
    {
        using ProxyWasmHost host = Host(configuration);
        Assert.True(host.StartPlugin());
        Assert.Empty(host.Logs);
        // A body with every key the tests name, and a member named "": the key "" (a non-string element) still fails.
        FilterDataStatus expected = keys.Contains("") ? FilterDataStatus.StopIterationAndBuffer : FilterDataStatus.Continue;
        Assert.Equal(expected, Body(host, "{\"id\": 1, \"token\": 2, \"first\": 3, \"second\": 4, \"\": 5}").Status);
        if (keys.Contains(""))
        {
            Assert.Equal("required key () is missing: {\"id\": 1, \"token\": 2, \"first\": 3, \"second\": 4, \"\": 5}", host.Logs.Single().Message);
        }

        // Each key is required: a body with none of them fails on the first.
        if (keys.Length > 0)
        {
            int logs = host.Logs.Count;
            Assert.Equal(FilterDataStatus.StopIterationAndBuffer, Body(host, "{\"zzz\": 0}").Status);
            Assert.Equal($"required key ({keys[0]}) is missing: {{\"zzz\": 0}}", host.Logs[logs].Message);
        }
        else
        {
            Assert.Equal(FilterDataStatus.Continue, Body(host, "{\"zzz\": 0}").Status);
        }
    }

    [Theory]
    [InlineData("{not json", "\"{not json\"")]
    [InlineData("{\"requiredKeys\": [\"id\"\n", "\"{\\\"requiredKeys\\\": [\\\"id\\\"\\n\"")]
    [InlineData("plain text", "\"plain text\"")]
    public void A_configuration_that_is_not_json_is_rejected_with_a_critical_log(string configuration, string quoted)
    {
        using ProxyWasmHost host = Host(configuration);
        Assert.False(host.StartPlugin());
        Assert.False(host.ConfigureResult);
        Assert.Equal(new[] { new LogEntry(LogLevel.Critical, "error parsing plugin configuration: the plugin configuration is not a valid json: " + quoted) }, host.Logs);
    }

    [Fact]
    public void A_request_without_a_body_is_not_validated()
    {
        using ProxyWasmHost host = Host(IdToken);
        HttpExchange exchange = host.Send(new HttpRequest(Json()));
        Assert.NotNull(exchange.Upstream);
        Assert.DoesNotContain(exchange.Callbacks, c => c.Export == "proxy_on_request_body");
        Assert.Empty(host.Logs);
        Assert.Equal(0, HostMemory.LiveBlocks);
    }
}
