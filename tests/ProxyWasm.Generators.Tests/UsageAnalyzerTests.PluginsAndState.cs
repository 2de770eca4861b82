using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>Usage rules PXW0009..PXW0015: hooks where no callback reaches them, plugin types, duplicate bindings, root ids,
/// constructors and per-stream allocation.</summary>
public sealed partial class UsageAnalyzerTests
{
    [Fact]
    public Task PXW0009_stream_hook_on_an_unrelated_type_or_a_base_class() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class Helper
        {
            [OnRequestHeaders] public void [|Headers|]() { }
        }

        public class FilterBase
        {
            [OnResponseHeaders] public void [|Response|]() { }
        }

        [HttpFilter("derived")]
        public partial class Derived : FilterBase
        {
        }
        """,
        glue: new[] { "Filters.Derived" },
        ("PXW0009", "[OnRequestHeaders] method 'Headers' is declared on the type Helper, where no callback reaches it: declare it on an [HttpFilter] type (hooks of base classes and other types are not bound)"),
        ("PXW0009", "[OnResponseHeaders] method 'Response' is declared on the type FilterBase, where no callback reaches it: declare it on an [HttpFilter] type (hooks of base classes and other types are not bound)"));

    [Fact]
    public Task PXW0009_plugin_hook_on_a_type_no_filter_names() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class Settings
        {
            [OnConfigure] public void [|Configure|]() { }
        }
        """,
        glue: None,
        ("PXW0009", "[OnConfigure] method 'Configure' is declared on the type Settings, where no callback reaches it: name 'Settings' as the plugin type of a filter, [HttpFilter(\"my_filter\", Plugin = typeof(Settings))], or move the method to the plugin type"));

    [Fact]
    public Task PXW0009_plugin_hook_on_the_filter() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class P
        {
        }

        [HttpFilter("with_plugin", Plugin = typeof(P))]
        public partial class WithPlugin
        {
            [OnTick] public void [|Tick|]() { }
        }

        [HttpFilter("without_plugin")]
        public partial class WithoutPlugin
        {
            [OnConfigure] public void [|Configure|]() { }
        }
        """,
        glue: None,
        ("PXW0009", "[OnTick] method 'Tick' is declared on the filter type WithPlugin, where no callback reaches it: move it to the plugin type 'P'"),
        ("PXW0009", "[OnConfigure] method 'Configure' is declared on the filter type WithoutPlugin, where no callback reaches it: declare it on a plugin class and set [HttpFilter(\"without_plugin\", Plugin = typeof(YourPlugin))]"));

    [Fact]
    public Task PXW0009_stream_hook_on_the_plugin() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class P
        {
            [OnRequestHeaders] public void [|Headers|]() { }
        }

        [HttpFilter("f", Plugin = typeof(P))]
        public partial class F
        {
            [OnResponseHeaders] public void Response() { }
        }
        """,
        glue: None,
        ("PXW0009", "[OnRequestHeaders] method 'Headers' is declared on the plugin type P, where no callback reaches it: move it to the [HttpFilter] type: stream hooks run per HTTP stream"));

    [Fact]
    public Task PXW0009_hook_on_a_local_function_or_lambda() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class F
        {
            [OnRequestHeaders]
            public void Headers()
            {
                Local();
                Action lambda = [[|OnLog|]] () => { };
                lambda();

                [[|OnResponseHeaders|]]
                static void Local() { }
            }
        }
        """,
        glue: new[] { "Filters.F" },
        ("PXW0009", "[OnLog] method '(lambda)' is a lambda in 'Headers', where no callback reaches it: declare it as a method of an [HttpFilter] or [NetworkFilter] type"),
        ("PXW0009", "[OnResponseHeaders] method 'Local' is a local function in 'Headers', where no callback reaches it: declare it as a method of an [HttpFilter] type"));

    [Fact]
    public Task PXW0010_plugin_type_that_cannot_be_created() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        public abstract class AbstractPlugin { }

        public struct StructPlugin { }

        public class NeedsArguments
        {
            public NeedsArguments(int limit) { }
        }

        [[|HttpFilter("a", Plugin = typeof(AbstractPlugin))|]]
        public partial class A { [OnRequestHeaders] public void Headers() { } }

        [[|HttpFilter("b", Plugin = typeof(StructPlugin))|]]
        public partial class B { [OnRequestHeaders] public void Headers() { } }

        [[|HttpFilter("c", Plugin = typeof(NeedsArguments))|]]
        public partial class C { [OnRequestHeaders] public void Headers() { } }

        [[|HttpFilter("d", Plugin = typeof(Func<>))|]]
        public partial class D { [OnRequestHeaders] public void Headers() { } }
        """,
        glue: None,
        ("PXW0010", "Plugin type 'Filters.AbstractPlugin' cannot be created by the glue: name a non-abstract, non-generic class with a public or internal parameterless constructor"),
        ("PXW0010", "Plugin type 'Filters.StructPlugin' cannot be created by the glue: name a non-abstract, non-generic class with a public or internal parameterless constructor"),
        ("PXW0010", "Plugin type 'Filters.NeedsArguments' cannot be created by the glue: name a non-abstract, non-generic class with a public or internal parameterless constructor"),
        ("PXW0010", "Plugin type 'System.Func<>' cannot be created by the glue: name a non-abstract, non-generic class with a public or internal parameterless constructor"));

    [Fact]
    public Task PXW0011_private_plugin_hook() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public class P
        {
            [OnTick] private void [|Tick|]() { }

            public void Start() => Tick();
        }

        [HttpFilter("f", Plugin = typeof(P))]
        public partial class F
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0011", "Plugin hook 'Tick' cannot be called by the generated glue: make it public or internal in 'P'"));

    [Fact]
    public Task PXW0012_two_parameters_bind_the_same_value() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class F
        {
            [OnRequestBody] public void Body(int size, RequestBody body, int [|again|]) { }
        }
        """,
        glue: None,
        ("PXW0012", "Parameter 'again' of 'Body' receives the same value as parameter 'size': remove one of them"));

    [Fact]
    public Task PXW0013_empty_or_null_root_id() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [[|HttpFilter("")|]]
        public partial class Empty
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [[|HttpFilter(null)|]]
        public partial class Null
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0013", "[HttpFilter] on 'Empty' has an empty root id: write the root id the proxy configures, such as [HttpFilter(\"my_filter\")]"),
        ("PXW0013", "[HttpFilter] on 'Null' has an empty root id: write the root id the proxy configures, such as [HttpFilter(\"my_filter\")]"));

    [Fact]
    public Task PXW0014_no_parameterless_constructor() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("f")]
        public partial class [|F|]
        {
            private readonly int _limit;

            public F(int limit) => _limit = limit;

            [OnRequestHeaders] public void Headers() => System.GC.KeepAlive(_limit);
        }
        """,
        glue: None,
        ("PXW0014", "'F' has no parameterless constructor for the glue to call: add one, or remove the constructors with parameters"));

    [Fact]
    public Task PXW0015_filters_that_cannot_be_pooled_are_allocated_per_stream() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("ctor")]
        public partial class [|WithConstructor|]
        {
            public WithConstructor() { }

            [OnRequestHeaders] public void Headers() { }
        }

        [HttpFilter("readonly")]
        public partial class [|WithReadonlyField|]
        {
            private readonly byte[] _buffer = new byte[16];

            [OnRequestHeaders] public void Headers() => _buffer[0] = 1;
        }

        [HttpFilter("computed")]
        public partial class [|WithComputedInitializer|]
        {
            private int _limit = Environment.ProcessorCount;

            [OnRequestHeaders] public void Headers() => _limit++;
        }

        [HttpFilter("init")]
        public partial class [|WithInitOnlyProperty|]
        {
            public int Limit { get; init; }

            [OnRequestHeaders] public void Headers() => GC.KeepAlive(Limit);
        }
        """,
        glue: new[] { "Filters.WithComputedInitializer", "Filters.WithConstructor", "Filters.WithInitOnlyProperty", "Filters.WithReadonlyField" },
        ("PXW0015", "'WithConstructor' is allocated with 'new' for every HTTP stream because it declares a constructor: to reuse pooled instances, remove explicit constructors, readonly fields and init-only properties, and give fields only literal initializers, or make it a struct"),
        ("PXW0015", "'WithReadonlyField' is allocated with 'new' for every HTTP stream because field '_buffer' is readonly: to reuse pooled instances, remove explicit constructors, readonly fields and init-only properties, and give fields only literal initializers, or make it a struct"),
        ("PXW0015", "'WithComputedInitializer' is allocated with 'new' for every HTTP stream because member '_limit' has a non-constant initializer: to reuse pooled instances, remove explicit constructors, readonly fields and init-only properties, and give fields only literal initializers, or make it a struct"),
        ("PXW0015", "'WithInitOnlyProperty' is allocated with 'new' for every HTTP stream because property 'Limit' is get-only, init-only or required: to reuse pooled instances, remove explicit constructors, readonly fields and init-only properties, and give fields only literal initializers, or make it a struct"));

    [Fact]
    public async Task PXW0015_filter_still_gets_glue_created_with_new()
    {
        var (input, _) = Input("""
            using ProxyWasm;

            namespace Filters;

            [HttpFilter("ctor")]
            public partial class WithConstructor
            {
                public WithConstructor() { }

                [OnRequestHeaders] public void Headers() { }
            }
            """);
        GeneratorRun run = TestCompilation.Run(input);

        string glue = run.Files.Single(f => f.HintName == "Filters.WithConstructor.ProxyWasm.g.cs").Text;
        Assert.Contains("Streams[slot] = new WithConstructor();", glue);
        Assert.Contains("Streams[slot] = null;", glue);
        Assert.Equal(new[] { "PXW0015" }, (await TestCompilation.AnalyzeAsync(run.Output)).Select(d => d.Id).Distinct());
    }

    [Fact]
    public async Task A_plugin_type_named_by_two_filters_is_reported_once()
    {
        (Compilation input, IReadOnlyList<TextSpan> spans) = Input("""
            using ProxyWasm;

            namespace Filters;

            public class Shared
            {
                [OnTick] public int [|Tick|]() => 0;
            }

            [HttpFilter("one", Plugin = typeof(Shared))]
            public partial class One { [OnRequestHeaders] public void Headers(Shared plugin) { } }

            [HttpFilter("two", Plugin = typeof(Shared))]
            public partial class Two { [OnRequestHeaders] public void Headers(Shared plugin) { } }
            """);

        ImmutableArray<Diagnostic> diagnostics = await TestCompilation.AnalyzeAsync(TestCompilation.Run(input).Output);

        Diagnostic single = Assert.Single(diagnostics);
        Assert.Equal("PXW0003", single.Id);
        Assert.Equal(spans[0], single.Location.SourceSpan);
        Assert.Equal("[OnTick] method 'Tick' returns 'int', which the glue cannot pass to the host: return void", single.GetMessage());
    }

    [Fact]
    public async Task A_plugin_type_from_a_referenced_assembly_is_reported_on_the_attribute()
    {
        CSharpCompilation library = CSharpCompilation.Create(
            "Plugins",
            new[] { TestCompilation.Parse("""
                namespace Plugins;

                public class ExternalPlugin
                {
                    [ProxyWasm.OnConfigure] protected void Configure() { }
                }
                """, "ExternalPlugin.cs") },
            TestCompilation.References,
            TestCompilation.Options);
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        (string source, IReadOnlyList<TextSpan> spans) = Markup.Parse("""
            using ProxyWasm;

            namespace Filters;

            [[|HttpFilter("f", Plugin = typeof(Plugins.ExternalPlugin))|]]
            public partial class F { [OnRequestHeaders] public void Headers() { } }
            """);
        Compilation input = TestCompilation.Create(source).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));

        GeneratorRun run = TestCompilation.Run(input);
        ImmutableArray<Diagnostic> diagnostics = await TestCompilation.AnalyzeAsync(run.Output);

        Diagnostic single = Assert.Single(diagnostics);
        Assert.Equal("PXW0011", single.Id);
        Assert.Equal(spans[0], single.Location.SourceSpan);
        Assert.Equal("Plugin hook 'Configure' cannot be called by the generated glue: make it public or internal in 'ExternalPlugin'", single.GetMessage());
        Assert.DoesNotContain("Filters.F.ProxyWasm.g.cs", run.HintNames);
    }

    [Fact]
    public async Task Nothing_is_reported_for_valid_shapes()
    {
        (Compilation input, _) = Input("""
            using System;
            using ProxyWasm;

            namespace Filters
            {
            public class Plugin1
            {
                [OnVmStart] internal bool Start(ReadOnlySpan<byte> configuration, int size) => size == configuration.Length;
                [OnTick] protected internal void Tick() { }
            }

            [HttpFilter("one", Plugin = typeof(Plugin1))]
            public partial struct One
            {
                public One() { }

                [OnRequestHeaders] private FilterHeadersStatus Headers(Plugin1 plugin, HttpStream stream, RequestHeaders headers, int count, bool end) => FilterHeadersStatus.Continue;
                [OnResponseBody] private void Body(ResponseBody body, ResponseHeaders headers) { }
            }

            public class NotAFilter
            {
                public void OnRequestHeaders() { }
            }

            }

            namespace Elsewhere
            {
                [AttributeUsage(AttributeTargets.Method)]
                public sealed class OnRequestHeadersAttribute : Attribute { }

                public class LooksLikeAHook
                {
                    [OnRequestHeaders] public void Headers() { }
                }
            }
            """);

        GeneratorRun run = TestCompilation.Run(input);

        Assert.Empty(await TestCompilation.AnalyzeAsync(run.Output));
        Assert.Contains("Filters.One.ProxyWasm.g.cs", run.HintNames);
        Assert.Empty(TestCompilation.Problems(run.Output));
    }

    [Fact]
    public async Task A_compilation_without_ProxyWasm_Runtime_is_not_analyzed()
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "NoRuntime",
            new[] { TestCompilation.Parse("""
                namespace ProxyWasm
                {
                    [System.AttributeUsage(System.AttributeTargets.Method)]
                    public sealed class OnRequestHeadersAttribute : System.Attribute { }
                }

                public class Handler
                {
                    [ProxyWasm.OnRequestHeaders] public void Headers() { }
                }
                """, "NoRuntime.cs") },
            Basic.Reference.Assemblies.ReferenceAssemblies.Net80,
            TestCompilation.Options);

        Assert.Empty(await TestCompilation.AnalyzeAsync(compilation));
    }
}
