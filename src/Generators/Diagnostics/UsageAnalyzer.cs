using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Filters;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Diagnostics;

/// <summary>
/// Reports why the filter generator cannot bind an [HttpFilter] type (PXW0001..PXW0015). The generator reports
/// nothing: this analyzer runs the generator's own <see cref="FilterModelBuilder"/> over the same symbols, so a
/// diagnostic appears exactly when the generator drops a filter. It lives in the generator's assembly, as
/// dotnet/runtime's LibraryImportGenerator, CommunityToolkit.Mvvm and ComputeSharp keep theirs: one copy of the
/// binding rules, no linked sources, no cross-assembly internals.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Each [HttpFilter] type: every <see cref="DiagnosticInfo"/> of <see cref="FilterModelBuilder.Build"/>.</item>
/// <item>Each plugin type named by an [HttpFilter] of this compilation: <see cref="PluginModelBuilder.Build(KnownTypes, INamedTypeSymbol, List{DiagnosticInfo}, CancellationToken, Func{ITypeSymbol, bool})"/>,
/// once per plugin type however many filters name it (a generic one with each type argument list the filters give it,
/// as the generator binds it). A plugin type from another assembly is validated for each filter
/// that names it, and reported on that filter's attribute.</item>
/// <item>PXW0009: a hook attribute on a method of any other type, on a local function or on a lambda.</item>
/// <item>PXW0005 (compilation end): filters that share a root id, reported on each of them.</item>
/// </list>
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UsageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => UsageDescriptors.All;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // Projects that do not reference ProxyWasm.Runtime cost nothing.
            KnownTypes types = KnownTypes.For(start.Compilation);
            if (types.HttpFilterAttribute is null)
            {
                return;
            }

            var state = new CompilationState(start.Compilation, types);
            start.RegisterSymbolAction(state.AnalyzeType, SymbolKind.NamedType);
            start.RegisterSyntaxNodeAction(state.AnalyzeLocalHook, SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression);
            start.RegisterCompilationEndAction(state.ReportDuplicateRootIds);
        });
    }

    /// <summary>What the analysis of one compilation shares between its actions.</summary>
    private sealed class CompilationState
    {
        private readonly Compilation _compilation;
        private readonly KnownTypes _types;
        private readonly ConcurrentBag<RootIdUse> _rootIds = new();
        private ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>? _pluginTypes;
        private ImmutableHashSet<ITypeSymbol>? _serialized;

        public CompilationState(Compilation compilation, KnownTypes types)
        {
            _compilation = compilation;
            _types = types;
        }

        public void AnalyzeType(SymbolAnalysisContext context)
        {
            try
            {
                if (context.Symbol is not INamedTypeSymbol type)
                {
                    return;
                }

                if (FilterAttribute(type) is { } attribute)
                {
                    AnalyzeFilter(context, type, attribute);
                    return;
                }

                if (!_types.HasHookMethod(type))
                {
                    return;
                }

                if (PluginTypes(context.CancellationToken).TryGetValue(type.OriginalDefinition, out ImmutableArray<INamedTypeSymbol> named))
                {
                    // A generic plugin type is checked as the filters name it (P<Settings>), as the generator binds it:
                    // its definition's type parameters are no configuration types. Each finding once.
                    var errors = new List<DiagnosticInfo>();
                    foreach (INamedTypeSymbol plugin in type.IsGenericType ? named : ImmutableArray.Create(type))
                    {
                        PluginModelBuilder.Build(_types, plugin, errors, context.CancellationToken, HasContext(context.CancellationToken));
                    }

                    var seen = new HashSet<(string, Location?, string)>();
                    Report(context.ReportDiagnostic, errors.Where(e => seen.Add((e.Descriptor.Id, e.Location, e.ToDiagnostic(null).GetMessage()))), fallback: null);
                    return;
                }

                foreach (ISymbol member in type.GetMembers())
                {
                    if (member is IMethodSymbol method && _types.TryGetHook(method, out ProxyCallback callback, out _))
                    {
                        ReportUnreachableHook(context.ReportDiagnostic, method, callback, "declared on the type " + type.Name, method.Locations.FirstOrDefault());
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Analyzers never fail the build; the shapes that reach here are covered by tests.
            }
        }

        public void AnalyzeLocalHook(SyntaxNodeAnalysisContext context)
        {
            try
            {
                (SyntaxList<AttributeListSyntax> attributes, ISymbol? symbol, string kindOfFunction) = context.Node switch
                {
                    LocalFunctionStatementSyntax local => (local.AttributeLists, context.SemanticModel.GetDeclaredSymbol(local, context.CancellationToken), "a local function"),
                    ParenthesizedLambdaExpressionSyntax lambda => (lambda.AttributeLists, context.SemanticModel.GetSymbolInfo(lambda, context.CancellationToken).Symbol, "a lambda"),
                    _ => (default(SyntaxList<AttributeListSyntax>), null, string.Empty),
                };

                if (attributes.Count == 0 || symbol is not IMethodSymbol method || !_types.TryGetHook(method, out ProxyCallback callback, out AttributeData? hook))
                {
                    return;
                }

                Location location = hook?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? context.Node.GetLocation();
                string name = context.Node is LocalFunctionStatementSyntax ? method.Name : "(lambda)";
                string where = kindOfFunction + (method.ContainingSymbol is { } container ? $" in '{container.Name}'" : string.Empty);
                ReportUnreachableHook(context.ReportDiagnostic, method, callback, where, location, name);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // See AnalyzeType.
            }
        }

        public void ReportDuplicateRootIds(CompilationAnalysisContext context)
        {
            try
            {
                foreach (IGrouping<string, RootIdUse> group in _rootIds.GroupBy(use => use.RootId, StringComparer.Ordinal))
                {
                    RootIdUse[] uses = group.OrderBy(use => use.TypeName, StringComparer.Ordinal).ToArray();
                    if (uses.Length < 2)
                    {
                        continue;
                    }

                    foreach (RootIdUse use in uses)
                    {
                        string others = Join(uses.Where(other => !ReferenceEquals(other, use)).Select(other => "'" + other.TypeName + "'").ToArray());
                        context.ReportDiagnostic(ShapeDiagnostics.DuplicateRootId(use.Location, use.TypeName, use.RootId, others).ToDiagnostic(null));
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // See AnalyzeType.
            }
        }

        private void AnalyzeFilter(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute)
        {
            CancellationToken ct = context.CancellationToken;
            var errors = new List<DiagnosticInfo>();
            FilterModelBuilder.Build(_types, type, attribute, errors, ct, HasContext(ct));
            FilterAttributeData filter = FilterAttributeData.Read(attribute, ct);
            Location? attributeLocation = filter.Location;
            Report(context.ReportDiagnostic, errors, attributeLocation);

            // A plugin type declared in this compilation is validated once, when its own symbol is analyzed. One from a
            // referenced assembly has no symbol action here, so its problems are reported on the naming attribute.
            if (filter.Plugin is INamedTypeSymbol plugin && !plugin.Locations.Any(l => l.IsInSource))
            {
                var pluginErrors = new List<DiagnosticInfo>();
                PluginModelBuilder.Build(_types, plugin, pluginErrors, ct, HasContext(ct));
                Report(context.ReportDiagnostic, pluginErrors.Select(e => e.At(attributeLocation)), attributeLocation);
            }

            if (filter.RootId is { Length: > 0 } rootId && attributeLocation is not null)
            {
                _rootIds.Add(new RootIdUse(rootId, type.Name, attributeLocation));
            }
        }

        private static void ReportUnreachableHook(Action<Diagnostic> report, IMethodSymbol method, ProxyCallback callback, string where, Location? location, string? name = null)
        {
            string hint = callback.Context == CallbackContext.Root
                ? method.MethodKind == MethodKind.Ordinary
                    ? $"name '{method.ContainingType.Name}' as the plugin type of a filter, [HttpFilter(\"my_filter\", Plugin = typeof({method.ContainingType.Name}))], or move the method to the plugin type"
                    : "declare it as a method of the plugin type an [HttpFilter] names with Plugin = typeof(...)"
                : method.MethodKind == MethodKind.Ordinary
                    ? $"declare it on {FilterOf(callback)} type (hooks of base classes and other types are not bound)"
                    : $"declare it as a method of {FilterOf(callback)} type";
            report(ShapeDiagnostics.HookOnWrongType(location, name ?? method.Name, callback.Hook!, where, hint).ToDiagnostic(null));
        }

        /// <summary>Which filter attribute a stream hook's type needs, for messages.</summary>
        private static string FilterOf(ProxyCallback callback) => callback.Context switch
        {
            CallbackContext.TcpStream => "a [NetworkFilter]",
            CallbackContext.HttpStream => "an [HttpFilter]",
            _ => "an [HttpFilter] or [NetworkFilter]",
        };

        private static void Report(Action<Diagnostic> report, IEnumerable<DiagnosticInfo> found, Location? fallback)
        {
            foreach (DiagnosticInfo info in found)
            {
                report(info.ToDiagnostic(fallback));
            }
        }

        private AttributeData? FilterAttribute(INamedTypeSymbol type) => _types.FilterAttribute(type);

        /// <summary>PXW0020's check: whether a JsonSerializerContext of the compilation serializes the type. The index
        /// is built on first need (a typed configuration), in one walk.</summary>
        private Func<ITypeSymbol, bool> HasContext(CancellationToken ct) => type =>
        {
            ImmutableHashSet<ITypeSymbol>? index = Volatile.Read(ref _serialized);
            if (index is null)
            {
                Interlocked.CompareExchange(ref _serialized, ConfigurationTypes.ContextIndex(_compilation, ct), null);
                index = _serialized!;
            }

            return index.Contains(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
        };

        /// <summary>The plugin types named by the filter types of this compilation, by definition, each with the
        /// types the filters name (<c>P&lt;Settings&gt;</c> for a generic one; an unbound <c>P&lt;&gt;</c> is PXW0010
        /// on the filter and not bound). Computed once, on first need (a type with hook methods that is not a filter);
        /// a cancelled computation is not kept.</summary>
        private ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> PluginTypes(CancellationToken ct)
        {
            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>? known = Volatile.Read(ref _pluginTypes);
            if (known is not null)
            {
                return known;
            }

            var plugins = new Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>.Builder>(SymbolEqualityComparer.Default);
            foreach (INamedTypeSymbol type in SourceTypes.All(_compilation, ct))
            {
                foreach (AttributeData attribute in _types.FilterAttributes(type))
                {
                    if (FilterAttributeData.Read(attribute, ct).Plugin is INamedTypeSymbol plugin)
                    {
                        if (!plugins.TryGetValue(plugin.OriginalDefinition, out ImmutableArray<INamedTypeSymbol>.Builder? named))
                        {
                            plugins[plugin.OriginalDefinition] = named = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
                        }

                        if (!plugin.IsUnboundGenericType && !named.Contains(plugin, SymbolEqualityComparer.Default))
                        {
                            named.Add(plugin);
                        }
                    }
                }
            }

            ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> all = plugins.ToImmutableDictionary<KeyValuePair<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>.Builder>, INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>(
                pair => pair.Key, pair => pair.Value.ToImmutable(), SymbolEqualityComparer.Default);
            Interlocked.CompareExchange(ref _pluginTypes, all, null);
            return _pluginTypes!;
        }

        private static string Join(string[] names) => names.Length switch
        {
            1 => names[0],
            2 => names[0] + " and " + names[1],
            _ => string.Join(", ", names, 0, names.Length - 1) + " and " + names[names.Length - 1],
        };
    }

    private sealed record RootIdUse(string RootId, string TypeName, Location Location);
}
