using System.Reflection;
using System.Text;
using ProxyWasm.Testing;

namespace ProxyWasm.Samples.Tests.Reliability;

/// <summary>One filter the fault properties drive: every sample, and the test filters of this assembly.</summary>
/// <param name="Name">The root id (also the display name).</param>
/// <param name="Module">The filter's assembly.</param>
/// <param name="Configuration">The plugin configuration.</param>
/// <param name="Network">A network filter: driven with connections, not HTTP requests.</param>
/// <param name="Stateful">The filter keeps state across requests that a corrupted request may change legitimately
/// (counters, shared data, queues): the clean request after a corrupted one is not compared with the reference run.</param>
/// <param name="MayStayPaused">Why the filter may leave a request paused by design (its timer resumes it, or it is a
/// faithful port of an example that pauses on a failed header read and suppresses PXW0016), or null.</param>
public sealed record FaultSubject(string Name, Assembly Module, string Configuration = "", bool Network = false, bool Stateful = false, string? MayStayPaused = null)
{
    public ProxyWasmHost CreateHost() => new(Module, new HostOptions
    {
        RootId = Name,
        PluginConfiguration = Encoding.UTF8.GetBytes(Configuration),
        // A fixed clock: the samples that draw random numbers seed them from it, so two runs draw the same.
        Clock = () => new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero),
    });

    public override string ToString() => Name;
}

internal static class FaultSubjects
{
    private static readonly Assembly TestFilters = typeof(FaultSubjects).Assembly;

    public static readonly FaultSubject[] All =
    [
        new("hello_world", typeof(HelloWorld).Assembly),
        new("header_authorization", typeof(HeaderAuthorization).Assembly),
        new("add_header", typeof(AddHeader).Assembly, "configured"),
        new("response_header", typeof(ResponseHeader).Assembly),
        new("http_auth_random", typeof(HttpAuthRandom).Assembly),
        new("grpc_auth_random", typeof(GrpcAuthRandom).Assembly),
        new("dispatch_call_on_tick", typeof(DispatchCallOnTick).Assembly, "plugin1"),
        new("multiple_dispatches", typeof(MultipleDispatches).Assembly),
        new("postpone_requests", typeof(PostponeRequests).Assembly, MayStayPaused: "its timer resumes paused requests"),
        new("http_headers", typeof(HttpHeaders).Assembly),
        new("http_body", typeof(HttpBody).Assembly),
        new("http_config", typeof(HttpConfig).Assembly),
        new("plugin_tick", typeof(PluginTick).Assembly),
        new("shared_data", typeof(SharedDataSample).Assembly, Stateful: true),
        new("metrics", typeof(MetricsSample).Assembly, Stateful: true),
        new("http_routing", typeof(HttpRouting).Assembly, MayStayPaused: "the Go port pauses when reading :authority fails, as documented"),
        new("vm_plugin_configuration", typeof(VmPluginConfiguration).Assembly),
        new("json_validation", typeof(JsonValidation).Assembly),
        new("network", typeof(Network).Assembly, Network: true, Stateful: true),
        new("sender", typeof(HttpSender).Assembly, "http", Stateful: true),
        new("receiver", typeof(HttpSender).Assembly, "http_request_headers", Stateful: true),
        new("foreign_call_on_tick", typeof(ForeignCallOnTick).Assembly),
        new("properties", typeof(PropertiesFilter).Assembly),
        new("configured_headers", typeof(ConfiguredHeaders).Assembly),
        new("configured", TestFilters),
        new("property_reader", TestFilters),
        new("throwing", TestFilters),
        new("throwing_open", TestFilters),
        new("fragile_constructor", TestFilters),
        new("pairs_counter", TestFilters),
        new("lifecycle", TestFilters),
        new("resume_via_stream", TestFilters),
        new("deferred_done", TestFilters),
        new("chained_calls", TestFilters),
        new("shared_counter", TestFilters, Stateful: true),
        new("metered", TestFilters, Stateful: true),
    ];
}
