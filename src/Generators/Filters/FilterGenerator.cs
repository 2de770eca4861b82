using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ProxyWasm.Generators.Diagnostics;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// Turns [HttpFilter] and [NetworkFilter] types into Proxy-Wasm ABI v0.2.1 glue. Pipeline:
/// <list type="number">
/// <item><c>ForAttributeWithMetadataName</c> of each filter attribute → <see cref="FilterModel"/> per type (tracked as
/// <see cref="StepFilterModel"/>); a type the generator cannot bind yields nothing here, and the analyzer reports why.</item>
/// <item><c>ForAttributeWithMetadataName</c> of System.Text.Json's <c>[JsonSerializable]</c> → the types each
/// <c>JsonSerializerContext</c> serializes (<see cref="StepJsonContexts"/>), combined with each filter model to name the
/// context of its typed configuration.</item>
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

    /// <summary>Tracking name of the step that collects the <c>[JsonSerializable]</c> types of the JsonSerializerContexts.</summary>
    public const string StepJsonContexts = "JsonContexts";

    /// <summary>Tracking name of the module model step.</summary>
    public const string StepModuleModel = "ModuleModel";

    private static readonly string s_version = typeof(FilterGenerator).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<EquatableArray<JsonContextEntry>> contexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.JsonSerializableAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, _) => ConfigurationTypes.ReadContexts(ctx))
            .Collect()
            .Select(static (all, _) => all.SelectMany(entries => entries).ToEquatableArray())
            .WithTrackingName(StepJsonContexts);
        IncrementalValuesProvider<FilterModel> http = Filters(context, KnownTypes.HttpFilterAttributeName, contexts);
        IncrementalValuesProvider<FilterModel> network = Filters(context, KnownTypes.NetworkFilterAttributeName, contexts);
        context.RegisterSourceOutput(http, static (spc, filter) => spc.AddSource(filter.HintName, FilterEmitter.Emit(filter, s_version)));
        context.RegisterSourceOutput(network, static (spc, filter) => spc.AddSource(filter.HintName, FilterEmitter.Emit(filter, s_version)));

        IncrementalValueProvider<ModuleModel> module = http.Select(static (filter, _) => FilterExports.From(filter)).Collect()
            .Combine(network.Select(static (filter, _) => FilterExports.From(filter)).Collect())
            .Combine(context.AnalyzerConfigOptionsProvider.Select(static (options, _) => NativeAllocatorLinked(options)))
            .Select(static (all, _) => new ModuleModel(
                all.Left.Left.AddRange(all.Left.Right).OrderBy(e => e.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray(),
                all.Right))
            .WithTrackingName(StepModuleModel);

        context.RegisterSourceOutput(module, static (spc, model) =>
        {
            if (model.Filters.Length != 0)
            {
                spc.AddSource("ProxyWasmModule.g.cs", ModuleEmitter.Emit(model, s_version));
            }
        });
    }

    /// <summary>Whether the build links build/native/proxywasm_allocator.c as the module's allocator: the MSBuild
    /// property <c>ProxyWasmNativeAllocator</c> (a <c>CompilerVisibleProperty</c> of ProxyWasm.Native.targets).</summary>
    private static bool NativeAllocatorLinked(AnalyzerConfigOptionsProvider options)
        => options.GlobalOptions.TryGetValue("build_property.ProxyWasmNativeAllocator", out string? value)
           && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The models of the types with the filter attribute <paramref name="attributeName"/>, with the
    /// JsonSerializerContext of each typed configuration found in <paramref name="contexts"/>. A filter whose
    /// configuration type no context serializes gets no glue (the analyzer reports PXW0020).</summary>
    private static IncrementalValuesProvider<FilterModel> Filters(IncrementalGeneratorInitializationContext context, string attributeName,
        IncrementalValueProvider<EquatableArray<JsonContextEntry>> contexts)
        => context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => Transform(ctx, ct))
            .Where(static model => model is not null)
            .Combine(contexts)
            .Select(static (pair, _) => WithContexts(pair.Left!, pair.Right))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(StepFilterModel);

    /// <summary><paramref name="filter"/> with the contexts of its configurations, or null when one has none.</summary>
    private static FilterModel? WithContexts(FilterModel filter, EquatableArray<JsonContextEntry> contexts)
    {
        IEnumerable<JsonContextEntry> all = contexts.AsImmutableArray();
        ConfigurationModel? configuration = ConfigurationTypes.Resolve(filter.Configuration, all);
        ConfigurationModel? vm = ConfigurationTypes.Resolve(filter.Plugin?.VmConfiguration, all);
        if ((filter.Configuration is not null && configuration is null) || (filter.Plugin?.VmConfiguration is not null && vm is null))
        {
            return null;
        }

        if (filter.Configuration is null && filter.Plugin?.VmConfiguration is null)
        {
            return filter;
        }

        return filter with
        {
            Configuration = configuration,
            Plugin = filter.Plugin is { } plugin ? plugin with { Configuration = configuration, VmConfiguration = vm } : null,
        };
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
