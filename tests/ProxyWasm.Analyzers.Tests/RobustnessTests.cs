using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ProxyWasm.Analyzers.Tests.Harness;
using Xunit;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>The analyzers run in the IDE on code that does not compile yet: they must never throw. Every corpus filter
/// and test snippet is cut off at many points and analyzed; the harness fails on any analyzer exception or AD0001.</summary>
public class RobustnessTests
{
    public static IEnumerable<object[]> Sources()
    {
        foreach (string name in typeof(RobustnessTests).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Corpus/", StringComparison.Ordinal)))
        {
            yield return new object[] { name };
        }

        yield return new object[] { "snippets" };
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Analyzers_do_not_throw_on_incomplete_code(string name)
    {
        string source;
        if (name == "snippets")
        {
            source = Code.Hook("""
                        var sb = new StringBuilder(); object o = _count; Func<int> f = () => _count; _name = $"{_count}" + _name.Substring(1);
                        foreach (var x in _enumerable.Where(v => v > 0)) { _list.Add(x); }
                        if (headers.GetValueString(":method"u8) == "POST") { Console.WriteLine("x"); Thread.Sleep(1); }
                        headers.Replace("x"u8, Encoding.UTF8.GetBytes("v")); _count = Use(new[] { 1, 2 }, 3, 4);
                """, """
                    private static int Use(int[] a, params int[] b) => a.Length + b.Length;
                    private static IEnumerable<int> Iter() { yield return 1; }
                    private async Task<int> Later() { await Task.Yield(); return new int[3].Length; }
                """);
        }
        else
        {
            using Stream stream = typeof(RobustnessTests).Assembly.GetManifestResourceStream(name)!;
            source = await new StreamReader(stream).ReadToEndAsync();
        }

        int step = Math.Max(1, source.Length / 40);
        for (int cut = step; cut < source.Length; cut += step)
        {
            // Truncated, and with a chunk removed from the middle: unbalanced braces, missing members, error types.
            await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source.Substring(0, cut)), requireNoErrors: false);
            await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile(source.Remove(cut - step / 2, step / 2)), requireNoErrors: false);
        }
    }
}
