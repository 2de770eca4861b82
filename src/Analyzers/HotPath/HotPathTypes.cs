using Microsoft.CodeAnalysis;

namespace ProxyWasm.Analyzers.HotPath;

/// <summary>The types the hot-path rules compare against, resolved once per compilation.</summary>
internal sealed class HotPathTypes
{
    private HotPathTypes(Compilation compilation, INamedTypeSymbol hookAttribute)
    {
        Compilation = compilation;
        HookAttribute = hookAttribute;
        HotPathAttribute = compilation.GetTypeByMetadataName("ProxyWasm.HotPathAttribute");
        HeaderMapExtensions = compilation.GetTypeByMetadataName("ProxyWasm.HeaderMapExtensions");
        Encoding = compilation.GetTypeByMetadataName("System.Text.Encoding");
        Enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
        Queryable = compilation.GetTypeByMetadataName("System.Linq.Queryable");
        ParallelEnumerable = compilation.GetTypeByMetadataName("System.Linq.ParallelEnumerable");
        Span = compilation.GetTypeByMetadataName("System.Span`1");
        ReadOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
        Convert = compilation.GetTypeByMetadataName("System.Convert");
        BitConverter = compilation.GetTypeByMetadataName("System.BitConverter");
    }

    /// <summary>Resolves the types, or returns null when the compilation does not see ProxyWasm.HookAttribute
    /// (not a filter project: nothing is hot).</summary>
    public static HotPathTypes? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? hook = compilation.GetTypeByMetadataName("ProxyWasm.HookAttribute");
        return hook is null ? null : new HotPathTypes(compilation, hook);
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol HookAttribute { get; }
    public INamedTypeSymbol? HotPathAttribute { get; }
    public INamedTypeSymbol? HeaderMapExtensions { get; }
    public INamedTypeSymbol? Encoding { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? Queryable { get; }
    public INamedTypeSymbol? ParallelEnumerable { get; }
    public INamedTypeSymbol? Span { get; }
    public INamedTypeSymbol? ReadOnlySpan { get; }
    public INamedTypeSymbol? Convert { get; }
    public INamedTypeSymbol? BitConverter { get; }

    public bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named &&
        (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Span) ||
         SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ReadOnlySpan));

    public bool IsReadOnlySpanOf(ITypeSymbol? type, SpecialType element) =>
        type is INamedTypeSymbol { IsGenericType: true } named &&
        SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ReadOnlySpan) &&
        named.TypeArguments[0].SpecialType == element;

    public bool IsReadOnlySpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named &&
        SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ReadOnlySpan);

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
