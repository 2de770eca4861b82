namespace ProxyWasm.Cli.Tests.Infrastructure;

/// <summary>A filter project in a temporary directory, outside the repository: it imports the repository's
/// build/ProxyWasm.Filter.props (the runtime and the generator) by absolute path. Deleted on dispose.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(string name, string source)
        : this(name, source, $"""<Import Project="{Path.Combine(Repo.Root, "build", "ProxyWasm.Filter.props")}" />""")
    {
    }

    /// <param name="name">The project (and source file) name.</param>
    /// <param name="source">The one source file.</param>
    /// <param name="references">What the project imports or references, in place of build/ProxyWasm.Filter.props.</param>
    public TempProject(string name, string source, string references)
    {
        Directory = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-" + Guid.NewGuid().ToString("N"), name);
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              {references}
            </Project>
            """);
        File.WriteAllText(Path.Combine(Directory, name + ".cs"), source);
    }

    /// <summary>A reference to src/Runtime alone: the attributes without the generator.</summary>
    public static string RuntimeOnly => $"""<ItemGroup><ProjectReference Include="{Path.Combine(Repo.Root, "src", "Runtime", "ProxyWasm.Runtime.csproj")}" /></ItemGroup>""";

    /// <summary>The project directory.</summary>
    public string Directory { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path.GetDirectoryName(Directory)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
