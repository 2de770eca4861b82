using System.Collections.Generic;
using System.IO;
using System.Linq;
using ProxyWasm.Generators.HostCalls;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>Every committed snapshot belongs to a snapshot test and to a file that test's generator run produces.</summary>
public sealed class SnapshotGuardTests
{
    [Fact]
    public void Every_verified_file_belongs_to_a_test()
    {
        Dictionary<string, HashSet<string>> produced = FilterCases.All.ToDictionary(
            c => c.Name,
            c => TestCompilation.Run(TestCompilation.Create(c.Sources)).HintNames.ToHashSet());
        produced[HostCallsGeneratorTests.SnapshotName] = HostCallsGeneratorTests.Run(new HostCallsGenerator()).HintNames.ToHashSet();
        produced[HostCallsGeneratorTests.AotSnapshotName] = HostCallsGeneratorTests.RunFlavor("Aot").HintNames.ToHashSet();

        string[] files = Directory.GetFiles(TestPaths.SnapshotDirectory, "*" + Infrastructure.Snapshot.VerifiedSuffix).Select(f => Path.GetFileName(f)!).ToArray();
        Assert.NotEmpty(files);

        var orphans = new List<string>();
        foreach (string file in files)
        {
            (string test, string hintName) = Infrastructure.Snapshot.Parse(file);
            if (!produced.TryGetValue(test, out HashSet<string>? hints) || !hints.Contains(hintName))
            {
                orphans.Add(file);
            }
        }

        Assert.True(orphans.Count == 0, "Snapshot files no test produces (delete them, or run the tests with PROXYWASM_ACCEPT=1):\n" + string.Join("\n", orphans));
    }

    [Fact]
    public void Every_snapshot_test_output_has_a_verified_file()
    {
        var missing = new List<string>();
        foreach (FilterCase c in FilterCases.All)
        {
            foreach (string hint in TestCompilation.Run(TestCompilation.Create(c.Sources)).HintNames)
            {
                string file = Infrastructure.Snapshot.FileName(c.Name, hint);
                if (!File.Exists(Path.Combine(TestPaths.SnapshotDirectory, file)))
                {
                    missing.Add(file);
                }
            }
        }

        Assert.True(missing.Count == 0, "Missing snapshots:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Normalization_replaces_the_generator_version_and_line_endings_only()
    {
        string text = "[global::System.CodeDom.Compiler.GeneratedCode(\"ProxyWasm.Generators\", \"1.2.3.4\")]\r\nclass C { }\r\n";

        Assert.Equal("[global::System.CodeDom.Compiler.GeneratedCode(\"ProxyWasm.Generators\", \"%VERSION%\")]\nclass C { }\n", Infrastructure.Snapshot.Normalize(text));
        Assert.Null(Infrastructure.Snapshot.FirstDifference("a\nb\n", "a\nb\n"));
        Assert.Equal("line 2 differs:\n  expected: b\n  actual:   c", Infrastructure.Snapshot.FirstDifference("a\nb\n", "a\nc\n"));
        Assert.Equal(("Test", "A.B.g.cs"), Infrastructure.Snapshot.Parse(Infrastructure.Snapshot.FileName("Test", "A.B.g.cs")));
    }
}
