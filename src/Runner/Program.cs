using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Reflection;
using System.Text;
using ProxyWasm;
using ProxyWasm.Samples;
using ProxyWasm.Testing;

var samples = new Dictionary<string, (Assembly Module, string RootId)>(StringComparer.OrdinalIgnoreCase)
{
    ["hello-world"] = (typeof(HelloWorld).Assembly, "hello_world"),
    ["header-authorization"] = (typeof(HeaderAuthorization).Assembly, "header_authorization"),
    ["add-header"] = (typeof(AddHeader).Assembly, "add_header"),
    ["response-header"] = (typeof(ResponseHeader).Assembly, "response_header"),
};

var sampleArgument = new Argument<string>("sample")
{
    Description = "The sample filter: " + string.Join(", ", samples.Keys),
    DefaultValueFactory = _ => "hello-world",
};
var headerOption = new Option<string[]>("--header", "-H")
{
    Description = "A request header 'name: value' (repeatable). Without any, a typical curl request to example.com is sent.",
    AllowMultipleArgumentsPerToken = false,
};
var configOption = new Option<string?>("--config")
{
    Description = "The plugin configuration (text), as Envoy's `configuration` value.",
};

var root = new RootCommand("Runs one HTTP request through a ProxyWasm sample filter in the in-process Proxy-Wasm host and prints what the filter did.")
{
    sampleArgument,
    headerOption,
    configOption,
};

root.SetAction(parse =>
{
    string name = parse.GetValue(sampleArgument)!;
    if (!samples.TryGetValue(name, out var sample))
    {
        Console.Error.WriteLine($"Unknown sample '{name}'. Known: {string.Join(", ", samples.Keys)}.");
        return 2;
    }

    string[] headerArgs = parse.GetValue(headerOption) ?? Array.Empty<string>();
    var headers = new HeaderList();
    if (headerArgs.Length == 0)
    {
        foreach ((string n, string v) in new[]
        {
            (":method", "GET"), (":scheme", "http"), (":authority", "example.com"), (":path", "/get"),
            ("user-agent", "curl/8.5.0"), ("accept", "*/*"), ("x-request-id", "0b9e911a-26d3-4b4d-9b1d-5f94178e39d0"),
        })
        {
            headers.Add(n, v);
        }
    }
    else
    {
        foreach (string header in headerArgs)
        {
            int colon = header.IndexOf(':', header.StartsWith(':') ? 1 : 0);
            if (colon <= 0)
            {
                Console.Error.WriteLine($"--header '{header}' is not 'name: value'.");
                return 2;
            }

            headers.Add(header[..colon].Trim(), header[(colon + 1)..].Trim());
        }
    }

    var options = new HostOptions
    {
        RootId = sample.RootId,
        PluginConfiguration = Encoding.UTF8.GetBytes(parse.GetValue(configOption) ?? string.Empty),
    };

    using var host = new ProxyWasmHost(sample.Module, options);
    Console.WriteLine($"module {sample.Module.GetName().Name}, root id \"{options.RootId}\"");
    Console.WriteLine($"exports: {string.Join(", ", host.Exports.Names.OrderBy(n => n, StringComparer.Ordinal))}");
    bool accepted = host.StartPlugin();
    Console.WriteLine($"plugin started: vm_start={Show(host.VmStartResult)}, configure={Show(host.ConfigureResult)}{(accepted ? string.Empty : "  (rejected)")}");

    HttpExchange exchange = host.Send(new HttpRequest(headers));

    Console.WriteLine();
    Console.WriteLine("request from the client:");
    PrintHeaders(exchange.Request.Headers, null);
    Console.WriteLine();
    Console.WriteLine("callbacks:");
    foreach (CallbackRecord call in exchange.Callbacks)
    {
        Console.WriteLine($"  {call.Export}({call.ContextId}) -> {Describe(call)}");
    }

    Console.WriteLine();
    if (exchange.Upstream is { } upstream)
    {
        Console.WriteLine("request sent upstream (+ added or changed, - removed):");
        PrintHeaders(upstream.Headers, exchange.Request.Headers);
    }
    else
    {
        Console.WriteLine("request sent upstream: none, the filter stopped it");
    }

    Console.WriteLine();
    if (exchange.LocalResponse is { } local)
    {
        Console.WriteLine($"local response from the filter: {local.StatusCode}{(local.Details.Length == 0 ? string.Empty : " (" + local.Details + ")")}");
    }

    if (exchange.Response is { } response)
    {
        Console.WriteLine("response to the client (+ added or changed by the filter):");
        PrintHeaders(response.Headers, exchange.LocalResponse is null ? HttpResponse.Ok().Headers : null);
        if (response.Body.Length != 0)
        {
            Console.WriteLine($"  body: {Quote(response.BodyText)}");
        }
    }

    Console.WriteLine();
    Console.WriteLine(exchange.Logs.Count == 0 ? "log: (nothing)" : "log:");
    foreach (LogEntry entry in exchange.Logs)
    {
        Console.WriteLine($"  {entry}");
    }

    return 0;
});

return root.Parse(args).Invoke();

static string Show(bool? value) => value is null ? "not exported" : value.Value ? "true" : "false";

static string Describe(CallbackRecord call) => call.Result is not { } result ? "void" : call.Export switch
{
    "proxy_on_request_headers" or "proxy_on_response_headers" => $"{(FilterHeadersStatus)result} ({result})",
    "proxy_on_request_body" or "proxy_on_response_body" => $"{(FilterDataStatus)result} ({result})",
    "proxy_on_request_trailers" or "proxy_on_response_trailers" => $"{(FilterTrailersStatus)result} ({result})",
    _ => result.ToString(System.Globalization.CultureInfo.InvariantCulture),
};

static string Quote(string text) => "\"" + text.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

static void PrintHeaders(HeaderList headers, HeaderList? before)
{
    foreach (Header header in headers)
    {
        bool changed = before is not null && !before.Any(h => h.Name.AsSpan().SequenceEqual(header.Name) && h.Value.AsSpan().SequenceEqual(header.Value));
        Console.WriteLine($"{(changed ? "+ " : "  ")}{header}");
    }

    if (before is null)
    {
        return;
    }

    foreach (Header old in before)
    {
        if (!headers.Any(h => h.Name.AsSpan().SequenceEqual(old.Name)))
        {
            Console.WriteLine($"- {old}");
        }
    }
}
