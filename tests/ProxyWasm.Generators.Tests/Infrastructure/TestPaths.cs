using System;
using System.Linq;
using System.Reflection;

namespace ProxyWasm.Generators.Tests.Infrastructure;

/// <summary>Paths recorded by the test project at build time (AssemblyMetadata in the .csproj).</summary>
internal static class TestPaths
{
    /// <summary>The repository root, with a trailing separator.</summary>
    public static string RepoRoot { get; } = Metadata("ProxyWasm.RepoRoot");

    /// <summary>The committed snapshot folder, tests/ProxyWasm.Generators.Tests/Snapshots.</summary>
    public static string SnapshotDirectory { get; } = Metadata("ProxyWasm.SnapshotDirectory");

    /// <summary>The net10.0 reference pack folder the test project compiled against.</summary>
    public static string NetCoreReferenceDirectory { get; } = Metadata("ProxyWasm.NetCoreReferenceDirectory");

    private static string Metadata(string key)
    {
        string? value = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value;
        return string.IsNullOrEmpty(value) ? throw new InvalidOperationException($"The test assembly has no '{key}' metadata; build it with its .csproj.") : value;
    }
}
