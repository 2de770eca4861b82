namespace ProxyWasm.Cli.Tests.Infrastructure;

/// <summary>A filter project in a temporary directory, outside the repository: it imports the repository's
/// build/ProxyWasm.Filter.props (the runtime and the generator) by absolute path. Deleted on dispose.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(string name, string source)
    {
        Directory = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-" + Guid.NewGuid().ToString("N"), name);
        System.IO.Directory.CreateDirectory(Directory);
        string props = Path.Combine(Repo.Root, "build", "ProxyWasm.Filter.props");
        File.WriteAllText(Path.Combine(Directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <Import Project="{props}" />
            </Project>
            """);
        File.WriteAllText(Path.Combine(Directory, name + ".cs"), source);
    }

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
