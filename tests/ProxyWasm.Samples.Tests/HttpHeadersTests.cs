using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Rust SDK's http_headers, in the in-process host: every request and response header logged with the
/// stream's context id in host order, <c>/hello</c> answered locally (and its local reply's headers logged by the
/// response hook, as in Envoy), any other path sent upstream, and the completion line at <c>proxy_on_log</c>.</summary>
public sealed class HttpHeadersTests
{
    private static ProxyWasmHost Host(ModuleTarget target) => target.CreateHost(typeof(HttpHeaders).Assembly, new HostOptions { RootId = "http_headers" });

    public static TheoryData<ModuleTarget> Targets => new(ModuleTarget.For(typeof(HttpHeaders).Assembly));

    private static HeaderList Request(string? path) => new(new[] { (":authority", "localhost:10000"), (":method", "GET") }
        .Concat(path is null ? [] : new[] { (":path", path) })
        .Concat(new[] { ("user-agent", "curl/8.5.0"), ("accept", "*/*") }));

    private static string[] Info(IEnumerable<LogEntry> logs) => logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    [Theory, MemberData(nameof(Targets))]
    public void Request_and_response_headers_are_logged_in_host_order_then_completed(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        var response = new HttpResponse(new HeaderList(new[] { (":status", "200"), ("content-type", "text/plain"), ("x-multi", "a"), ("x-multi", "b") }),
            "Request /hello and be welcomed!\n"u8.ToArray());
        HttpExchange exchange = host.Send(Requests.Get(Requests.Curl()), response);

        Assert.Null(exchange.LocalResponse);
        Assert.NotNull(exchange.Upstream);
        Assert.Equal(Requests.Curl().Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        Assert.Equal("Request /hello and be welcomed!\n", exchange.Response!.BodyText);
        Assert.Equal(new[]
        {
            "#2 -> :authority: example.com",
            "#2 -> :path: /get",
            "#2 -> :method: GET",
            "#2 -> :scheme: http",
            "#2 -> user-agent: curl/8.5.0",
            "#2 -> accept: */*",
            "#2 -> x-forwarded-proto: http",
            "#2 -> x-request-id: 5f94178e-39d0-4c4d-8b9e-911a26d38040",
            "#2 -> x-envoy-expected-rq-timeout-ms: 15000",
            "#2 <- :status: 200",
            "#2 <- content-type: text/plain",
            "#2 <- x-multi: a",
            "#2 <- x-multi: b",
            "#2 completed.",
        }, exchange.Logs.Select(l => l.Message));
        Assert.All(exchange.Logs, l => Assert.Equal(LogLevel.Info, l.Level));
        Assert.Equal(0u, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Equal(0u, exchange.Callbacks.Single(c => c.Export == "proxy_on_response_headers").Result);
        if (target == ModuleTarget.InProcess)
        {
            // The module's own allocations, in this process (a .wasm module's are in its linear memory).
            Assert.Equal(0, HostMemory.LiveBlocks);
        }
    }

    [Theory, MemberData(nameof(Targets))]
    public void Hello_is_answered_locally_with_200_the_two_headers_and_the_greeting_and_the_reply_headers_are_logged(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange exchange = host.Send(Requests.Get(Request("/hello")));

        Assert.Null(exchange.Upstream);
        LocalResponse local = Assert.IsType<LocalResponse>(exchange.LocalResponse);
        Assert.Equal(200u, local.StatusCode);
        Assert.Equal("Hello, World!\n", local.BodyText);
        Assert.Equal(new[] { ("hello", "World"), ("powered-by", "proxy-wasm") }, local.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal(-1, local.GrpcStatus);
        Assert.Equal("", local.Details);
        Assert.Equal(1u, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result); // StopIteration

        Assert.Equal(new[] { (":status", "200"), ("hello", "World"), ("powered-by", "proxy-wasm") }, exchange.Response!.Headers.Select(h => (h.NameText, h.ValueText)));
        Assert.Equal("Hello, World!\n", Encoding.UTF8.GetString(exchange.Response.Body));
        Assert.Equal(new[]
        {
            "#2 -> :authority: localhost:10000",
            "#2 -> :method: GET",
            "#2 -> :path: /hello",
            "#2 -> user-agent: curl/8.5.0",
            "#2 -> accept: */*",
            "#2 <- :status: 200",
            "#2 <- hello: World",
            "#2 <- powered-by: proxy-wasm",
            "#2 completed.",
        }, Info(exchange.Logs));
        Assert.Equal(exchange.Logs.Count, Info(exchange.Logs).Length);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/hello/")]
    [InlineData("/hello?name=x")]
    [InlineData("/HELLO")]
    [InlineData("/hell")]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData(null)]
    public void Any_other_path_or_none_continues_upstream(string? path)
    {
        using ProxyWasmHost host = Host(ModuleTarget.InProcess);
        HttpExchange exchange = host.Send(Requests.Get(Request(path)));

        Assert.Null(exchange.LocalResponse);
        Assert.NotNull(exchange.Upstream);
        Assert.Equal(Request(path).Select(h => h.ToString()), exchange.Upstream!.Headers.Select(h => h.ToString()));
        Assert.Equal(0u, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Equal("200", exchange.Response!.Headers.Get(":status"));
        Assert.Equal(new[] { "#2 <- :status: 200", "#2 completed." }, Info(exchange.Logs)[^2..]);
        Assert.Equal(Request(path).Count + 2, exchange.Logs.Count);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Only_the_first_path_value_counts_as_Envoys_lookup_gives_it(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        var headers = new HeaderList(new[] { (":path", "/other"), (":path", "/hello") });
        Assert.Null(host.Send(Requests.Get(headers)).LocalResponse);

        headers = new HeaderList(new[] { (":path", "/hello"), (":path", "/other") });
        Assert.Equal(200u, host.Send(Requests.Get(headers)).LocalResponse?.StatusCode);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Each_stream_logs_its_own_context_id_and_completes_on_proxy_on_log(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpExchange first = host.Send(Requests.Get(Request("/hello")));
        HttpExchange second = host.Send(Requests.Get(Request("/x")));

        Assert.All(Info(first.Logs), m => Assert.StartsWith("#2 ", m, StringComparison.Ordinal));
        Assert.All(Info(second.Logs), m => Assert.StartsWith("#3 ", m, StringComparison.Ordinal));
        Assert.Equal("#3 completed.", second.Logs[^1].Message);

        // The completion line is proxy_on_log's (the module exports no proxy_on_done: cpp-host's default is done).
        HttpStreamContext stream = host.CreateHttpStream();
        stream.OnRequestHeaders(new HeaderList(), endOfStream: true);
        Assert.DoesNotContain(host.Logs, l => l.Message == "#4 completed.");
        stream.Complete();
        Assert.Equal(new LogEntry(LogLevel.Info, "#4 completed."), host.Logs[^1]);
        Assert.Equal(new[] { "proxy_on_context_create", "proxy_on_request_headers", "proxy_on_log", "proxy_on_delete" }, stream.Callbacks.Select(c => c.Export));
    }

    [Theory, MemberData(nameof(Targets))]
    public void Empty_maps_log_nothing_and_long_values_are_logged_whole(ModuleTarget target)
    {
        using ProxyWasmHost host = Host(target);
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(new HeaderList(), endOfStream: true));
        Assert.Empty(host.Logs);

        string value = new('v', 4000);
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnResponseHeaders(new HeaderList(new[] { ("x-long", value) }), endOfStream: true));
        Assert.Equal(new LogEntry(LogLevel.Info, "#2 <- x-long: " + value), Assert.Single(host.Logs));
        stream.Complete();
    }
}
