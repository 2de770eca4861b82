using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using ProxyWasm.Analyzers.Tests.Harness;
using Xunit;
using static ProxyWasm.Analyzers.Tests.Harness.AnalyzerHarness;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>One positive and at least one negative case per hot-path rule, in the body of a hook.</summary>
public class HotPathRuleTests
{
    [Fact]
    public async Task PXW1001_new_of_a_class()
    {
        var d = await VerifyAsync(Code.Hook("""
                    var sb = {|PXW1001:new StringBuilder()|};
                    var anonymous = {|PXW1001:new { A = 1 }|};
                    _ = sb; _ = anonymous;
            """));
        Assert.Contains("in OnRequestHeaders", d[0].GetMessage());
        Assert.Contains("StringBuilder", d[0].GetMessage());
    }

    [Fact]
    public async Task PXW1001_not_for_structs_spans_and_u8_literals() => await VerifyAsync(Code.Hook("""
                var value = new Utf8ValueBuilder(stackalloc byte[16]);
                value.Append("x"u8);
                ReadOnlySpan<byte> authority = headers.GetValue(":authority"u8);
                ReadOnlySpan<byte> host = authority.Slice(0, Math.Min(3, authority.Length));
                value.Append(host);
                value.Dispose();
                var pair = new KeyValuePair<int, int>(1, 2);
                _ = pair;
                string constant = nameof(TestFilter) + "x";
                _ = constant;
        """));

    [Fact]
    public async Task PXW1002_array_creation() => await VerifyAsync(Code.Hook("""
                int[] numbers = {|PXW1002:new int[4]|};
                _ = numbers;
        """));

    [Fact]
    public async Task PXW1002_not_for_stackalloc_or_constant_bytes_as_span() => await VerifyAsync(Code.Hook("""
                Span<int> numbers = stackalloc int[4];
                ReadOnlySpan<byte> data = new byte[] { 1, 2, 3 };
                _ = numbers.Length + data.Length;
        """));

    [Fact]
    public async Task PXW1003_constant_array_argument() => await VerifyAsync(Code.Hook("""
                _count = Use({|PXW1003:new[] { "a", "b" }|});
        """, """
            private static readonly string[] s_values = { "a", "b" };
            private static int Use(string[] values) => values.Length;
            private int NotHot() => Use(s_values);
        """));

    [Fact]
    public async Task PXW1004_collection_expression() => await VerifyAsync(Code.Hook("""
                List<int> list = {|PXW1004:[1, 2]|};
                ReadOnlySpan<int> span = [1, 2];
                int[] empty = [];
                _ = list.Count + span.Length + empty.Length;
        """));

    [Fact]
    public async Task PXW1005_params_array() => await VerifyAsync(Code.Hook("""
                _count = {|PXW1005:Sum(1, 2, 3)|};
                _count = Sum();
                _count = SumSpan(1, 2, 3);
        """, """
            private static int Sum(params int[] values) => values.Length;
            private static int SumSpan(params ReadOnlySpan<int> values) => values.Length;
        """));

    [Fact]
    public async Task PXW1006_capturing_lambda() => await VerifyAsync(Code.Hook("""
                int n = _count;
                Func<int> captures = () {|PXW1006:=>|} n;
                Func<int, int> pure = static x => x + 1;
                Func<int, int> noCapture = x => x * 2;
                _count = captures() + pure(1) + noCapture(2);
        """));

    [Fact]
    public async Task PXW1006_message_lists_captures()
    {
        var d = await VerifyAsync(Code.Hook("""
                    int n = 1;
                    Func<int> f = () {|PXW1006:=>|} n + _count;
                    _count = f();
            """));
        string message = d.Single().GetMessage();
        Assert.True(message.Contains("'n'") && message.Contains("'this'"), message);
    }

    [Fact]
    public async Task PXW1007_delegate_from_instance_method() => await VerifyAsync(Code.Hook("""
                Func<int> bound = {|PXW1007:Instance|};
                Func<int> cached = Static;
                _count = bound() + cached();
        """, """
            private int Instance() => _count;
            private static int Static() => 1;
        """));

    [Fact]
    public async Task PXW1008_boxing() => await VerifyAsync(Code.Hook("""
                object boxed = {|PXW1008:_count|};
                IComparable comparable = {|PXW1008:_count|};
                Generic(_count);
                var status = FilterHeadersStatus.Continue;
                bool same = status.HasFlag(FilterHeadersStatus.Continue);
                _ = boxed; _ = comparable; _ = same;
        """, """
            private static void Generic<T>(T value) { }
        """));

    [Fact]
    public async Task PXW1009_non_overridden_value_type_member() => await VerifyAsync(Code.Hook("""
                var point = new Point { X = 1 };
                _count = {|PXW1009:point.GetHashCode()|};
                _count = point.X.GetHashCode();
                var level = LogLevel.Info;
                _name = {|PXW1009:level.ToString()|};
        """, """
            private struct Point { public int X; }
        """));

    [Fact]
    public async Task PXW1010_string_concatenation() => await VerifyAsync(Code.Hook("""
                _name = {|PXW1010:"a" + _name|};
                {|PXW1010:_name += "b"|};
                const string folded = "a" + "b";
                _name = folded + "c";
        """));

    [Fact]
    public async Task PXW1011_interpolated_string() => await VerifyAsync(Code.Hook("""
                _name = {|PXW1011:$"count {_count}"|};
                _name = $"constant";
                Span<char> buffer = stackalloc char[32];
                _ = buffer.TryWrite($"count {_count}", out int written);
        """));

    [Fact]
    public async Task PXW1012_string_formatting() => await VerifyAsync(Code.Hook("""
                _name = {|PXW1012:string.Join(",", _name, _name)|};
        """));

    [Fact]
    public async Task PXW1013_allocating_apis() => await VerifyAsync(Code.Hook("""
                _name = {|PXW1013:_count.ToString()|};
                _name = {|PXW1013:_name.Substring(1)|};
                _name = {|PXW1013:headers.GetValueString("a"u8)|} ?? "";
                ReadOnlySpan<char> tail = _name.AsSpan(1);
                Span<char> digits = stackalloc char[11];
                _ = _count.TryFormat(digits, out int written);
                _ = tail;
        """));

    [Fact]
    public async Task PXW1014_encoding() => await VerifyAsync(Code.Hook("""
                byte[] bytes = {|PXW1014:Encoding.UTF8.GetBytes(_name)|};
                _name = {|PXW1014:Encoding.UTF8.GetString(bytes)|};
                headers.Replace("x"u8, {|PXW1014:Encoding.UTF8.GetBytes("v")|});
                Span<byte> buffer = stackalloc byte[64];
                _count = Encoding.UTF8.GetBytes(_name.AsSpan(), buffer);
        """));

    [Fact]
    public async Task PXW1014_literal_gets_the_u8_fix_property()
    {
        var d = await VerifyAsync(Code.Hook("""
                    headers.Replace("x"u8, {|PXW1014:Encoding.UTF8.GetBytes("v")|});
                    byte[] array = {|PXW1014:Encoding.UTF8.GetBytes("v")|};
                    _ = array;
            """));
        Assert.Equal("U8Literal", d[0].Properties["PxwFix"]);
        Assert.False(d[1].Properties.ContainsKey("PxwFix"));
    }

    [Fact]
    public async Task PXW1014_message_says_where_before_the_advice()
    {
        var d = await VerifyAsync(Code.Hook("""
                    _name = {|PXW1014:Encoding.UTF8.GetString(headers.GetValue("x"u8))|};
                    headers.Replace("x"u8, {|PXW1014:Encoding.UTF8.GetBytes("v")|});
            """));
        Assert.Equal("'Encoding.GetString' allocates a new string in OnRequestHeaders; " +
            "work on the UTF-8 bytes (SequenceEqual with a u8 literal, IndexOf, Utf8Parser) instead of decoding them", d[0].GetMessage());
        Assert.Equal("'Encoding.GetBytes' allocates a new byte[] in OnRequestHeaders; use the u8 literal \"v\"u8, which is constant data", d[1].GetMessage());
    }

    [Fact]
    public async Task PXW1015_decoded_comparison() => await VerifyAsync(Code.Hook("""
                if ({|PXW1015:headers.GetValueString(":method"u8) == "POST"|}) { _count++; }
                if (headers.GetValue(":method"u8).SequenceEqual("POST"u8)) { _count++; }
                if ({|PXW1013:headers.GetValueString(":method"u8)|} == "") { _count++; }
        """));

    [Fact]
    public async Task PXW1016_linq() => await VerifyAsync(Code.Hook("""
                _count = {|PXW1016:_list.Count(x => x > 1)|};
                _count = _list.Count;
        """));

    [Fact]
    public async Task PXW1017_foreach_over_interface() => await VerifyAsync(Code.Hook("""
                foreach (int x in {|PXW1017:_enumerable|}) { _count += x; }
                foreach (int x in _list) { _count += x; }
                foreach (HeaderPair pair in headers.GetAll()) { _count += pair.Name.Length; }
                foreach (char c in _name) { _count += c; }
        """));

    [Fact]
    public async Task PXW1018_iterator_called_from_hook()
    {
        var d = await VerifyAsync(Code.Hook("""
                    foreach (int x in {|PXW1017:Numbers()|}) { _count += x; }
            """, """
                private static IEnumerable<int> {|PXW1018:Numbers|}() { yield return 1; }
            """));
        Assert.Contains("every call in TestFilter.Numbers, called from TestFilter.OnRequestHeaders;", d.Single(x => x.Id == "PXW1018").GetMessage());
    }

    [Fact]
    public async Task PXW1019_async_called_from_hook() => await VerifyAsync(Code.Hook("""
                _ = WorkAsync();
        """, """
            private async Task {|PXW1019:WorkAsync|}() { await Task.CompletedTask; }
        """));

    [Fact]
    public async Task PXW1020_throw_new() => await VerifyAsync(Code.Hook("""
                if (_count < 0) {|PXW1020:throw new InvalidOperationException("negative " + _count);|}
                try { _count++; } catch (OverflowException) { throw; }
        """));

    [Fact]
    public async Task Rules_do_not_apply_outside_the_hot_path() => await VerifyAsync(Code.Filter("""
                public string Describe(int[] values) => string.Join(",", values.Select(v => v.ToString() + _name)) + $"{_count}";
                private object Box() => _count;
            """));
}
