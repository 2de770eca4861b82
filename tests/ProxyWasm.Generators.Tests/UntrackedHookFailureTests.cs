using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using ProxyWasm.Generators.Tests.Infrastructure;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// The export of a one-filter module with untracked streams calls the hook inlined (the glue's <c>Run…</c>) and guards
/// it with its own try/catch: a hook that throws must still be reported under the hook's name and answered by the
/// filter's failure policy, exactly as the glue's own catch does in a module with other filters. Each case compiles the
/// module, emits it and runs it in the in-process host.
/// </summary>
public sealed class UntrackedHookFailureTests
{
    private static Assembly Emit(string policy)
    {
        string source = $$"""
            using System;
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("f"{{policy}})]
            public partial class Guarded
            {
                [OnRequestHeaders]
                public FilterHeadersStatus Headers(RequestHeaders headers)
                {
                    if (headers.GetValue("boom"u8).Length > 0)
                    {
                        throw new InvalidOperationException("boom requested");
                    }

                    headers.Replace("x-seen"u8, "yes"u8);
                    return FilterHeadersStatus.Continue;
                }
            }
            """;
        Compilation input = TestCompilation.Create(source).WithAssemblyName("Untracked" + Guid.NewGuid().ToString("N"));
        GeneratorRun run = TestCompilation.Run(input);
        Assert.Empty(TestCompilation.Problems(run.Output));
        string module = run.Files.Single(f => f.HintName == "ProxyWasmModule.g.cs").Text;
        Assert.Contains("ProxyWasmGlue.RunOnRequestHeaders(", module); // the untracked export, with the hook inlined
        Assert.DoesNotContain("EntryPoint = \"proxy_on_context_create\"", module);

        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Select(TestCompilation.Format)));
        return Assembly.Load(stream.ToArray());
    }

    private static HttpRequest Request(bool boom)
    {
        var headers = new HeaderList(new[] { (":method", "GET"), (":path", "/"), (":authority", "example.com") });
        if (boom)
        {
            headers.Add("boom", "1");
        }

        return new HttpRequest(headers);
    }

    [Fact]
    public void A_throwing_hook_fails_closed_under_its_own_name_and_the_next_stream_is_served()
    {
        using var host = new ProxyWasmHost(Emit(string.Empty), new HostOptions { RootId = "f" });

        HttpExchange failed = host.Send(Request(boom: true));
        Assert.Null(failed.Upstream);
        Assert.Equal(500u, failed.LocalResponse?.StatusCode);
        Assert.Equal("proxy_wasm_filter_exception", failed.LocalResponse!.Details);
        LogEntry critical = Assert.Single(failed.Logs, l => l.Level == LogLevel.Critical);
        Assert.StartsWith("proxy-wasm: Guarded.Headers threw System.InvalidOperationException: boom requested", critical.Message, StringComparison.Ordinal);
        Assert.Equal((uint)FilterHeadersStatus.StopIteration, failed.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Equal(0, HostMemory.LiveBlocks);

        HttpExchange next = host.Send(Request(boom: false));
        Assert.Equal("yes", next.Upstream!.Headers.Get("x-seen"));
        Assert.Null(next.LocalResponse);
    }

    [Fact]
    public void A_throwing_hook_of_a_fail_open_filter_lets_the_stream_continue()
    {
        using var host = new ProxyWasmHost(Emit(", OnError = FailurePolicy.FailOpen"), new HostOptions { RootId = "f" });

        HttpExchange exchange = host.Send(Request(boom: true));
        Assert.Null(exchange.LocalResponse);
        Assert.NotNull(exchange.Upstream);
        Assert.Null(exchange.Upstream!.Headers.Get("x-seen"));
        Assert.Equal((uint)FilterHeadersStatus.Continue, exchange.Callbacks.Single(c => c.Export == "proxy_on_request_headers").Result);
        Assert.Contains(exchange.Logs, l => l.Level == LogLevel.Critical && l.Message.Contains("Guarded.Headers threw", StringComparison.Ordinal));
    }
}
