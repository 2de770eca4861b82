using System.Linq;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>The callback a hook method is bound to.</summary>
internal enum HookKind
{
    RequestHeaders,
    RequestBody,
    RequestTrailers,
    ResponseHeaders,
    ResponseBody,
    ResponseTrailers,
    StreamDone,
    Log,
    VmStart,
    Configure,
    Tick,
}

/// <summary>What the generated glue passes for one hook parameter.</summary>
internal enum ParameterBinding
{
    RequestHeaders,
    RequestTrailers,
    ResponseHeaders,
    ResponseTrailers,
    RequestBody,
    ResponseBody,

    /// <summary>The callback's count or size argument (number of headers/trailers, body bytes, configuration bytes).</summary>
    Count,
    EndOfStream,
    Plugin,
    Stream,

    /// <summary>The plugin or VM configuration bytes, as <c>ReadOnlySpan&lt;byte&gt;</c>.</summary>
    Configuration,
}

/// <summary>How the hook's return value becomes the export's return value.</summary>
internal enum ReturnBinding
{
    Void,

    /// <summary>A Filter*Status enum, returned as its integer value.</summary>
    Status,
    Bool,
}

/// <summary>How per-stream filter state is created and recycled.</summary>
internal enum StateStrategy
{
    /// <summary>A struct in a slot, set to <c>new T()</c> for each stream.</summary>
    Struct,

    /// <summary>A pooled class instance; instance fields are reset to their constant initializers or default.</summary>
    PooledClass,

    /// <summary>A class created with <c>new</c> for each stream (explicit constructor, readonly or init-only state).</summary>
    NewPerStream,
}

internal sealed record HookModel(HookKind Kind, string MethodName, ReturnBinding Return, EquatableArray<ParameterBinding> Parameters);

/// <summary>Assignment that resets one member of a pooled filter: <c>filter.{Name} = {Value};</c>.</summary>
internal sealed record MemberReset(string Name, string Value);

internal sealed record PluginModel(string FullyQualifiedName, string DisplayName, EquatableArray<HookModel> Hooks);

/// <summary>Everything the emitters need about one [HttpFilter] type. Holds no symbols or syntax, so it is cacheable.</summary>
internal sealed record FilterModel(
    string Namespace,
    string TypeName,
    string DeclarationKeyword,
    string FullyQualifiedName,
    string RootId,
    int FailurePolicy,
    PluginModel? Plugin,
    EquatableArray<HookModel> Hooks,
    StateStrategy Strategy,
    EquatableArray<MemberReset> Resets)
{
    public string HintName => (Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName) + ".ProxyWasm.g.cs";

    public string DisplayName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;
}

/// <summary>What the exports file needs about one filter: which stream and plugin callbacks its glue handles.</summary>
internal sealed record FilterExports(string FullyQualifiedName, string RootId, EquatableArray<HookKind> Hooks, EquatableArray<HookKind> PluginHookKinds)
{
    public bool PluginHooks(HookKind kind) => PluginHookKinds.AsImmutableArray().Contains(kind);

    public static FilterExports From(FilterModel filter) => new(
        filter.FullyQualifiedName,
        filter.RootId,
        filter.Hooks.Select(h => h.Kind).ToEquatableArray(),
        (filter.Plugin?.Hooks ?? EquatableArray<HookModel>.Empty).Select(h => h.Kind).ToEquatableArray());
}

/// <summary>The module: every valid filter of the compilation, ordered by name so indices are stable.</summary>
internal sealed record ModuleModel(EquatableArray<FilterExports> Filters);
