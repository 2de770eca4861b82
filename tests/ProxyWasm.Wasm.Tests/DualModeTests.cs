using ProxyWasm.Samples;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>
/// The same exchange in the in-process host (samples/HelloWorld, the assembly with its generated glue) and under
/// Wasmtime (modules/hello.c, HelloWorld in C): the same test code, the same observations.
/// </summary>
public sealed class DualModeTests
{
    private static readonly HostOptions Options = new() { RootId = "hello_world" };

    [SkippableFact]
    public void The_C_hello_module_exports_what_the_HelloWorld_glue_exports()
    {
        // hello.c mirrors the glue's export set by hand: when the generator changes which callbacks HelloWorld exports,
        // this test names the difference, and hello.c must follow.
        IEnumerable<string> glue = ModuleExports.Load(typeof(HelloWorld).Assembly).Names.Order(StringComparer.Ordinal);
        using ProxyWasmHost wasm = TestModules.Host("hello");
        IEnumerable<string> module = wasm.Exports.Names.Where(n => n.StartsWith("proxy_", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(glue, module);
    }

    [SkippableFact]
    public void One_exchange_in_process_and_in_wasm_is_the_same()
    {
        WasmModule module = TestModules.Module("hello");
        HttpRequest[] requests =
        [
            new(Requests.Curl("example.com")),
            new(Requests.Curl("api.internal", ("x-hello", "spoofed"))),
            new(Requests.Curl(new string('h', 600) + ".example")),
            new(new HeaderList()),
        ];
        HttpResponse upstream = new(new HeaderList(new[] { (":status", "201"), ("content-type", "text/plain") }), "made"u8.ToArray());

        (List<HttpExchange> exchanges, List<CallbackRecord> callbacks, List<LogEntry> logs) Run(Func<ProxyWasmHost> create)
        {
            var exchanges = new List<HttpExchange>();
            ProxyWasmHost host = create();
            using (host)
            {
                Assert.True(host.StartPlugin());
                exchanges.AddRange(requests.Select(r => host.Send(r, upstream)));
                Assert.Null(host.VmFailure);
            }

            // After Dispose: the root context's proxy_on_done / proxy_on_delete are in the record too.
            return (exchanges, host.Callbacks.ToList(), host.Logs.ToList());
        }

        var inProcess = Run(() => new ProxyWasmHost(typeof(HelloWorld).Assembly, Options));
        var wasm = Run(() => ProxyWasmHost.LoadWasm(module, Options));

        Assert.Equal(requests.Length, wasm.exchanges.Count);
        for (int i = 0; i < requests.Length; i++)
        {
            HttpExchange expected = inProcess.exchanges[i], actual = wasm.exchanges[i];
            Assert.Equal(Requests.Lines(expected.Upstream?.Headers), Requests.Lines(actual.Upstream?.Headers));
            Assert.Equal(expected.Upstream?.Body, actual.Upstream?.Body);
            Assert.Equal(Requests.Lines(expected.Response?.Headers), Requests.Lines(actual.Response?.Headers));
            Assert.Equal(expected.Response?.Body, actual.Response?.Body);
            Assert.Equal(Describe(expected.LocalResponse), Describe(actual.LocalResponse));
            Assert.Equal(expected.Callbacks, actual.Callbacks);
            Assert.Equal(expected.Logs, actual.Logs);
        }

        Assert.Equal("Hello world from example.com", wasm.exchanges[0].Upstream!.Headers.Get("x-hello"));
        Assert.Contains(wasm.callbacks, c => c.Export == "proxy_on_request_headers");
        Assert.Equal(inProcess.callbacks, wasm.callbacks);
        Assert.Equal(inProcess.logs, wasm.logs);
    }

    private static string? Describe(LocalResponse? local) => local is null
        ? null
        : $"{local.StatusCode} {local.Details} {local.GrpcStatus} [{string.Join(", ", Requests.Lines(local.Headers))}] {local.BodyText}";
}
