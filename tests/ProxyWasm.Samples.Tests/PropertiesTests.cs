using System.Text;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The Go SDK's properties example in the in-process host: the route metadata names the header a request
/// must carry.</summary>
public sealed class PropertiesTests
{
    private const string AuthPath = "route_metadata\0filter_metadata\0envoy.filters.http.wasm\0auth";

    private static ProxyWasmHost Host(string? auth = null)
    {
        var properties = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (auth is not null)
        {
            properties[AuthPath] = Encoding.UTF8.GetBytes(auth);
        }

        return new ProxyWasmHost(typeof(PropertiesFilter).Assembly, new HostOptions { RootId = "properties", Properties = properties });
    }

    private static string[] Info(ProxyWasmHost host) => host.Logs.Where(l => l.Level == LogLevel.Info).Select(l => l.Message).ToArray();

    [Fact]
    public void The_go_unit_test()
    {
        using ProxyWasmHost host = Host();

        // No property: Continue, and the stream logs its end on proxy_on_log.
        HttpStreamContext first = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, first.OnRequestHeaders(new HeaderList(), endOfStream: true));
        first.Complete();
        Assert.Equal(new[] { "no auth header for route", $"{first.ContextId} finished" }, Info(host));

        // The host sets the property to cookie; a request with a cookie header continues.
        host.Options.Properties[AuthPath] = "cookie"u8.ToArray();
        HttpStreamContext second = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, second.OnRequestHeaders(new HeaderList(new[] { ("cookie", "value") }), endOfStream: true));
        second.Complete();
        Assert.Equal(new[] { "auth header is \"cookie\"", $"{second.ContextId} finished" }, Info(host).Skip(2));

        // No headers: paused with a local 401, no body, gRPC status 16.
        HttpStreamContext third = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.StopIteration, third.OnRequestHeaders(new HeaderList(), endOfStream: true));
        LocalResponse local = Assert.IsType<LocalResponse>(third.LocalResponse);
        Assert.Equal((401u, 16, 0, 0), (local.StatusCode, local.GrpcStatus, local.Body.Length, local.Headers.Count));
        Assert.Equal(string.Empty, local.Details);
        third.Complete();
        Assert.Equal($"{third.ContextId} finished", Info(host)[^1]);
    }

    [Fact]
    public void The_finished_line_comes_from_on_log_after_on_done()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(new HttpRequest(Requests.Curl()));
        int log = exchange.Callbacks.ToList().FindIndex(c => c.Export == "proxy_on_log");
        Assert.True(log > 0);
        Assert.Equal($"{exchange.Callbacks[0].ContextId} finished", exchange.Logs[^1].Message);
        Assert.DoesNotContain(exchange.Callbacks, c => c.Export == "proxy_on_done" && c.Result == 0);
    }

    [Theory]
    [InlineData("cookie", "cookie", true)]
    [InlineData("authorization", "authorization", true)]
    [InlineData("cookie", "cookies", false)]
    [InlineData("cookie", "x-cookie", false)]
    public void Only_a_header_whose_name_equals_the_metadata_passes(string auth, string header, bool passes)
    {
        using ProxyWasmHost host = Host(auth);
        HeaderList headers = Requests.Curl();
        headers.Add(header, "token");
        HttpExchange exchange = host.Send(new HttpRequest(headers));
        Assert.Equal(passes, exchange.Upstream is not null);
        Assert.Equal(passes ? 200u : 401u, passes ? 200u : exchange.LocalResponse!.StatusCode);
        Assert.Equal(passes ? "200" : "401", exchange.Response!.Headers.Get(":status"));
        Assert.Contains($"auth header is \"{auth}\"", exchange.Logs.Select(l => l.Message));
    }

    [Fact]
    public void A_header_value_equal_to_the_metadata_does_not_count()
    {
        using ProxyWasmHost host = Host("cookie");
        HeaderList headers = Requests.Curl();
        headers.Add("x-auth", "cookie");
        HttpExchange exchange = host.Send(new HttpRequest(headers));
        Assert.Null(exchange.Upstream);
        Assert.Equal(401u, exchange.LocalResponse!.StatusCode);
    }

    [Fact]
    public void An_empty_metadata_value_is_checked_as_an_empty_name()
    {
        using ProxyWasmHost host = Host(string.Empty);
        HttpExchange exchange = host.Send(new HttpRequest(Requests.Curl()));
        Assert.Equal(401u, exchange.LocalResponse!.StatusCode);
        Assert.Contains("auth header is \"\"", exchange.Logs.Select(l => l.Message));
    }

    [Fact]
    public void A_route_without_metadata_passes_every_request()
    {
        using ProxyWasmHost host = Host();
        HttpExchange exchange = host.Send(new HttpRequest(Requests.Curl()));
        Assert.NotNull(exchange.Upstream);
        Assert.Equal(new[] { "no auth header for route", $"{exchange.Callbacks[0].ContextId} finished" }, exchange.Logs.Select(l => l.Message));
    }
}
