using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace ProxyWasm.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot testing with committed expected files: <c>Snapshots/{Test}#{HintName without .cs}.verified.cs</c>.
/// Generated text is compared line by line after normalizing line endings and the generator version stamped into
/// <c>[GeneratedCode]</c>. A mismatch writes <c>.received.cs</c> beside the expected file and fails with the first
/// differing line. <c>PROXYWASM_ACCEPT=1</c> (refused when <c>CI=true</c>) rewrites the expected files of the test
/// and deletes its stale ones.
/// </summary>
internal static partial class Snapshot
{
    public const string VerifiedSuffix = ".verified.cs";
    public const string ReceivedSuffix = ".received.cs";
    public const string VersionPlaceholder = "%VERSION%";

    [GeneratedRegex("""(GeneratedCode\("ProxyWasm\.Generators", ")[^"]*("\))""")]
    private static partial Regex GeneratedCodeVersion();

    /// <summary>Normalized text: '\n' line endings, the generator version replaced by <see cref="VersionPlaceholder"/>.</summary>
    public static string Normalize(string text)
        => GeneratedCodeVersion().Replace(text.Replace("\r\n", "\n").Replace('\r', '\n'), "${1}" + VersionPlaceholder + "${2}");

    /// <summary>The snapshot file name of one generated file of <paramref name="test"/>.</summary>
    public static string FileName(string test, string hintName)
        => test + "#" + (hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName) + VerifiedSuffix;

    /// <summary>The test a snapshot file belongs to and the hint name it holds.</summary>
    public static (string Test, string HintName) Parse(string fileName)
    {
        string stem = fileName[..^VerifiedSuffix.Length];
        int hash = stem.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? (stem, string.Empty) : (stem[..hash], stem[(hash + 1)..] + ".cs");
    }

    public static bool AcceptMode
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PROXYWASM_ACCEPT") != "1")
            {
                return false;
            }

            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("PROXYWASM_ACCEPT=1 is refused when CI=true: snapshots are accepted locally and committed.");
            }

            return true;
        }
    }

    /// <summary>Compares every generated file of <paramref name="test"/> with its expected file (or accepts them).</summary>
    public static void Verify(string test, IReadOnlyList<GeneratedFile> files)
    {
        Directory.CreateDirectory(TestPaths.SnapshotDirectory);
        var produced = new HashSet<string>(files.Select(f => FileName(test, f.HintName)), StringComparer.Ordinal);
        string[] existing = Directory.GetFiles(TestPaths.SnapshotDirectory, test + "#*" + VerifiedSuffix)
            .Select(Path.GetFileName)
            .Where(name => Parse(name!).Test == test)
            .ToArray()!;

        if (AcceptMode)
        {
            foreach (GeneratedFile file in files)
            {
                string path = Path.Combine(TestPaths.SnapshotDirectory, FileName(test, file.HintName));
                File.WriteAllText(path, Normalize(file.Text), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                File.Delete(ReceivedPath(path));
            }

            foreach (string stale in existing.Where(name => !produced.Contains(name)))
            {
                File.Delete(Path.Combine(TestPaths.SnapshotDirectory, stale));
            }

            return;
        }

        var failures = new List<string>();
        foreach (string missing in existing.Where(name => !produced.Contains(name)))
        {
            failures.Add($"{missing}: expected, but the generator did not produce this file (run with PROXYWASM_ACCEPT=1 to delete it if that is intended).");
        }

        foreach (GeneratedFile file in files)
        {
            string path = Path.Combine(TestPaths.SnapshotDirectory, FileName(test, file.HintName));
            string actual = Normalize(file.Text);
            if (!File.Exists(path))
            {
                File.WriteAllText(ReceivedPath(path), actual);
                failures.Add($"{Path.GetFileName(path)}: no expected file; the output is in {Path.GetFileName(ReceivedPath(path))} (run with PROXYWASM_ACCEPT=1 to accept it).");
                continue;
            }

            if (FirstDifference(Normalize(File.ReadAllText(path)), actual) is { } difference)
            {
                File.WriteAllText(ReceivedPath(path), actual);
                failures.Add($"{Path.GetFileName(path)}: {difference} (output written to {Path.GetFileName(ReceivedPath(path))}; PROXYWASM_ACCEPT=1 accepts it).");
            }
            else
            {
                File.Delete(ReceivedPath(path));
            }
        }

        Assert.True(failures.Count == 0, "Snapshot mismatch for " + test + ":\n" + string.Join("\n", failures));
    }

    /// <summary>"line N: expected ... / actual ..." for the first differing line, or null when equal.</summary>
    public static string? FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? el = i < e.Length ? e[i] : null;
            string? al = i < a.Length ? a[i] : null;
            if (el != al)
            {
                return $"line {i + 1} differs:\n  expected: {el ?? "<end of file>"}\n  actual:   {al ?? "<end of file>"}";
            }
        }

        return null;
    }

    private static string ReceivedPath(string verifiedPath) => verifiedPath[..^VerifiedSuffix.Length] + ReceivedSuffix;
}
