using System.Threading.Tasks;
using ProxyWasm.Analyzers.Tests.Harness;
using ProxyWasm.CodeFixes;
using Xunit;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>Before/after text of every fix, single and Fix All; the harness also checks the result compiles and the
/// fixed diagnostics are gone.</summary>
public class CodeFixTests
{
    private const string Header = """
        using System;
        using System.Text;
        using ProxyWasm;

        [HttpFilter("test")]
        public partial class TestFilter
        {
            private string _name = "n";

        """;

    private static string Filter(string members) => Header + members + "\n}\n";

    [Fact]
    public async Task U8_literal_for_GetBytes_of_a_literal()
    {
        string before = Filter("""
                [OnRequestHeaders]
                public void OnRequestHeaders(RequestHeaders headers)
                {
                    headers.Replace("x-env"u8, Encoding.UTF8.GetBytes("production"));
                    ReadOnlySpan<byte> name = Encoding.ASCII.GetBytes(@"x-name");
                    headers.Add(name, name);
                }
            """);
        string after = Filter("""
                [OnRequestHeaders]
                public void OnRequestHeaders(RequestHeaders headers)
                {
                    headers.Replace("x-env"u8, "production"u8);
                    ReadOnlySpan<byte> name = @"x-name"u8;
                    headers.Add(name, name);
                }
            """);
        Assert.Equal(after, await FixHarness.ApplyAsync(before, new U8LiteralCodeFix(), fixAll: true));
        Assert.Contains("\"production\"u8", await FixHarness.ApplyAsync(before, new U8LiteralCodeFix()));
    }

    [Fact]
    public async Task SequenceEqual_for_a_decoded_header_compared_with_a_literal()
    {
        string before = """
            using ProxyWasm;

            [HttpFilter("test")]
            public partial class TestFilter
            {
                [OnRequestHeaders]
                public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, RequestBody body)
                {
                    if (headers.GetValueString(":method"u8) == "POST" && "json" != headers.GetValueString("x-format"u8))
                    {
                        return FilterHeadersStatus.StopIteration;
                    }

                    if (string.Equals(System.Text.Encoding.UTF8.GetString(body.GetBytes()), "ping"))
                    {
                        return FilterHeadersStatus.StopIteration;
                    }

                    return FilterHeadersStatus.Continue;
                }
            }
            """;
        string after = """
            using System;
            using ProxyWasm;

            [HttpFilter("test")]
            public partial class TestFilter
            {
                [OnRequestHeaders]
                public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, RequestBody body)
                {
                    if (headers.GetValue(":method"u8).SequenceEqual("POST"u8) && !headers.GetValue("x-format"u8).SequenceEqual("json"u8))
                    {
                        return FilterHeadersStatus.StopIteration;
                    }

                    if (body.GetBytes().SequenceEqual("ping"u8))
                    {
                        return FilterHeadersStatus.StopIteration;
                    }

                    return FilterHeadersStatus.Continue;
                }
            }
            """;
        Assert.Equal(FixHarness.Normalize(after), await FixHarness.ApplyAsync(before, new SequenceEqualCodeFix(), fixAll: true));
    }

    [Fact]
    public async Task SequenceEqual_on_a_byte_array_goes_through_AsSpan()
    {
        string before = Filter("""
                [OnRequestBody]
                public void OnRequestBody(RequestBody body)
                {
                    byte[] bytes = new byte[] { 1 };
                    if (Encoding.UTF8.GetString(bytes) == "ok") { _name = "ok"; }
                }
            """);
        string after = Filter("""
                [OnRequestBody]
                public void OnRequestBody(RequestBody body)
                {
                    byte[] bytes = new byte[] { 1 };
                    if (bytes.AsSpan().SequenceEqual("ok"u8)) { _name = "ok"; }
                }
            """);
        Assert.Equal(after, await FixHarness.ApplyAsync(before, new SequenceEqualCodeFix()));
    }

    [Fact]
    public async Task Concatenated_literals_become_one_literal()
    {
        string before = Filter("""
                [OnRequestHeaders]
                public void OnRequestHeaders(RequestHeaders headers)
                {
                    _name = "Bearer " + 'x' + 42 + "\t\"end\"";
                    _name = "status: " + 200u;
                }
            """);
        string after = Filter("""
                [OnRequestHeaders]
                public void OnRequestHeaders(RequestHeaders headers)
                {
                    _name = "Bearer x42\t\"end\"";
                    _name = "status: 200";
                }
            """);
        Assert.Equal(after, await FixHarness.ApplyAsync(before, new FoldLiteralsCodeFix(), fixAll: true));
    }

    [Fact]
    public async Task Constant_array_argument_moves_to_a_static_readonly_field()
    {
        string before = Filter("""
                [OnRequestHeaders]
                public void OnRequestHeaders(RequestHeaders headers)
                {
                    _name = Pick(new[] { "a", "b" });
                    _name = Pick(new string[] { "c" });
                }

                private static string Pick(string[] values) => values[0];
            """);
        string after = Header.Replace("    private string _name = \"n\";\n", """
                private static readonly string[] s_values = new[] { "a", "b" };
                private static readonly string[] s_values2 = new string[] { "c" };
                private string _name = "n";

            """) + """
                [OnRequestHeaders]
                public void OnRequestHeaders(RequestHeaders headers)
                {
                    _name = Pick(s_values);
                    _name = Pick(s_values2);
                }

                private static string Pick(string[] values) => values[0];
            }

            """;
        Assert.Equal(FixHarness.Normalize(after), await FixHarness.ApplyAsync(before, new StaticReadonlyArrayCodeFix(), fixAll: true));
    }

    [Fact]
    public async Task Console_WriteLine_becomes_ProxyWasm_Log()
    {
        string before = Filter("""
                public void Report()
                {
                    Console.WriteLine("started");
                    Console.Error.WriteLine(_name);
                    Console.Write(_name);
                }
            """);
        string after = Filter("""
                public void Report()
                {
                    Log.Info("started"u8);
                    Log.Error(_name);
                    Log.Info(_name);
                }
            """);
        Assert.Equal(after, await FixHarness.ApplyAsync(before, new ConsoleToLogCodeFix(), fixAll: true));
    }

    [Fact]
    public async Task Console_fix_qualifies_Log_when_ProxyWasm_is_not_imported()
    {
        string before = """
            [ProxyWasm.HttpFilter("test")]
            public partial class TestFilter
            {
                public void Report() => System.Console.WriteLine("started");
            }
            """;
        string after = """
            [ProxyWasm.HttpFilter("test")]
            public partial class TestFilter
            {
                public void Report() => ProxyWasm.Log.Info("started"u8);
            }
            """;
        Assert.Equal(FixHarness.Normalize(after), await FixHarness.ApplyAsync(before, new ConsoleToLogCodeFix()));
    }
}
