using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProxyWasm.Tests.Shared;

/// <summary>
/// System.Text.Json's source generator, from the analyzers folder of the Microsoft.NETCore.App reference pack the tests
/// compile against: filter compilations with a typed configuration need its <c>JsonSerializerContext</c> code, as a real
/// build has it.
/// </summary>
internal static class SystemTextJsonGenerator
{
    /// <summary>The generator, loaded from the pack next to <paramref name="referenceDirectory"/>
    /// (<c>packs/Microsoft.NETCore.App.Ref/{version}/ref/net10.0/</c>).</summary>
    public static ISourceGenerator Load(string referenceDirectory)
    {
        string path = Path.GetFullPath(Path.Combine(referenceDirectory, "..", "..", "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("System.Text.Json's source generator is not where the reference pack keeps it", path);
        }

        var reference = new AnalyzerFileReference(path, new Loader());
        return reference.GetGenerators(LanguageNames.CSharp).Single();
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
