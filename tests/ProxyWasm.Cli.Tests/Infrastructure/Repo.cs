using System.Reflection;

namespace ProxyWasm.Cli.Tests.Infrastructure;

/// <summary>Paths recorded at build time: the repository root and the samples' built assemblies.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (the samples were built in it too).</summary>
    public static string Configuration => Metadata("ProxyWasm.Configuration") ?? "Debug";

    /// <summary>The built assembly of samples/&lt;Name&gt; (its TargetPath), which must exist.</summary>
    public static string Sample(string name)
    {
        string path = Metadata("sample:" + name) ?? throw new InvalidOperationException($"samples/{name} is not a SampleProject of ProxyWasm.Cli.Tests.csproj.");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: the sample should have been built before the tests.");
        }

        return path;
    }

    /// <summary>samples/&lt;Name&gt;, the project directory.</summary>
    public static string SampleDirectory(string name) => Path.Combine(Root, "samples", name);

    private static string? Metadata(string key)
        => typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    private static string FindRoot()
    {
        string? root = Metadata("ProxyWasm.RepoRoot");
        if (root is null || !File.Exists(Path.Combine(root, "ProxyWasm.Generators.sln")))
        {
            throw new InvalidOperationException($"The repository root recorded at build time ('{root}') does not hold ProxyWasm.Generators.sln.");
        }

        return Path.GetFullPath(root);
    }
}
