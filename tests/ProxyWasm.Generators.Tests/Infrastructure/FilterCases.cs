using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace ProxyWasm.Generators.Tests.Infrastructure;

/// <summary>One valid generator input: a name (the snapshot test name) and its source files.</summary>
internal sealed record FilterCase(string Name, (string Path, string Text)[] Sources, string[] ExpectedDiagnostics)
{
    public override string ToString() => Name;
}

/// <summary>The valid inputs shared by the snapshot, compile and "analyzer reports nothing" tests.</summary>
internal static class FilterCases
{
    public static readonly IReadOnlyList<FilterCase> All = new[]
    {
        new FilterCase("HelloWorld", new[] { ("HelloWorld.cs", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "samples", "HelloWorld", "HelloWorld.cs"))) }, Array.Empty<string>()),
        Case("StructFilter", """
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("counter")]
            public partial struct CountingFilter
            {
                private int _bodyChunks;

                [OnRequestBody]
                public FilterDataStatus OnBody(RequestBody body, int size, bool endOfStream)
                {
                    _bodyChunks++;
                    return endOfStream || size > 1024 ? FilterDataStatus.Continue : FilterDataStatus.StopIterationAndBuffer;
                }

                [OnStreamDone]
                private bool Done() => _bodyChunks >= 0;
            }
            """),
        Case("PooledClass", """
            using System;
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("pooled")]
            internal sealed partial class PooledFilter
            {
                private int _count = 5;
                private long _offset = -1;
                private string _name = "pooled";
                private bool _seen;
                private double _ratio = 0.5;
                private object? _state = null;
                private int _a = 1, _b;

                public int Limit { get; set; } = 10;

                public event Action? Finished;

                [OnRequestHeaders]
                public void OnHeaders(RequestHeaders headers)
                {
                    _seen = headers.Contains(":path"u8);
                    _b = _a;
                    _count += _a + _b + Limit;
                    _offset = _count;
                    _state = _name.Length > _ratio ? null : _state;
                }

                [OnLog]
                public void Log()
                {
                    if (_seen)
                    {
                        Finished?.Invoke();
                    }
                }
            }
            """),
        Case("NewPerStream", """
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("constructed")]
            public partial class ConstructedFilter
            {
                private readonly int[] _buffer;

                public ConstructedFilter() => _buffer = new int[4];

                [OnResponseHeaders]
                public FilterHeadersStatus OnResponse(ResponseHeaders headers, int count)
                {
                    _buffer[0] = count;
                    return FilterHeadersStatus.Continue;
                }
            }
            """, "PXW0015"),
        Case("PluginFilter", """
            using System;
            using ProxyWasm;

            namespace Filters;

            /// <summary>Root context state.</summary>
            public sealed class RateLimits
            {
                public int Limit { get; private set; } = 100;

                public int Ticks { get; private set; }

                [OnVmStart]
                public bool Start(ReadOnlySpan<byte> vmConfiguration) => vmConfiguration.Length < 4096;

                [OnConfigure]
                public bool Configure(ReadOnlySpan<byte> configuration)
                {
                    Limit = configuration.Length;
                    return Plugin.SetTickPeriod(1000) == ProxyStatus.Ok;
                }

                [OnTick]
                internal void Tick() => Ticks++;
            }

            [HttpFilter("rate_limit", Plugin = typeof(RateLimits))]
            public partial class RateLimitFilter
            {
                private int _requests;

                [OnRequestHeaders]
                public FilterHeadersStatus OnRequest(RateLimits limits, HttpStream stream, int headerCount, bool endOfStream)
                {
                    _requests += headerCount;
                    if (_requests > limits.Limit && endOfStream)
                    {
                        stream.SendLocalResponse(429, "slow down"u8);
                        return FilterHeadersStatus.StopIteration;
                    }

                    return stream.ContextId == 0 ? FilterHeadersStatus.StopIteration : FilterHeadersStatus.Continue;
                }

                [OnResponseTrailers]
                public void OnTrailers(ResponseTrailers trailers, RateLimits limits, int count) => _requests = count + limits.Ticks;
            }
            """),
        Case("AllStreamHooks", """
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("every_hook")]
            public partial class EveryHook
            {
                private int _calls;

                [OnRequestHeaders] public FilterHeadersStatus RequestHeaders(RequestHeaders headers, int count, bool end) { _calls++; return FilterHeadersStatus.Continue; }
                [OnRequestBody] public void RequestBody(RequestBody body, bool end) => _calls++;
                [OnRequestTrailers] public FilterTrailersStatus RequestTrailers(RequestTrailers trailers, int count) { _calls++; return FilterTrailersStatus.Continue; }
                [OnResponseHeaders] public void ResponseHeaders(ResponseHeaders headers, HttpStream stream) => _calls++;
                [OnResponseBody] public FilterDataStatus ResponseBody(ResponseBody body, int size, bool end) { _calls++; return FilterDataStatus.Continue; }
                [OnResponseTrailers] public FilterTrailersStatus ResponseTrailers() { _calls++; return FilterTrailersStatus.Continue; }
                [OnStreamDone] public bool Done(HttpStream stream) => _calls > 0;
                [OnLog] public void Log(RequestHeaders request, ResponseHeaders response) => _calls = 0;
            }
            """),
        Case("FailOpen", """
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("fail_open", OnError = FailurePolicy.FailOpen)]
            public partial class FailOpenFilter
            {
                [OnRequestHeaders]
                public void Check(RequestHeaders headers)
                {
                    if (!headers.Contains("x-required"u8))
                    {
                        throw new System.InvalidOperationException("missing header");
                    }
                }

                [OnResponseBody]
                public FilterDataStatus Body(ResponseBody body) => FilterDataStatus.Continue;
            }
            """),
        new FilterCase("TwoFilters", new[]
        {
            ("Auth.cs", """
                using ProxyWasm;

                namespace Filters.Auth;

                [HttpFilter("auth")]
                public partial class AuthFilter
                {
                    [OnRequestHeaders]
                    public FilterHeadersStatus Check(RequestHeaders headers)
                        => headers.Contains("authorization"u8) ? FilterHeadersStatus.Continue : FilterHeadersStatus.StopIteration;
                }
                """),
            ("Metrics.cs", """
                using ProxyWasm;

                namespace Filters.Metrics;

                /// <summary>Plugin of the metrics filter.</summary>
                public class MetricsPlugin
                {
                    public int Streams;

                    [OnConfigure]
                    public void Configure() => Streams = 0;
                }

                [HttpFilter("metrics", Plugin = typeof(MetricsPlugin))]
                public partial struct MetricsFilter
                {
                    [OnStreamDone]
                    public void Done(MetricsPlugin plugin) => plugin.Streams++;

                    [OnResponseHeaders]
                    public void Response(ResponseHeaders headers) { }
                }
                """),
        }, Array.Empty<string>()),
        Case("Callouts", """
            using ProxyWasm;

            namespace Filters;

            public sealed class Poller
            {
                [OnTick]
                public void Tick() => HttpCall.Dispatch("status"u8, "GET"u8, "/healthz"u8, "status.local"u8, 200, out _);

                [OnHttpCallResponse]
                public void Polled(HttpCallResponse response) => Log.Info(response.Failed ? "poll failed"u8 : "polled"u8);
            }

            [HttpFilter("callouts", Plugin = typeof(Poller))]
            public partial class CalloutFilter
            {
                [OnRequestHeaders]
                public FilterHeadersStatus Headers()
                {
                    HttpCall.Dispatch("auth"u8, "GET"u8, "/check"u8, "auth.local"u8, 500, out _);
                    return FilterHeadersStatus.StopIteration;
                }

                [OnHttpCallResponse]
                public void Answered(HttpCallResponse response, RequestHeaders headers, HttpStream stream)
                {
                    headers.Replace("x-auth-status"u8, response.Headers.GetValue(":status"u8));
                    GrpcCall.Dispatch("audit"u8, "audit.Audit"u8, "Record"u8, default, default, 500, out _);
                }

                [OnGrpcReceive]
                public void Audited(GrpcMessage message, HttpStream stream) => stream.ResumeRequest();

                [OnGrpcClose]
                public void AuditFailed(GrpcClose close, HttpStream stream) => stream.SendLocalResponse(503, close.Message);
            }
            """),
        Case("NetworkFilter", """
            using System;
            using ProxyWasm;

            namespace Filters;

            /// <summary>The plugin of a network filter: a queue consumer and a foreign function.</summary>
            public sealed class TcpPlugin
            {
                public long Connections;

                [OnConfigure]
                public bool Configure() => SharedQueue.Register("hashes"u8, out _) == ProxyStatus.Ok;

                [OnQueueReady]
                public void Ready(SharedQueue queue)
                {
                    if (queue.TryDequeue(out ReadOnlySpan<byte> message) == ProxyStatus.Ok)
                    {
                        Log.Info(message);
                    }
                }

                [OnForeignFunction]
                public void Called(int functionId, ReadOnlySpan<byte> arguments) => Log.Info(arguments);
            }

            [NetworkFilter("tcp", Plugin = typeof(TcpPlugin))]
            public partial class TcpFilter
            {
                private int _bytes;

                [OnNewConnection]
                public FilterStatus Opened(NetworkStream connection, TcpPlugin plugin)
                {
                    plugin.Connections++;
                    return FilterStatus.Continue;
                }

                [OnDownstreamData]
                public FilterStatus Downstream(DownstreamData data, int size, bool endOfStream)
                {
                    _bytes += size;
                    return endOfStream || size > 4 ? FilterStatus.Continue : FilterStatus.StopIteration;
                }

                [OnUpstreamData]
                public void Upstream(UpstreamData data) => data.Prepend("> "u8);

                [OnDownstreamConnectionClose]
                public void DownstreamClosed(PeerType peer, NetworkStream connection) { }

                [OnUpstreamConnectionClose]
                public void UpstreamClosed(PeerType peer) { }

                [OnStreamDone]
                public bool Done() => true;

                [OnLog]
                public void Logged(TcpPlugin plugin) { }
            }
            """),
        new FilterCase("MixedModule", new[]
        {
            ("Http.cs", """
                using ProxyWasm;

                namespace Filters.Mixed;

                [HttpFilter("http")]
                public partial class HttpSide
                {
                    [OnRequestHeaders]
                    public void Headers(RequestHeaders headers) { }

                    [OnLog]
                    public void Logged() { }
                }
                """),
            ("Tcp.cs", """
                using ProxyWasm;

                namespace Filters.Mixed;

                [NetworkFilter("tcp", OnError = FailurePolicy.FailOpen)]
                public partial struct TcpSide
                {
                    [OnDownstreamData]
                    public FilterStatus Data(int size) => FilterStatus.Continue;

                    [OnLog]
                    public void Logged() { }
                }
                """),
        }, Array.Empty<string>()),
        Case("GlobalNamespace", """
            using ProxyWasm;

            [HttpFilter("global")]
            public partial class GlobalFilter
            {
                [OnRequestTrailers]
                public void Trailers(RequestTrailers trailers, int count)
                {
                }
            }
            """),
        Case("TypedConfiguration", """
            using System;
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            using ProxyWasm;

            namespace Filters;

            /// <summary>A filter without a plugin: the glue reads its configuration and binds headers and properties.</summary>
            [HttpFilter("tagger", Configuration = typeof(TaggerConfiguration))]
            public partial class Tagger
            {
                [OnRequestHeaders]
                public FilterHeadersStatus Request(RequestHeaders headers, TaggerConfiguration configuration,
                    [Header(":authority")] ReadOnlySpan<byte> authority,
                    [Header("x-tag")] OptionalBytes tag,
                    [Header("x-skip")] bool skip,
                    [Property("request.path")] ReadOnlySpan<byte> path,
                    [Property("source.port")] long? port)
                    => skip || tag.HasValue || authority.IsEmpty || path.IsEmpty || port is null || configuration.Tags.Count == 0
                        ? FilterHeadersStatus.Continue
                        : FilterHeadersStatus.StopIteration;

                [OnResponseHeaders]
                public void Response([Header(":status")] ReadOnlySpan<byte> status, [Property("response.code")] long code,
                    [Property("request.duration")] TimeSpan duration, [Property("connection.mtls")] bool? mtls,
                    [Property("request.time")] DateTimeOffset time, [Property("response.headers")] HeaderPairs headers,
                    [Property("metadata", "filter_metadata", "envoy.lb")] OptionalBytes lb)
                {
                }

                [OnLog]
                public void Log(TaggerConfiguration configuration, [Property("request.headers.x-tag")] ReadOnlySpan<byte> tag)
                {
                }
            }

            public sealed class TaggerConfiguration
            {
                public List<string> Tags { get; set; } = new();
            }

            [JsonSerializable(typeof(TaggerConfiguration))]
            internal sealed partial class TaggerJson : JsonSerializerContext;
            """),
        Case("PluginConfiguration", """
            using System;
            using System.Text.Json.Serialization;
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("limits", Plugin = typeof(LimitsPlugin))]
            public partial struct LimitsFilter
            {
                [OnRequestHeaders]
                public FilterHeadersStatus Headers(Limits limits, [Property("request.size")] long size)
                    => size > limits.MaxBytes ? FilterHeadersStatus.StopIteration : FilterHeadersStatus.Continue;
            }

            public sealed class LimitsPlugin
            {
                public int Ticks { get; private set; }

                [OnVmStart]
                public bool Start(VmSettings settings) => settings.Workers > 0;

                [OnConfigure]
                public bool Configure(Limits limits, int size) => limits.MaxBytes > 0 && size >= 0;

                [OnTick]
                public void Tick(Limits limits) => Ticks += limits.MaxBytes > 0 ? 1 : 0;
            }

            /// <summary>Plain text is the byte limit; JSON is {"MaxBytes": n}.</summary>
            public sealed class Limits : IPlainTextConfiguration<Limits>
            {
                public long MaxBytes { get; set; } = 1024;

                public static Limits FromPlainText(ReadOnlySpan<byte> utf8)
                    => new() { MaxBytes = long.Parse(System.Text.Encoding.UTF8.GetString(utf8), System.Globalization.CultureInfo.InvariantCulture) };
            }

            public readonly record struct VmSettings(int Workers);

            [JsonSerializable(typeof(Limits))]
            [JsonSerializable(typeof(VmSettings))]
            internal partial class SettingsJson : JsonSerializerContext;
            """),
    };

    public static FilterCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>xunit data: the case names.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (FilterCase c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    private static FilterCase Case(string name, string source, params string[] expectedDiagnostics)
        => new(name, new[] { (name + ".cs", source) }, expectedDiagnostics);
}
