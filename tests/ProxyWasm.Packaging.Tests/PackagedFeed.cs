using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace ProxyWasm.Packaging.Tests;

/// <summary>
/// Once per test run: packs the four packages with a version no earlier run used (0.1.0-e2e.&lt;UTC time&gt;, so
/// nothing stale comes from the global NuGet cache) into a temporary feed, and prepares a work folder outside the
/// repository whose NuGet.config lists only that feed and the sources this machine restores from, plus a private
/// template hive. Template instances and the installed tool are made on first use and shared by the tests.
/// Everything is deleted at the end, including the e2e version's folders in the global packages folder.
/// </summary>
public sealed class PackagedFeed : IDisposable
{
    /// <summary>The four packages, in the order they are packed (each project's own `dotnet pack`).</summary>
    public static readonly (string Id, string Project)[] Packages =
    [
        ("ProxyWasm.Runtime", "src/Runtime/ProxyWasm.Runtime.csproj"),
        ("ProxyWasm.Testing", "src/Testing/ProxyWasm.Testing.csproj"),
        ("ProxyWasm.Templates", "templates/ProxyWasm.Templates.csproj"),
        ("ProxyWasm.Cli", "src/Cli/ProxyWasm.Cli.csproj"),
    ];

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(8);

    private readonly Lazy<IReadOnlyDictionary<string, string>> _packed;
    private readonly Lazy<string> _templateInstalled;
    private readonly Lazy<string> _tool;
    private readonly ConcurrentDictionary<string, Lazy<string>> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _timings = new();

    public PackagedFeed()
    {
        RepoRoot = FindRepoRoot();
        Root = Path.Combine(Path.GetTempPath(), "proxywasm-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Work = Path.Combine(Root, "work");
        Hive = Path.Combine(Root, "template-hive");
        ToolPath = Path.Combine(Root, "tools");
        Version = ReadVersionPrefix(RepoRoot) + "-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Work);
        _packed = new Lazy<IReadOnlyDictionary<string, string>>(PackAll);
        _templateInstalled = new Lazy<string>(InstallTemplate);
        _tool = new Lazy<string>(InstallTool);
    }

    public string RepoRoot { get; }

    /// <summary>The temporary folder holding everything below.</summary>
    public string Root { get; }

    public string Feed { get; }

    /// <summary>Where `dotnet new` runs: outside the repository, with its own NuGet.config.</summary>
    public string Work { get; }

    public string Hive { get; }

    public string ToolPath { get; }

    /// <summary>The repository URL the packages are packed with (-p:RepositoryUrl: the repository has no public remote
    /// yet, so Directory.Build.props sets none).</summary>
    public const string RepositoryUrl = "https://example.invalid/ProxyWasm.Generators";

    /// <summary>The version every package of this run has.</summary>
    public string Version { get; }

    /// <summary>"step: seconds" for every command run so far, in order.</summary>
    public IReadOnlyCollection<string> Timings => _timings;

    /// <summary>Package id → .nupkg path, after packing all four (once).</summary>
    public IReadOnlyDictionary<string, string> Packed => _packed.Value;

    /// <summary>The folder `dotnet new proxywasm-filter -n <paramref name="name"/> <paramref name="options"/>` wrote
    /// (once per name), after installing the template from the feed.</summary>
    public string Instance(string name, params string[] options) =>
        _instances.GetOrAdd(name, _ => new Lazy<string>(() => CreateInstance(name, options))).Value;

    /// <summary>The proxywasm executable, installed from the feed with `dotnet tool install --tool-path`.</summary>
    public string Tool() => _tool.Value;

    /// <summary>Runs dotnet with <paramref name="arguments"/> in <paramref name="directory"/> and records the time.</summary>
    internal ProcessResult Dotnet(string step, string directory, params string[] arguments) =>
        Timed(step, () => ProcessRunner.Run(ProcessRunner.Dotnet(), arguments, directory, CommandTimeout));

    internal ProcessResult Timed(string step, Func<ProcessResult> run)
    {
        ProcessResult result = run();
        _timings.Enqueue($"{step}: {result.Elapsed.TotalSeconds:F1} s (exit {result.ExitCode})");
        return result;
    }

    private IReadOnlyDictionary<string, string> PackAll()
    {
        Assert.False(Work.StartsWith(RepoRoot, StringComparison.Ordinal), $"The work folder {Work} must be outside the repository {RepoRoot}.");
        var packed = new Dictionary<string, string>(StringComparer.Ordinal);
        string artifacts = Path.Combine(Root, "artifacts");
        foreach ((string id, string project) in Packages)
        {
            ProcessResult pack = Timed($"dotnet pack {project}", () => ProcessRunner.Run(ProcessRunner.Dotnet(),
                ["pack", Path.Combine(RepoRoot, project), "-c", "Release", "-o", Feed, $"-p:Version={Version}", $"-p:RepositoryUrl={RepositoryUrl}",
                 "--artifacts-path", artifacts, "--disable-build-servers", "-nologo"],
                RepoRoot, PackTimeout));
            SkipIfRegistryUnreachable(pack);
            Assert.True(pack.ExitCode == 0, pack.Describe());
            IReadOnlyList<string> warnings = pack.WarningLines();
            Assert.True(warnings.Count == 0, $"Packing {id} printed warnings:\n{string.Join('\n', warnings)}");
            string nupkg = Path.Combine(Feed, $"{id}.{Version}.nupkg");
            Assert.True(File.Exists(nupkg), $"{nupkg} was not written.\n{pack.Describe()}");
            packed[id] = nupkg;
        }

        WriteNuGetConfig();
        return packed;
    }

    /// <summary>NuGet.config of the work folder: the feed, then every source this machine restores from (as
    /// `dotnet nuget list source` reports them outside the repository), and nothing else.</summary>
    private void WriteNuGetConfig()
    {
        ProcessResult list = ProcessRunner.Run(ProcessRunner.Dotnet(), ["nuget", "list", "source", "--format", "short"], Work, CommandTimeout);
        Assert.True(list.ExitCode == 0, list.Describe());
        string[] machineSources = list.StandardOutput.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToArray();
        var lines = new List<string>
        {
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<configuration>",
            "  <packageSources>",
            "    <clear />",
            $"    <add key=\"proxywasm-e2e\" value=\"{Feed}\" />",
        };
        lines.AddRange(machineSources.Select((source, i) => $"    <add key=\"machine{i}\" value=\"{System.Security.SecurityElement.Escape(source)}\" />"));
        lines.AddRange(["  </packageSources>", "</configuration>"]);
        File.WriteAllLines(Path.Combine(Work, "NuGet.config"), lines);
    }

    private string InstallTemplate()
    {
        string nupkg = Packed["ProxyWasm.Templates"];
        ProcessResult install = Dotnet("dotnet new install ProxyWasm.Templates", Work, "new", "install", nupkg, "--debug:custom-hive", Hive);
        Assert.True(install.ExitCode == 0, install.Describe());
        Assert.Contains("proxywasm-filter", install.StandardOutput, StringComparison.Ordinal);
        return Hive;
    }

    private string CreateInstance(string name, string[] options)
    {
        string hive = _templateInstalled.Value;
        ProcessResult create = Dotnet($"dotnet new proxywasm-filter -n {name} {string.Join(' ', options)}".TrimEnd(), Work,
            ["new", "proxywasm-filter", "-n", name, .. options, "--debug:custom-hive", hive]);
        Assert.True(create.ExitCode == 0, create.Describe());
        string directory = Path.Combine(Work, name);
        Assert.True(Directory.Exists(directory), $"dotnet new did not create {directory}.\n{create.Describe()}");
        return directory;
    }

    private string InstallTool()
    {
        _ = Packed;
        ProcessResult install = Dotnet("dotnet tool install ProxyWasm.Cli", Work,
            "tool", "install", "--tool-path", ToolPath, "ProxyWasm.Cli", "--add-source", Feed, "--version", Version);
        SkipIfRegistryUnreachable(install);
        Assert.True(install.ExitCode == 0, install.Describe());
        string tool = Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "proxywasm.exe" : "proxywasm");
        Assert.True(File.Exists(tool), $"{tool} was not installed.\n{install.Describe()}");
        return tool;
    }

    /// <summary>Restore needs the registry for the packages the projects reference (System.CommandLine, xunit, the
    /// NativeAOT compiler…): without it nothing here can run.</summary>
    internal static void SkipIfRegistryUnreachable(ProcessResult result)
    {
        string[] unreachable = result.Output.Split('\n').Where(line => Regex.IsMatch(line, @"error NU1301\b")).Select(line => line.Trim()).Distinct().ToArray();
        Skip.If(result.ExitCode != 0 && unreachable.Length > 0,
            "The package registry could not be reached, so the packages and the template's projects cannot be restored:\n" + string.Join('\n', unreachable));
    }

    private static string ReadVersionPrefix(string repoRoot)
    {
        string props = File.ReadAllText(Path.Combine(repoRoot, "Directory.Build.props"));
        Match match = Regex.Match(props, @"<VersionPrefix>\s*([^<\s]+)\s*</VersionPrefix>");
        Assert.True(match.Success, "Directory.Build.props has no VersionPrefix.");
        return match.Groups[1].Value;
    }

    private static string FindRepoRoot()
    {
        string? recorded = typeof(PackagedFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProxyWasm.RepoRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "ProxyWasm.Generators.sln")))
        {
            return Path.GetFullPath(recorded);
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProxyWasm.Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ProxyWasm.Generators.sln) was not found.");
    }

    public void Dispose()
    {
        TryDelete(Root);

        // The e2e version of each package (and the tool) that restore and `dotnet tool install` extracted into the global
        // packages folder: never used again, since the next run has another version.
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach ((string id, _) in Packages)
        {
            TryDelete(Path.Combine(packages, id.ToLowerInvariant(), Version.ToLowerInvariant()));
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still open by a process that outlived its test; left behind in the temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackagedFeed>
{
    public const string Name = "packaging";
}
