using Xunit;

namespace ProxyWasm.Cli.Tests.Infrastructure;

/// <summary>Tests that run dotnet build, run or publish: one at a time, after the others (builds of the same projects
/// must not overlap, and the machine is small).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BuildCollection
{
    public const string Name = "builds";
}
