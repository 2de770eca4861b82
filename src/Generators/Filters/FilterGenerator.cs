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
/// Turns [HttpFilter] types into Proxy-Wasm ABI v0.2.1 glue. Pipeline:
/// <list type="number">
/// <item><c>ForAttributeWithMetadataName(HttpFilterAttribute)</c> → <see cref="FilterModel"/> per type (tracked as
/// <see cref="StepFilterModel"/>); a type the generator cannot bind yields nothing here, and the analyzer reports why.</item>
/// <item>One source per filter: <c>{Namespace}.{Type}.ProxyWasm.g.cs</c>, the nested <c>ProxyWasmGlue</c> class.</item>
/// <item><c>Collect</c> → <see cref="ModuleModel"/> (tracked as <see cref="StepModuleModel"/>) → <c>ProxyWasmModule.g.cs</c>,
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
        IncrementalValuesProvider<FilterModel> filters = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.HttpFilterAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => Transform(ctx, ct))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(StepFilterModel);

        context.RegisterSourceOutput(filters, static (spc, filter) => spc.AddSource(filter.HintName, FilterEmitter.Emit(filter, s_version)));

        IncrementalValueProvider<ModuleModel> module = filters
            .Select(static (filter, _) => FilterExports.From(filter))
            .Collect()
            .Select(static (exports, _) => new ModuleModel(exports.OrderBy(e => e.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray()))
            .WithTrackingName(StepModuleModel);

        context.RegisterSourceOutput(module, static (spc, model) =>
        {
            if (model.Filters.Length != 0)
            {
                spc.AddSource("ProxyWasmModule.g.cs", ModuleEmitter.Emit(model, s_version));
            }
        });
    }

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
