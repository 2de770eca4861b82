using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Filters;
using ProxyWasm.Generators.Helpers;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// The callback table (src/Shared/ProxyCallbacks.cs) is the one declaration of every <c>proxy_on_*</c> callback: each
/// hook attribute of the runtime has exactly one row and each row's hook an attribute; docs/callbacks.md is rendered
/// from the rows (<c>PROXYWASM_ACCEPT=1</c> rewrites it); and a row the emitters have no code for fails the generator
/// instead of being emitted as some other callback.
/// </summary>
public sealed class CallbackTableTests
{
    private const string Begin = "<!-- callbacks:begin (generated from src/Shared/ProxyCallbacks.cs by CallbackTableTests; PROXYWASM_ACCEPT=1 rewrites it) -->";
    private const string End = "<!-- callbacks:end -->";

    [Fact]
    public void Every_hook_attribute_has_exactly_one_row_and_every_hooked_row_an_attribute()
    {
        string[] attributes = typeof(HookAttribute).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(HookAttribute)) && !t.IsAbstract)
            .Select(t => t.Name[..^"Attribute".Length])
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        string[] hooks = ProxyCallbacks.All.Where(c => c.Hook is not null).Select(c => c.Hook!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        Assert.Equal(attributes, hooks);
        Assert.All(attributes, a => Assert.Single(ProxyCallbacks.All, c => c.Hook == a));
    }

    [Fact]
    public void Rows_are_unique_and_complete_for_what_the_emitters_need()
    {
        Assert.Equal(ProxyCallbacks.All.Length, ProxyCallbacks.All.Select(c => c.Export).Distinct().Count());
        Assert.Equal(27, ProxyCallbacks.All.Length);
        foreach (ProxyCallback row in ProxyCallbacks.All)
        {
            Assert.StartsWith("proxy_", row.Export);
            Assert.Same(row, ProxyCallbacks.ForExport(row.Export));
            Assert.False(string.IsNullOrWhiteSpace(row.Summary), row.Export);
            if (row.Hook is null)
            {
                continue;
            }

            Assert.Same(row, ProxyCallbacks.ForHook(row.Hook));
            Assert.Contains(row.Context, new[] { CallbackContext.Root, CallbackContext.HttpStream, CallbackContext.TcpStream, CallbackContext.AnyStream, CallbackContext.Callout });
            Assert.NotEqual(CallbackRate.Never, row.Rate);
            Assert.Equal(row.Result != CallbackResult.Void, row.Neutral is not null);
            Assert.Equal(row.Result != CallbackResult.Void, row.Failure is not null);
            Assert.Equal(row.Result == CallbackResult.Bool, row.BoolMeaning is not null);
            Assert.Equal((row.Inputs & CallbackInputs.Count) != 0, row.CountMeaning is not null);
            if ((row.Inputs & CallbackInputs.EndOfStream) != 0)
            {
                Assert.Contains("end_of_stream", row.Parameters);
            }

            if (row.StatusType is { } status)
            {
                Type type = typeof(HookAttribute).Assembly.GetType("ProxyWasm." + status)!;
                Assert.True(Enum.IsDefined(type, Enum.Parse(type, row.Neutral!)), row.Export);
                Assert.True(Enum.IsDefined(type, Enum.Parse(type, row.Failure!)), row.Export);
            }
        }
    }

    [Fact]
    public void Docs_table_is_the_table()
    {
        string path = Path.Combine(TestPaths.RepoRoot, "docs", "callbacks.md");
        string text = File.ReadAllText(path).Replace("\r\n", "\n");
        int begin = text.IndexOf(Begin, StringComparison.Ordinal);
        int end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/callbacks.md must contain the markers {Begin} and {End}");

        string expected = Begin + "\n" + Render() + End;
        string actual = text[begin..(end + End.Length)];
        if (actual != expected && Snapshot.AcceptMode)
        {
            File.WriteAllText(path, text[..begin] + expected + text[(end + End.Length)..]);
            return;
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_row_without_an_emitter_is_a_generator_error_not_a_guess()
    {
        // proxy_on_delete is handled by the module itself (no hook): a model naming it as a hook must not be emitted as
        // some other callback.
        var hook = new HookModel(ProxyCallbacks.Delete.Export, "OnGone", ReturnBinding.Void, EquatableArray<HookParameter>.Empty, OnPlugin: false);
        var filter = new FilterModel(FilterKind.Network, "Filters", "TcpFilter", "class", "global::Filters.TcpFilter", "tcp", Filters.FailurePolicy.FailClosed, null,
            new[] { hook }.ToEquatableArray(), StateStrategy.PooledClass, EquatableArray<MemberReset>.Empty);

        InvalidOperationException filterError = Assert.Throws<InvalidOperationException>(() => FilterEmitter.Emit(filter, "1.0"));
        Assert.Contains("proxy_on_delete", filterError.Message);

        var unknown = new HookModel("proxy_on_something_else", "X", ReturnBinding.Void, EquatableArray<HookParameter>.Empty, OnPlugin: false);
        Assert.Throws<InvalidOperationException>(() => unknown.Callback);
    }

    private static string Render()
    {
        var md = new StringBuilder();
        md.Append("| Export | Signature | Context | Hook | The hook may take | The hook returns | No hook / void | Hook threw | Rate |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (ProxyCallback row in ProxyCallbacks.All)
        {
            string hook = row.Hook is null ? "(module)" : $"`[{row.Hook}]`";
            string takes = row.Hook is null ? string.Empty : HookBinder.AllowedParameters(row, null, onPlugin: false, row.Context == CallbackContext.TcpStream ? FilterKind.Network : FilterKind.Http) + ((row.Inputs & CallbackInputs.Plugin) != 0 ? ", the plugin type" : string.Empty);
            string returns = row.Hook is null ? string.Empty : HookBinder.ExpectedReturn(row);
            md.Append($"| `{row.Export}` | `{row.Signature}` | {row.Context} | {hook} | {takes} | {returns} | {row.Neutral ?? string.Empty} | {row.Failure ?? string.Empty} | {row.Rate} |\n");
        }

        return md.ToString();
    }
}
