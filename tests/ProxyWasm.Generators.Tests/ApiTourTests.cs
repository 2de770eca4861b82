using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// docs/api.md maps every host function of <c>HostCalls</c> and every callback of the table to the safe C# that reaches
/// it: nothing is left as "raw only". These tests keep the page true: its rows are exactly the <c>[HostFunction]</c>
/// declarations and the callback rows, every API it names exists in ProxyWasm.Runtime, and for each host function one of
/// the named APIs is declared in a source file that calls it.
/// </summary>
public sealed class ApiTourTests
{
    private static readonly Assembly Runtime = typeof(HookAttribute).Assembly;

    [Fact]
    public void Host_function_rows_are_exactly_the_HostCalls_declarations()
    {
        string[] declared = HostFunctions().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        string[] documented = Rows("## Host functions").Select(r => r.Key).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        Assert.Equal(39, declared.Length);
        Assert.Equal(declared, documented);
    }

    [Fact]
    public void Every_host_function_is_reached_by_a_named_runtime_api_that_calls_it()
    {
        foreach ((string function, string api) in Rows("## Host functions"))
        {
            string[] members = Members(api);
            Assert.True(members.Length != 0, $"{function}: no C# API named");
            bool reached = false;
            foreach (string member in members)
            {
                Type type = Resolve(function, member, out string name);
                Assert.True(type.GetMember(name, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance).Length != 0,
                    $"{function}: {type.Name} has no public member {name}");
                reached |= DeclaringSources(type).Any(source => source.Contains("HostCalls." + function + "(", StringComparison.Ordinal));
            }

            Assert.True(reached, $"{function}: none of {string.Join(", ", members)} is declared in a file that calls HostCalls.{function}");
        }
    }

    [Fact]
    public void Callback_rows_are_exactly_the_table_with_its_hooks()
    {
        Dictionary<string, string> rows = Rows("## Callbacks").ToDictionary(r => r.Key, r => r.Value);

        Assert.Equal(ProxyCallbacks.All.Select(c => c.Export), rows.Keys);
        foreach (ProxyCallback callback in ProxyCallbacks.All)
        {
            Assert.Equal(callback.Hook is null ? "the generated module" : $"`[{callback.Hook}]`", rows[callback.Export]);
        }
    }

    /// <summary>The names of the <c>[HostFunction]</c> methods of <c>HostCalls</c>.</summary>
    private static IEnumerable<string> HostFunctions()
        => typeof(global::ProxyWasm.Abi.HostCalls).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.CustomAttributes.Any(a => a.AttributeType.Name == "HostFunctionAttribute"))
            .Select(m => m.Name);

    /// <summary>The first two cells of each row of the table under <paramref name="heading"/>.</summary>
    private static List<KeyValuePair<string, string>> Rows(string heading)
    {
        string[] lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "api.md"));
        int start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"docs/api.md has no '{heading}' section");
        var rows = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            string[] cells = line.Split('|');
            rows.Add(new(cells[1].Trim().Trim('`'), cells[2].Trim()));
        }

        return rows;
    }

    /// <summary>The <c>`Type.Member`</c> names in a cell.</summary>
    private static string[] Members(string cell) => Regex.Matches(cell, @"`([A-Z]\w*)\.([A-Z]\w*)`").Select(m => m.Groups[1].Value + "." + m.Groups[2].Value).ToArray();

    private static Type Resolve(string function, string member, out string name)
    {
        string[] parts = member.Split('.');
        name = parts[1];
        Type? type = Runtime.GetType("ProxyWasm." + parts[0]);
        Assert.True(type is { IsPublic: true }, $"{function}: ProxyWasm.{parts[0]} is not a public type of ProxyWasm.Runtime");
        return type!;
    }

    /// <summary>The text of the src/Runtime files that declare <paramref name="type"/>.</summary>
    private static IEnumerable<string> DeclaringSources(Type type)
    {
        var declaration = new Regex(@"\b(class|struct|interface)\s+" + Regex.Escape(type.Name) + @"\b");
        foreach (string file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src", "Runtime"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            if (declaration.IsMatch(text))
            {
                yield return text;
            }
        }
    }
}
