using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// Real requests through each native module, driven by the C host (host/host_*.c): it defines the v0.2.1
/// host functions the module's undefined proxy_* symbols bind to, calls the exports in proxy-wasm-cpp-host's order,
/// and reports headers sent upstream and downstream, local responses, logs and the actions callbacks returned.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class NativeHostTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const string Forbidden = "Forbidden by ASM Wasm Plugin, csharp version\n";

    public static IEnumerable<object[]> Samples() => Repo.SampleNames();

    /// <summary>The samples whose plugin needs more than an empty root id to start and pass every host call: root id,
    /// plugin configuration, VM id, properties (Properties' route names the request's <c>allow</c> header).</summary>
    private static readonly Dictionary<string, (string RootId, string? Configuration, string? VmId, List<(string, byte[])> Properties)> SampleSetup = new()
    {
        ["Properties"] = ("properties", null, null, [("route_metadata\0filter_metadata\0envoy.filters.http.wasm\0auth", "allow"u8.ToArray())]),
        ["SharedQueue"] = ("receiver", "http_request_headers", "receiver", []),
        ["ConfiguredHeaders"] = ("configured_headers", """{"set_request_id_in_response": true}""", null, [("request\0id", "native-request-id"u8.ToArray())]),
    };

    /// <summary>The samples that read a header which may be absent, by design (ConfiguredHeaders' bound
    /// <c>[Header("x-request-id")] bool</c> of the response): that lookup may answer NotFound (1).</summary>
    private static readonly HashSet<string> SampleReadsAbsentHeaders = ["ConfiguredHeaders"];

    /// <summary>The samples with an [OnLog] hook (the Go SDK runs OnHttpStreamDone/OnStreamDone on proxy_on_log).</summary>
    private static readonly HashSet<string> SampleExportsLog = ["HttpHeaders", "Network", "Properties"];

    [SkippableFact]
    public void Host_defines_exactly_the_v021_host_functions()
    {
        string host = build.Host();
        var defined = Symbols.Defined(host)
            .Where(s => s.Type == 'T' && s.Name.StartsWith("proxy_", StringComparison.Ordinal))
            .Select(s => s.Name)
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Repo.HostFunctionNames().OrderBy(n => n, StringComparer.Ordinal), defined);
    }

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Module_runs_the_cpp_host_call_order_using_only_implemented_host_functions(string sample)
    {
        PublishedSample published = build.Published(sample);
        (string rootId, string? configuration, string? vmId, List<(string, byte[])> properties) = SampleSetup.TryGetValue(sample, out var setup)
            ? setup
            : ("", null, null, []);
        HostRun run = HostRun.Execute(build, published.Library, new HostInput
        {
            RootId = rootId,
            PluginConfiguration = configuration,
            VmId = vmId,
            Properties = properties,
            Streams = 3,
            // allow: true lets HeaderAuthorization through; a gRPC content-type takes GrpcAuthRandom to its callout
            // (which the host answers with an empty message, status OK); my-custom-header gives Metrics a counter to
            // define and increment (without it, its header lookup answers NotFound).
            RequestHeaders = [(":authority", "example.com"), (":method", "GET"), (":path", "/"), ("allow", "true"), ("content-type", "application/grpc"), ("my-custom-header", "native")],
            ResponseHeaders = [(":status", "200")],
        });

        // Every host function the module called is one this host implements (none answered UNIMPLEMENTED = 12),
        // and each succeeded.
        Assert.All(run.HostCalls(), call => Assert.True(
            call.Status == 0 || (call.Status == 1 && call.Function == "proxy_get_header_map_value" && SampleReadsAbsentHeaders.Contains(sample)),
            $"{call.Function} returned {call.Status}.\n{run.Dump()}"));

        var calls = run.Calls();
        if (Repo.UntrackedSamples.Contains(sample))
        {
            // Untracked streams: no context create or delete exported, so the host calls each stream's one hook alone
            // and nothing on the root context.
            Assert.DoesNotContain(calls, c => c.Context == Root);
            for (uint stream = Stream; stream < Stream + 3; stream++)
            {
                Assert.Equal(["proxy_on_request_headers"], calls.Where(c => c.Context == stream).Select(c => c.Callback));
            }

            return;
        }

        Assert.Equal(("proxy_on_context_create", "1,0"), (calls[0].Callback, calls[0].Arguments));
        bool exportsDone = run.OfKind("module_export").Any(r => r.Fields[0] == "proxy_on_done");
        bool exportsLog = run.OfKind("module_export").Any(r => r.Fields[0] == "proxy_on_log");
        Assert.Equal(SampleExportsLog.Contains(sample), exportsLog);
        for (uint stream = Stream; stream < Stream + 3; stream++)
        {
            var order = calls.Where(c => c.Context == stream).Select(c => c.Callback).ToList();
            Assert.Equal("proxy_on_context_create", order[0]);
            // Without an [OnStreamDone] or [OnLog] hook the module exports neither callback and the host finishes the
            // stream with proxy_on_delete alone, as proxy-wasm-cpp-host does; an [OnLog] hook (the Go SDK's
            // OnHttpStreamDone/OnStreamDone) adds proxy_on_log before it.
            Assert.Equal("proxy_on_delete", order[^1]);
            Assert.Equal(exportsDone, order.Contains("proxy_on_done"));
            Assert.Equal(exportsLog, order.Contains("proxy_on_log"));
            if (exportsLog)
            {
                Assert.Equal("proxy_on_log", order[^2]);
            }

            Assert.Equal($"{stream},{Root}", calls.First(c => c.Context == stream).Arguments);
        }

        Assert.Equal(("proxy_on_delete", Root), (calls[^1].Callback, calls[^1].Context));
    }

    [SkippableFact]
    public void HelloWorld_sets_x_hello_from_the_authority()
    {
        HostRun run = Run("HelloWorld", new HostInput
        {
            RootId = "hello_world",
            RequestHeaders = [(":authority", "example.com"), (":path", "/index.html"), ("user-agent", "curl/8")],
            ResponseHeaders = [(":status", "200")],
        });

        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal(
            [(":authority", "example.com"), (":path", "/index.html"), ("user-agent", "curl/8"), ("x-hello", "Hello world from example.com")],
            run.Upstream(Stream));
        Assert.Equal([(":status", "200")], run.Downstream(Stream));
    }

    [SkippableFact]
    public void HelloWorld_replaces_every_spoofed_x_hello()
    {
        HostRun run = Run("HelloWorld", new HostInput
        {
            RootId = "hello_world",
            Streams = 2,
            RequestHeaders = [("X-Hello", "spoofed"), (":authority", "api.example.org:8443"), ("x-hello", "again")],
            ResponseHeaders = [(":status", "204")],
        });

        foreach (uint stream in new uint[] { Stream, Stream + 1 })
        {
            var upstream = run.Upstream(stream);
            Assert.Equal([("x-hello", "Hello world from api.example.org:8443")], upstream.Where(h => h.Name == "x-hello"));
            Assert.Contains((":authority", "api.example.org:8443"), upstream);
        }
    }

    [SkippableFact]
    public void HelloWorld_without_authority_ends_after_from()
    {
        HostRun run = Run("HelloWorld", new HostInput { RootId = "hello_world", RequestHeaders = [(":path", "/")] });

        Assert.Equal([(":path", "/"), ("x-hello", "Hello world from ")], run.Upstream(Stream));
    }

    [SkippableFact]
    public void HeaderAuthorization_lets_allow_true_through()
    {
        HostRun run = Run("HeaderAuthorization", new HostInput
        {
            RootId = "header_authorization",
            RequestHeaders = [(":authority", "example.com"), ("allow", "true")],
            ResponseHeaders = [(":status", "200")],
        });

        Assert.Equal("0", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Empty(run.LocalResponses(Stream));
        Assert.Equal([(":authority", "example.com"), ("allow", "true")], run.Upstream(Stream));
        Assert.Equal([(":status", "200")], run.Downstream(Stream));
    }

    public static IEnumerable<object[]> DeniedAllowHeaders() =>
    [
        [new string[0]],
        [new[] { "false" }],
        [new[] { "TRUE" }],
        [new[] { "true1" }],
        [new[] { "" }],
        [new[] { "true", "true" }], // Envoy joins repeated values: "true,true"
    ];

    [SkippableTheory]
    [MemberData(nameof(DeniedAllowHeaders))]
    public void HeaderAuthorization_answers_403_unless_allow_is_exactly_true(string[] allowValues)
    {
        var headers = new List<(string, string)> { (":authority", "example.com"), (":path", "/secret") };
        headers.AddRange(allowValues.Select(value => ("allow", value)));
        HostRun run = Run("HeaderAuthorization", new HostInput
        {
            RootId = "header_authorization",
            RequestHeaders = headers,
            ResponseHeaders = [(":status", "200")],
        });

        HostRecord local = Assert.Single(run.LocalResponses(Stream));
        Assert.Equal(["2", "403"], local.Fields.Take(2));
        Assert.Equal(Forbidden, local.Fields[3]);
        Assert.Equal([("content-type", "text/plain")], run.LocalResponseHeaders(Stream));
        Assert.Equal([(":status", "403"), ("content-type", "text/plain")], run.Downstream(Stream));
        Assert.Equal(Forbidden, Assert.Single(run.OfKind("downstream_body")).Fields[1]);

        // The request stops (StopIteration) and never reaches upstream.
        Assert.Equal("1", run.Result(Stream, "proxy_on_request_headers"));
        Assert.Empty(run.Upstream(Stream));
        Assert.DoesNotContain(run.Calls(), c => c.Callback == "proxy_on_response_headers");
        Assert.Contains(run.OfKind("log"), r => r.Fields[1] == "2" && r.Fields[2].StartsWith("header-authorization:", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void AddHeader_adds_the_configured_value()
    {
        HostRun run = Run("AddHeader", new HostInput
        {
            RootId = "add_header",
            PluginConfiguration = "from-config é",
            RequestHeaders = [(":authority", "example.com")],
            ResponseHeaders = [(":status", "200"), ("content-type", "text/html")],
        });

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal([(":status", "200"), ("content-type", "text/html"), ("hello", "from-config é")], run.Downstream(Stream));
        Assert.Equal([(":authority", "example.com")], run.Upstream(Stream));
    }

    [SkippableFact]
    public void AddHeader_adds_world_without_configuration()
    {
        HostRun run = Run("AddHeader", new HostInput
        {
            RootId = "add_header",
            ResponseHeaders = [(":status", "200")],
        });

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal([(":status", "200"), ("hello", "world!")], run.Downstream(Stream));
    }

    [SkippableFact]
    public void AddHeader_adds_next_to_an_existing_hello()
    {
        HostRun run = Run("AddHeader", new HostInput
        {
            RootId = "add_header",
            PluginConfiguration = "configured",
            Streams = 2,
            ResponseHeaders = [(":status", "200"), ("hello", "upstream")],
        });

        foreach (uint stream in new uint[] { Stream, Stream + 1 })
        {
            Assert.Equal([("hello", "upstream"), ("hello", "configured")], run.Downstream(stream).Where(h => h.Name == "hello"));
        }
    }

    [SkippableFact]
    public void ResponseHeader_sets_hello_world()
    {
        HostRun run = Run("ResponseHeader", new HostInput
        {
            RootId = "response_header",
            RequestHeaders = [(":authority", "example.com"), ("hello", "request-side")],
            ResponseHeaders = [(":status", "200")],
        });

        Assert.Equal("0", run.Result(Stream, "proxy_on_response_headers"));
        Assert.Equal([(":status", "200"), ("hello", "world")], run.Downstream(Stream));
        Assert.Equal([(":authority", "example.com"), ("hello", "request-side")], run.Upstream(Stream));
    }

    [SkippableFact]
    public void ResponseHeader_replaces_an_existing_hello()
    {
        HostRun run = Run("ResponseHeader", new HostInput
        {
            RootId = "response_header",
            ResponseHeaders = [(":status", "200"), ("Hello", "one"), ("server", "envoy"), ("hello", "two")],
        });

        Assert.Equal([(":status", "200"), ("server", "envoy"), ("hello", "world")], run.Downstream(Stream));
    }

    private HostRun Run(string sample, HostInput input) => HostRun.Execute(build, build.Published(sample).Library, input);
}
