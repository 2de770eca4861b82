using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using ProxyWasm.Generators.Filters;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// Incrementality of the filter generator, through its tracked steps <see cref="FilterGenerator.StepFilterModel"/> and
/// <see cref="FilterGenerator.StepModuleModel"/>: edits that do not change a filter's shape leave both steps
/// Cached/Unchanged; a new hook modifies them; the models hold no Roslyn objects and do not keep compilations alive.
/// </summary>
public sealed class IncrementalTests
{
    private const string FilterPath = "Filter.cs";

    private const string Filter = """
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("incremental")]
        public partial class IncrementalFilter
        {
            private int _calls;

            [OnRequestHeaders]
            public FilterHeadersStatus Headers(RequestHeaders headers)
            {
                _calls++;
                return FilterHeadersStatus.Continue;
            }
        }
        """;

    private const string OtherFilter = """
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("other")]
        public partial struct OtherFilter
        {
            [OnLog] public void Log() { }
        }
        """;

    public static TheoryData<string, string> UnrelatedEdits() => new()
    {
        { "unrelated type in a new file", "" },
        { "comment in the filter file", Filter.Replace("    private int _calls;", "    // Counts the calls.\n    private int _calls;") },
        { "hook body", Filter.Replace("        _calls++;\n", "        _calls += 2;\n") },
        { "unrelated type in the filter file", Filter + "\npublic class Unrelated { public int Value; }\n" },
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Edits_that_do_not_change_a_filter_leave_its_steps_cached_or_unchanged(string edit, string newFilterText)
    {
        Compilation first = TestCompilation.Create((FilterPath, Filter), ("Other.cs", OtherFilter));
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(first);

        Compilation second = newFilterText.Length == 0
            ? first.AddSyntaxTrees(TestCompilation.Parse("namespace Elsewhere; public class Unrelated { }", "Unrelated.cs"))
            : first.ReplaceSyntaxTree(first.SyntaxTrees.Single(t => t.FilePath == FilterPath), TestCompilation.Parse(newFilterText, FilterPath));
        GeneratorRunResult result = driver.RunGenerators(second).GetRunResult().Results.Single();

        IncrementalStepRunReason[] filterReasons = Reasons(result, FilterGenerator.StepFilterModel);
        Assert.Equal(2, filterReasons.Length);
        Assert.All(filterReasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{edit}: FilterModel step output was {reason}"));
        IncrementalStepRunReason moduleReason = Assert.Single(Reasons(result, FilterGenerator.StepModuleModel));
        Assert.True(moduleReason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{edit}: ModuleModel step output was {moduleReason}");
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{edit}: a source output was {output.Reason}"));
    }

    [Fact]
    public void Adding_a_hook_modifies_the_filter_and_module_models()
    {
        Compilation first = TestCompilation.Create((FilterPath, Filter), ("Other.cs", OtherFilter));
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(first);
        string withHook = Filter.Replace("    private int _calls;", "    private int _calls;\n\n    [OnStreamDone]\n    public void Done() { }");

        Compilation second = first.ReplaceSyntaxTree(first.SyntaxTrees.Single(t => t.FilePath == FilterPath), TestCompilation.Parse(withHook, FilterPath));
        GeneratorDriverRunResult run = driver.RunGenerators(second).GetRunResult();
        GeneratorRunResult result = run.Results.Single();

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, FilterGenerator.StepFilterModel));
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Reasons(result, FilterGenerator.StepModuleModel)));
        Assert.Contains("OnStreamDone", result.GeneratedSources.Single(s => s.HintName == "Filters.IncrementalFilter.ProxyWasm.g.cs").SourceText.ToString());
    }

    [Fact]
    public void The_old_compilation_is_not_kept_alive()
    {
        GeneratorDriver driver = TestCompilation.CreateDriver();
        WeakReference oldCompilation = RunOnce(ref driver);

        Compilation next = TestCompilation.Create((FilterPath, Filter.Replace("_calls++;", "_calls--;")), ("Other.cs", OtherFilter));
        driver = driver.RunGenerators(next);
        for (int i = 0; i < 3 && oldCompilation.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(oldCompilation.IsAlive, "The generator driver keeps the previous compilation alive.");
        GC.KeepAlive(driver);
        GC.KeepAlive(next);
    }

    [Fact]
    public void Tracked_step_outputs_hold_no_symbols_compilations_syntax_or_locations()
    {
        Compilation compilation = TestCompilation.Create(FilterCases.Get("PluginFilter").Sources.Append((FilterPath, Filter)).Append(("Other.cs", OtherFilter)).ToArray());
        GeneratorRunResult result = TestCompilation.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        var values = new List<object>();
        foreach (string step in new[] { FilterGenerator.StepFilterModel, FilterGenerator.StepModuleModel })
        {
            values.AddRange(result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value));
        }

        Assert.Equal(4, values.Count);
        foreach (object value in values)
        {
            Walk(value, new HashSet<object>(ReferenceEqualityComparer.Instance), value.GetType().Name);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RunOnce(ref GeneratorDriver driver)
    {
        Compilation compilation = TestCompilation.Create((FilterPath, Filter), ("Other.cs", OtherFilter));
        driver = driver.RunGenerators(compilation);
        return new WeakReference(compilation);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        => result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    /// <summary>Fails when anything reachable from <paramref name="value"/> is a Roslyn object that would root a
    /// compilation or defeat caching.</summary>
    private static void Walk(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || value is Type || !seen.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or Compilation or SyntaxNode or SyntaxTree or Location or SemanticModel or AttributeData,
            $"{path} is a {value.GetType().FullName}, which roots a compilation");

        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                Walk(item, seen, $"{path}[{i++}]");
            }
        }

        for (Type? type = value.GetType(); type is not null; type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), seen, path + "." + field.Name);
            }
        }
    }
}
