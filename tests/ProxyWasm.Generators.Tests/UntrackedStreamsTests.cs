using System.Linq;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// Which modules leave streams untracked (no <c>proxy_on_context_create</c>/<c>proxy_on_delete</c>, no context table):
/// only a module whose one filter is a stateless class (no instance state, base <c>object</c>), without plugin or
/// configuration, with exactly one hook on a callback the host makes once per stream. Anything else keeps the table.
/// </summary>
public sealed class UntrackedStreamsTests
{
    private static string Module(string filter)
    {
        string source = "using ProxyWasm;\nusing System;\n\nnamespace Filters;\n\n" + filter;
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(source));
        Assert.Empty(TestCompilation.Problems(run.Output));
        return run.Files.Single(f => f.HintName == "ProxyWasmModule.g.cs").Text;
    }

    private static bool Tracked(string module)
    {
        bool create = module.Contains("EntryPoint = \"proxy_on_context_create\"");
        Assert.Equal(create, module.Contains("EntryPoint = \"proxy_on_delete\""));
        Assert.Equal(create, module.Contains("private static readonly ContextRegistry Contexts"));
        return create;
    }

    [Theory]
    [InlineData("[OnRequestHeaders] public void Headers() { }")]
    [InlineData("[OnResponseHeaders] public FilterHeadersStatus Headers(ResponseHeaders headers) => FilterHeadersStatus.Continue;")]
    [InlineData("[OnRequestTrailers] public void Trailers() { }")]
    [InlineData("private static int s_count; [OnRequestHeaders] public void Headers() => s_count++;")]
    [InlineData("private const int Limit = 3; public int Computed => Limit; [OnRequestHeaders] public void Headers() { }")]
    public void A_stateless_class_with_one_once_per_stream_hook_is_untracked(string members)
    {
        string module = Module($"[HttpFilter(\"f\")] public partial class F {{ {members} }}");
        Assert.False(Tracked(module));
    }

    [Theory]
    [InlineData("private int _count; [OnRequestHeaders] public void Headers() => _count++;")]
    [InlineData("public int Count { get; set; } [OnRequestHeaders] public void Headers() => Count++;")]
    [InlineData("public event Action? Seen; [OnRequestHeaders] public void Headers() => Seen?.Invoke();")]
    [InlineData("[OnRequestHeaders] public void Request() { } [OnResponseHeaders] public void Response() { }")]
    [InlineData("[OnRequestBody] public void Body() { }")]
    [InlineData("[OnLog] public void Logged() { }")] // proxy_on_log and proxy_on_done may come on root contexts too
    [InlineData("[OnStreamDone] public bool Done() => true;")]
    public void State_a_second_hook_or_a_hook_not_once_per_stream_only_keeps_tracking(string members)
    {
        string module = Module($"[HttpFilter(\"f\")] public partial class F {{ {members} }}");
        Assert.True(Tracked(module));
    }

    [Fact]
    public void A_base_class_a_struct_or_a_plugin_keeps_tracking()
    {
        Assert.True(Tracked(Module("public class Base { } [HttpFilter(\"f\")] public partial class F : Base { [OnRequestHeaders] public void Headers() { } }")));
        Assert.True(Tracked(Module("[HttpFilter(\"f\")] public partial struct F { [OnRequestHeaders] public void Headers() { } }")));
        Assert.True(Tracked(Module("""
            public sealed class P { [OnConfigure] public bool Configure() => true; }
            [HttpFilter("f", Plugin = typeof(P))] public partial class F { [OnRequestHeaders] public void Headers() { } }
            """)));
    }
}
