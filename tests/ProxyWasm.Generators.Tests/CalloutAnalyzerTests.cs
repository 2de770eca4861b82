using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>PXW0016 (a paused stream nothing resumes), PXW0017 (an answer hook without a callout) and PXW0018
/// (callout headers without pseudo-headers): where each fires, the exact message, and the shapes it must stay silent on.</summary>
public sealed class CalloutAnalyzerTests
{
    [Fact]
    public void Descriptors_are_documented_and_tracked()
    {
        string[] readme = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "diagnostics", "README.md"));
        string[] releases = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "src", "Generators", "AnalyzerReleases.Unshipped.md"));
        ImmutableArray<DiagnosticDescriptor> descriptors = new CalloutAnalyzer().SupportedDiagnostics;
        Assert.Equal(new[] { "PXW0016", "PXW0017", "PXW0018" }, descriptors.Select(d => d.Id));
        foreach (DiagnosticDescriptor d in descriptors)
        {
            Assert.Equal(DiagnosticSeverity.Warning, d.DefaultSeverity);
            Assert.Equal($"https://github.com/proxywasm-generators/ProxyWasm.Generators/blob/main/docs/diagnostics/{d.Id}.md", d.HelpLinkUri);
            string page = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "diagnostics", d.Id + ".md"));
            Assert.StartsWith($"# {d.Id}: {d.Title}\n", page);
            Assert.Contains("## Bad", page);
            Assert.Contains("## Good", page);
            Assert.Contains("## Why", page);
            Assert.Single(readme, line => line == $"| [{d.Id}]({d.Id}.md) | {d.Title} | {d.Category} | {d.DefaultSeverity} | no |");
            Assert.StartsWith($"{d.Id} | {d.Category} | {d.DefaultSeverity} | CalloutAnalyzer, ", Assert.Single(releases, l => l.StartsWith(d.Id + " ", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public Task PXW0016_a_stop_that_nothing_resumes() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("waits_forever")]
        public partial class WaitsForever
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers(RequestHeaders headers)
            {
                if (headers.Contains("x-wait"u8))
                {
                    [|return FilterHeadersStatus.StopIteration;|]
                }

                return FilterHeadersStatus.Continue;
            }

            [OnResponseBody]
            public FilterDataStatus Body(bool endOfStream)
            {
                if (!endOfStream)
                {
                    return FilterDataStatus.StopIterationAndBuffer;
                }

                [|return FilterDataStatus.StopIterationNoBuffer;|]
            }

            [OnRequestTrailers]
            public FilterTrailersStatus Trailers(int count) => [|count > 3 ? FilterTrailersStatus.StopIteration : FilterTrailersStatus.Continue|];
        }
        """,
        ("PXW0016", "'Headers' returns FilterHeadersStatus.StopIteration, but nothing in 'WaitsForever' or its plugin resumes, answers or closes a stream, so the request hangs until Envoy times it out: resume it (stream.ResumeRequest() from [OnHttpCallResponse] or [OnTick]), answer it (stream.SendLocalResponse(...)), or return Continue"),
        ("PXW0016", "'Body' returns FilterDataStatus.StopIterationNoBuffer, but nothing in 'WaitsForever' or its plugin resumes, answers or closes a stream, so the request hangs until Envoy times it out: resume it (stream.ResumeRequest() from [OnHttpCallResponse] or [OnTick]), answer it (stream.SendLocalResponse(...)), or return Continue"),
        ("PXW0016", "'Trailers' returns FilterTrailersStatus.StopIteration, but nothing in 'WaitsForever' or its plugin resumes, answers or closes a stream, so the request hangs until Envoy times it out: resume it (stream.ResumeRequest() from [OnHttpCallResponse] or [OnTick]), answer it (stream.SendLocalResponse(...)), or return Continue"));

    [Fact]
    public Task PXW0016_is_silent_when_an_answer_hook_a_plugin_a_local_response_or_a_helper_can_act_on_the_stream() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("callout")]
        public partial class Callout
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers()
            {
                HttpCall.Dispatch("auth"u8, "GET"u8, "/check"u8, "auth.local"u8, 500, out _);
                return FilterHeadersStatus.StopIteration;
            }

            [OnHttpCallResponse]
            public void Answer(HttpCallResponse response, HttpStream stream) => stream.ResumeRequest();
        }

        [HttpFilter("deny")]
        public partial class Deny
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers(HttpStream stream)
            {
                stream.SendLocalResponse(403, "no"u8);
                return FilterHeadersStatus.StopIteration;
            }
        }

        public sealed class Postponer
        {
            private uint _waiting;

            public void Remember(uint id) => _waiting = id;

            [OnTick]
            public void Tick() => new HttpStream(_waiting).ResumeRequest();
        }

        [HttpFilter("postpone", Plugin = typeof(Postponer))]
        public partial class Postpone
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers(Postponer plugin, HttpStream stream)
            {
                plugin.Remember(stream.ContextId);
                return FilterHeadersStatus.StopIteration;
            }
        }

        public static class Responder
        {
            public static void Later(HttpStream stream) { }
        }

        [HttpFilter("helper")]
        public partial class Helper
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers(HttpStream stream)
            {
                Responder.Later(stream);
                return FilterHeadersStatus.StopAllIterationAndBuffer;
            }
        }

        [HttpFilter("buffers")]
        public partial class Buffers
        {
            [OnRequestBody]
            public FilterDataStatus Body(bool endOfStream) => endOfStream ? FilterDataStatus.Continue : FilterDataStatus.StopIterationAndBuffer;
        }
        """);

    [Fact]
    public Task PXW0017_an_answer_hook_in_a_module_that_dispatches_nothing() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("no_calls")]
        public partial class NoCalls
        {
            [OnRequestHeaders]
            public void Headers() { }

            [OnHttpCallResponse]
            public void [|Answer|](HttpCallResponse response) { }

            [OnGrpcClose]
            public void [|Closed|](GrpcClose close) { }
        }
        """,
        ("PXW0017", "[OnHttpCallResponse] method 'Answer' of 'NoCalls' never runs: nothing in this module dispatches an HTTP call; dispatch one with HttpCall.Dispatch(...) or remove the hook"),
        ("PXW0017", "[OnGrpcClose] method 'Closed' of 'NoCalls' never runs: nothing in this module dispatches a gRPC call; dispatch one with GrpcCall.Dispatch(...) or remove the hook"));

    [Fact]
    public Task PXW0018_literal_callout_headers_with_host_instead_of_authority() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("pairs")]
        public partial class Pairs
        {
            [OnRequestHeaders]
            public FilterHeadersStatus Headers(HttpStream stream)
            {
                Span<byte> buffer = stackalloc byte[128];
                var headers = new PairsWriter(buffer, count: 3);
                headers.Add(":method"u8, "GET"u8);
                headers.Add(":path"u8, "/"u8);
                headers.Add(":host"u8, "auth.local"u8);
                if ([|HttpCall.DispatchPairs("auth"u8, headers.WrittenSpan, default, default, 500, out _)|] != ProxyStatus.Ok)
                {
                    stream.SendLocalResponse(503, default);
                }

                return FilterHeadersStatus.StopIteration;
            }

            [OnHttpCallResponse]
            public void Answer(HttpStream stream) => stream.ResumeRequest();
        }

        [HttpFilter("complete")]
        public partial class Complete
        {
            [OnRequestHeaders]
            public void Headers()
            {
                Span<byte> buffer = stackalloc byte[128];
                var headers = new PairsWriter(buffer, count: 3);
                headers.Add(":method"u8, "GET"u8);
                headers.Add(":path"u8, "/"u8);
                headers.Add(":authority"u8, "auth.local"u8);
                HttpCall.DispatchPairs("auth"u8, headers.WrittenSpan, default, default, 500, out _);
            }
        }
        """,
        ("PXW0018", "The HTTP call's headers, written here with literal names, lack :authority (':host' is not a pseudo-header: name the host ':authority'), so Envoy refuses the call with BadArgument: add them, or use HttpCall.Dispatch(cluster, method, path, authority, ...)"));

    private static async Task Verify(string markup, params (string Id, string Message)[] expected)
    {
        (string source, IReadOnlyList<TextSpan> spans) = Markup.Parse(markup);
        Compilation input = TestCompilation.Create(("Input.cs", source));
        Assert.Equal(expected.Length, spans.Count);
        Assert.Empty(input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(TestCompilation.Format));

        GeneratorRun run = TestCompilation.Run(input);
        ImmutableArray<Diagnostic> diagnostics = await TestCompilation.AnalyzeAsync(run.Output, new CalloutAnalyzer());
        Assert.Equal(
            expected.Select((e, i) => $"{e.Id} Input.cs {spans[i]}: {e.Message}").ToArray(),
            diagnostics.Select(d => $"{d.Id} {d.Location.SourceTree?.FilePath} {d.Location.SourceSpan}: {d.GetMessage()}").ToArray());
    }
}
