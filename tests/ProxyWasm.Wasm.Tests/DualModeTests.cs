using System.Reflection;
using ProxyWasm.Samples;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Wasm.Tests;

/// <summary>
/// The same exchanges in the in-process host (a sample assembly with its generated glue) and under Wasmtime (the sample
/// written in C: modules/hello.c for samples/HelloWorld, modules/header_authorization.c for
/// samples/HeaderAuthorization): the same test code, the same observations.
/// </summary>
public sealed class DualModeTests
{
    public static TheoryData<string> Modules => ["hello", "header_authorization"];

    private static (Assembly Assembly, string RootId) Sample(string module) => module switch
    {
        "hello" => (typeof(HelloWorld).Assembly, "hello_world"),
        "header_authorization" => (typeof(HeaderAuthorization).Assembly, "header_authorization"),
        _ => throw new ArgumentOutOfRangeException(nameof(module), module, "no sample for this module"),
    };

    [SkippableTheory]
    [MemberData(nameof(Modules))]
    public void The_C_module_exports_what_the_glue_exports(string name)
    {
        // The C modules mirror the glue's export set by hand: when the generator changes which callbacks a sample
        // exports, this test names the difference, and the C module must follow.
        IEnumerable<string> glue = ModuleExports.Load(Sample(name).Assembly).Names.Order(StringComparer.Ordinal);
        using ProxyWasmHost wasm = TestModules.Host(name);
        IEnumerable<string> module = wasm.Exports.Names.Where(n => n.StartsWith("proxy_", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(glue, module);
    }

    [SkippableTheory]
    [MemberData(nameof(Modules))]
    public void The_same_exchanges_in_process_and_in_wasm_are_equal(string name)
    {
        WasmModule module = TestModules.Module(name);
        (Assembly assembly, string rootId) = Sample(name);
        var options = new HostOptions { RootId = rootId };
        HttpRequest[] requests =
        [
            new(Requests.Curl("example.com")),
            new(Requests.Curl("api.internal", ("x-hello", "spoofed"), ("allow", "true"))),
            new(Requests.Curl(new string('h', 600) + ".example", ("allow", "TRUE"))),
            new(new HeaderList()),
        ];
        HttpResponse upstream = new(new HeaderList(new[] { (":status", "201"), ("content-type", "text/plain") }), "made"u8.ToArray());

        (List<HttpExchange> Exchanges, List<CallbackRecord> Callbacks, List<LogEntry> Logs) Run(Func<ProxyWasmHost> create)
        {
            var exchanges = new List<HttpExchange>();
            ProxyWasmHost host = create();
            using (host)
            {
                Assert.True(host.StartPlugin());
                exchanges.AddRange(requests.Select(r => host.Send(r, upstream)));
                Assert.Null(host.VmFailure);
            }

            // After Dispose: the root context's last callbacks are in the record too.
            return (exchanges, host.Callbacks.ToList(), host.Logs.ToList());
        }

        var inProcess = Run(() => new ProxyWasmHost(assembly, options));
        var wasm = Run(() => ProxyWasmHost.LoadWasm(module, options));

        Assert.Equal(requests.Length, wasm.Exchanges.Count);
        for (int i = 0; i < requests.Length; i++)
        {
            HttpExchange expected = inProcess.Exchanges[i], actual = wasm.Exchanges[i];
            Assert.Equal(Requests.Lines(expected.Upstream?.Headers), Requests.Lines(actual.Upstream?.Headers));
            Assert.Equal(expected.Upstream?.Body, actual.Upstream?.Body);
            Assert.Equal(Requests.Lines(expected.Response?.Headers), Requests.Lines(actual.Response?.Headers));
            Assert.Equal(expected.Response?.Body, actual.Response?.Body);
            Assert.Equal(Describe(expected.LocalResponse), Describe(actual.LocalResponse));
            Assert.Equal(expected.Callbacks, actual.Callbacks);
            Assert.Equal(expected.Logs, actual.Logs);
        }

        // The exchanges did something (a test of two empty records would pass too).
        Assert.Contains(wasm.Callbacks, c => c.Export == "proxy_on_request_headers");
        Assert.Contains(wasm.Exchanges, e => e.Upstream is not null);
        Assert.Equal(inProcess.Callbacks, wasm.Callbacks);
        Assert.Equal(inProcess.Logs, wasm.Logs);
    }

    [SkippableFact]
    public void The_compared_exchanges_include_a_local_response_and_a_log_line()
    {
        // What The_same_exchanges_… compares for header_authorization is not vacuous: a denied request is a local
        // 403 with a log line in both hosts.
        using ProxyWasmHost wasm = TestModules.Host("header_authorization");
        HttpExchange denied = wasm.Send(new HttpRequest(Requests.Curl()));

        Assert.Equal(403u, denied.LocalResponse?.StatusCode);
        Assert.Single(denied.Logs);
    }

    private static string? Describe(LocalResponse? local) => local is null
        ? null
        : $"{local.StatusCode} [{local.Details}] {local.GrpcStatus} [{string.Join(", ", Requests.Lines(local.Headers))}] {local.BodyText}";
}
