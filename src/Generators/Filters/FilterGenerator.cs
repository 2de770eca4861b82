using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// Turns [HttpFilter] and [NetworkFilter] types into Proxy-Wasm ABI v0.2.1 glue. Pipeline:
/// <list type="number">
/// <item><c>ForAttributeWithMetadataName</c> of each filter attribute → <see cref="FilterModel"/> per type (tracked as
/// <see cref="StepFilterModel"/>); a type the generator cannot bind yields nothing here, and the analyzer reports why.</item>
/// <item>One source per filter: <c>{Namespace}.{Type}.ProxyWasm.g.cs</c>, the nested <c>ProxyWasmGlue</c> class.</item>
/// <item><c>Collect</c> of both kinds → <see cref="ModuleModel"/> (tracked as <see cref="StepModuleModel"/>) → <c>ProxyWasmModule.g.cs</c>,
/// the exports and the dispatch table.</item>
/// </list>
/// Models hold only strings, enums and equatable arrays, so an edit inside a hook body leaves every step cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FilterGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the per-filter model step.</summary>
    public const string StepFilterModel = "FilterModel";

    /// <summary>Tracking name of the module model step.</summary>
    public const string StepModuleModel = "ModuleModel";

    private static readonly string s_version = typeof(FilterGenerator).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<FilterModel> http = Filters(context, KnownTypes.HttpFilterAttributeName);
        IncrementalValuesProvider<FilterModel> network = Filters(context, KnownTypes.NetworkFilterAttributeName);
        context.RegisterSourceOutput(http, static (spc, filter) => spc.AddSource(filter.HintName, FilterEmitter.Emit(filter, s_version)));
        context.RegisterSourceOutput(network, static (spc, filter) => spc.AddSource(filter.HintName, FilterEmitter.Emit(filter, s_version)));

        IncrementalValueProvider<ModuleModel> module = http.Select(static (filter, _) => FilterExports.From(filter)).Collect()
            .Combine(network.Select(static (filter, _) => FilterExports.From(filter)).Collect())
            .Select(static (both, _) => new ModuleModel(both.Left.AddRange(both.Right).OrderBy(e => e.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray()))
            .WithTrackingName(StepModuleModel);

        context.RegisterSourceOutput(module, static (spc, model) =>
        {
            if (model.Filters.Length != 0)
            {
                spc.AddSource("ProxyWasmModule.g.cs", ModuleEmitter.Emit(model, s_version));
            }
        });
    }

    /// <summary>The models of the types with the filter attribute <paramref name="attributeName"/>.</summary>
    private static IncrementalValuesProvider<FilterModel> Filters(IncrementalGeneratorInitializationContext context, string attributeName)
        => context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => Transform(ctx, ct))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(StepFilterModel);

    private static FilterModel? Transform(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.IsDefaultOrEmpty)
        {
            return null;
        }

        try
        {
            return FilterModelBuilder.Build(KnownTypes.For(context.SemanticModel.Compilation), type, context.Attributes[0], new List<DiagnosticInfo>(), ct);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception)
        {
            // The generator never fails the build: a shape it cannot model yields no glue, and the analyzer (which runs
            // the same builder) reports the problem as a diagnostic.
            return null;
        }
    }
}
