using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ProxyWasm.Generators.Helpers;

/// <summary>Every named type declared in a compilation's source, nested ones included: one walk of its namespaces,
/// for the analyzer's compilation-wide indexes (plugin types, JsonSerializerContexts).</summary>
internal static class SourceTypes
{
    public static IEnumerable<INamedTypeSymbol> All(Compilation compilation, CancellationToken ct)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.SourceModule.GlobalNamespace);
        while (pending.Count != 0)
        {
            ct.ThrowIfCancellationRequested();
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type)
                {
                    pending.Push(type);
                    yield return type;
                }
            }
        }
    }
}
