using ProxyWasm.Samples.Tests.TestFilters;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests;

/// <summary>The in-process host derives Envoy's request and response attributes from the stream, answers plugin_*
/// everywhere and everything else from HostOptions.Properties or SetProperty; the typed accessors decode them.</summary>
public sealed class PropertiesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 1, 2, 3, TimeSpan.Zero);

    private static HostOptions Options(Dictionary<string, byte[]>? properties = null) => new()
    {
        RootId = "property_reader",
        VmId = "vm-1",
        Clock = () => Now,
        Properties = properties ?? new Dictionary<string, byte[]>(StringComparer.Ordinal),
    };

    private static HeaderList Request() => new(new[]
    {
        (":authority", "example.com"), (":path", "/get?a=1&b=2#top"), (":method", "POST"), (":scheme", "https"),
        ("user-agent", "curl/8.5.0"), ("referer", "https://example.org/"), ("x-request-id", "rid-1"),
        ("x-multi", "one"), ("X-Multi", "two"), ("content-length", "5"),
    });

    private static Dictionary<string, string> Parse(string? header)
        => header!.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void Request_attributes_come_from_the_stream_and_the_rest_from_the_options()
    {
        using var host = new ProxyWasmHost(typeof(PropertiesTests).Assembly, Options(new(StringComparer.Ordinal)
        {
            [PropertyValue.Path("source", "address")] = PropertyValue.String("10.0.0.7:5555"),
            [PropertyValue.Path("source", "port")] = PropertyValue.Int64(5555),
            [PropertyValue.Path("xds", "cluster_name")] = PropertyValue.String("backend"),
        }));

        HttpExchange exchange = host.Send(new HttpRequest(Request(), "hello"u8.ToArray()));

        Dictionary<string, string> props = Parse(exchange.Upstream!.Headers.Get("x-request-props"));
        Assert.Equal("NotFound", props["root_path"]);
        Assert.Equal("/get?a=1&b=2#top", props["path"]);
        Assert.Equal("/get", props["url_path"]);
        Assert.Equal("a=1&b=2", props["query"]);
        Assert.Equal("example.com", props["host"]);
        Assert.Equal("https", props["scheme"]);
        Assert.Equal("POST", props["method"]);
        Assert.Equal("HTTP/1.1", props["protocol"]);
        Assert.Equal("rid-1", props["id"]);
        Assert.Equal("curl/8.5.0", props["ua"]);
        Assert.Equal("https://example.org/", props["referer"]);
        Assert.Equal("one,two", props["x-multi"]);
        Assert.Equal("9", props["headers"]);
        Assert.Equal("one,two", props["headers.x-multi"]);
        Assert.Equal(PropertyValue.Nanoseconds(Now).ToString(System.Globalization.CultureInfo.InvariantCulture), props["time"]);
        Assert.Equal("NotFound", props["code"]);
        Assert.Equal("10.0.0.7:5555", props["source"]);
        Assert.Equal("5555", props["source_port"]);
        Assert.Equal("vm-1", props["vm"]);
        Assert.Equal("backend", props["cluster"]);
        Assert.Equal("seen"u8.ToArray(), host.GetSetProperty("filter_state\0property_reader"));
    }

    [Fact]
    public void Response_attributes_come_from_the_response_headers()
    {
        using var host = new ProxyWasmHost(typeof(PropertiesTests).Assembly, Options());
        var upstream = new HttpResponse(new HeaderList(new[] { (":status", "201"), ("server", "envoy") }), "abc"u8.ToArray());

        HttpExchange exchange = host.Send(new HttpRequest(Request(), "hello"u8.ToArray()), upstream);

        Dictionary<string, string> props = Parse(exchange.Response!.Headers.Get("x-response-props"));
        Assert.Equal("201", props["code"]);
        Assert.Equal("via_upstream", props["details"]);
        Assert.Equal("envoy", props["server"]);
        Assert.Equal("0", props["size"]); // the body has not passed yet when the response headers do (Envoy: bytes sent)
        Assert.Equal("5", props["request_size"]);
        Assert.Equal("seen", props["state"]);
    }

    [Fact]
    public void Outside_a_stream_stream_attributes_are_not_found_and_SetProperty_overrides_between_requests()
    {
        using var host = new ProxyWasmHost(typeof(PropertiesTests).Assembly, Options());
        Assert.True(host.StartPlugin());
        Assert.Null(host.GetProperty("request\0path"));
        Assert.Equal("property_reader"u8.ToArray(), host.GetProperty("plugin_name"));

        host.SetProperty("request\0protocol", PropertyValue.String("HTTP/2"));
        host.SetProperty("response\0code", PropertyValue.Int64(418));
        Dictionary<string, string> first = Parse(host.Send(new HttpRequest(Request())).Upstream!.Headers.Get("x-request-props"));
        Assert.Equal("HTTP/2", first["protocol"]);
        Assert.Equal("418", first["code"]);

        host.SetProperty("response\0code", PropertyValue.Bool(true));
        Assert.True(host.ClearProperty("request\0protocol"));
        Dictionary<string, string> second = Parse(host.Send(new HttpRequest(Request())).Upstream!.Headers.Get("x-request-props"));
        Assert.Equal("HTTP/1.1", second["protocol"]);
        Assert.Equal("SerializationFailure", second["code"]);
    }

    [Fact]
    public void A_local_response_gives_response_code_and_details()
    {
        using var host = new ProxyWasmHost(typeof(PropertiesTests).Assembly, Options());
        HeaderList request = Request();
        request.Add("x-deny", "1");

        HttpExchange exchange = host.Send(new HttpRequest(request));

        Assert.Equal(403u, exchange.LocalResponse!.StatusCode);
        Dictionary<string, string> props = Parse(exchange.Response!.Headers.Get("x-response-props"));
        Assert.Equal("403", props["code"]);
        Assert.Equal("denied_by_reader", props["details"]);
        Assert.Equal("NotFound", props["server"]);
        Assert.Equal("NotFound", props["state"]);
    }
}
