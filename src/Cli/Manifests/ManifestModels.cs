using System.Collections.Generic;
using YamlDotNet.Serialization;

namespace ProxyWasm.Cli.Manifests;

// The Kubernetes resources, as typed classes serialized with the camelCase naming convention (Istio's field names);
// the Envoy configuration inside them is built as ordered dictionaries with Envoy's snake_case keys
// (EnvoyConfigBuilder). Null properties are omitted.

/// <summary>Kubernetes object metadata.</summary>
internal sealed class ObjectMeta
{
    [YamlMember(Order = 0)]
    public string Name { get; set; } = string.Empty;

    [YamlMember(Order = 1)]
    public string? Namespace { get; set; }
}

/// <summary>
/// Istio <c>WasmPlugin</c> (extensions.istio.io/v1alpha1), fields as in istio/api
/// <c>extensions/v1alpha1/wasm.proto</c>.
/// </summary>
internal sealed class WasmPluginResource
{
    [YamlMember(Order = 0)]
    public string ApiVersion { get; set; } = "extensions.istio.io/v1alpha1";

    [YamlMember(Order = 1)]
    public string Kind { get; set; } = "WasmPlugin";

    [YamlMember(Order = 2)]
    public ObjectMeta Metadata { get; set; } = new();

    [YamlMember(Order = 3)]
    public WasmPluginSpec Spec { get; set; } = new();
}

/// <summary>The <c>spec</c> of a <see cref="WasmPluginResource"/>.</summary>
internal sealed class WasmPluginSpec
{
    /// <summary><c>selector.matchLabels</c>; omitted (every workload of the namespace) without <c>--selector</c>.</summary>
    [YamlMember(Order = 0)]
    public WorkloadSelector? Selector { get; set; }

    [YamlMember(Order = 1)]
    public string Url { get; set; } = string.Empty;

    [YamlMember(Order = 2)]
    public string? Sha256 { get; set; }

    [YamlMember(Order = 3)]
    public string? ImagePullPolicy { get; set; }

    [YamlMember(Order = 4)]
    public string? ImagePullSecret { get; set; }

    [YamlMember(Order = 5)]
    public string? Phase { get; set; }

    [YamlMember(Order = 6)]
    public int? Priority { get; set; }

    /// <summary>The root id (Envoy <c>root_id</c>).</summary>
    [YamlMember(Order = 7)]
    public string PluginName { get; set; } = string.Empty;

    /// <summary>The configuration JSON object as a YAML mapping (a <c>google.protobuf.Struct</c>).</summary>
    [YamlMember(Order = 8)]
    public object? PluginConfig { get; set; }

    /// <summary><c>FAIL_CLOSE</c> or <c>FAIL_OPEN</c>.</summary>
    [YamlMember(Order = 9)]
    public string FailStrategy { get; set; } = "FAIL_CLOSE";

    /// <summary><c>HTTP</c> or <c>NETWORK</c>.</summary>
    [YamlMember(Order = 10)]
    public string Type { get; set; } = "HTTP";
}

/// <summary>Istio <c>WorkloadSelector</c> (<c>matchLabels</c>).</summary>
internal sealed class WorkloadSelector
{
    public IDictionary<string, string> MatchLabels { get; set; } = new SortedDictionary<string, string>();
}

/// <summary>Istio <c>EnvoyFilter</c> (networking.istio.io/v1alpha3).</summary>
internal sealed class EnvoyFilterResource
{
    [YamlMember(Order = 0)]
    public string ApiVersion { get; set; } = "networking.istio.io/v1alpha3";

    [YamlMember(Order = 1)]
    public string Kind { get; set; } = "EnvoyFilter";

    [YamlMember(Order = 2)]
    public ObjectMeta Metadata { get; set; } = new();

    [YamlMember(Order = 3)]
    public EnvoyFilterSpec Spec { get; set; } = new();
}

/// <summary>The <c>spec</c> of an <see cref="EnvoyFilterResource"/>.</summary>
internal sealed class EnvoyFilterSpec
{
    /// <summary><c>workloadSelector.labels</c>; omitted without <c>--selector</c>.</summary>
    [YamlMember(Order = 0)]
    public EnvoyFilterWorkloadSelector? WorkloadSelector { get; set; }

    [YamlMember(Order = 1)]
    public List<ConfigPatch> ConfigPatches { get; set; } = new();
}

/// <summary><c>workloadSelector</c> of an EnvoyFilter.</summary>
internal sealed class EnvoyFilterWorkloadSelector
{
    public IDictionary<string, string> Labels { get; set; } = new SortedDictionary<string, string>();
}

/// <summary>One <c>configPatches</c> entry.</summary>
internal sealed class ConfigPatch
{
    /// <summary><c>EXTENSION_CONFIG</c>, <c>HTTP_FILTER</c> or <c>NETWORK_FILTER</c>.</summary>
    [YamlMember(Order = 0)]
    public string ApplyTo { get; set; } = string.Empty;

    [YamlMember(Order = 1)]
    public PatchMatch? Match { get; set; }

    [YamlMember(Order = 2)]
    public Patch Patch { get; set; } = new();
}

/// <summary>The <c>match</c> of a config patch.</summary>
internal sealed class PatchMatch
{
    [YamlMember(Order = 0)]
    public string? Context { get; set; }

    [YamlMember(Order = 1)]
    public ListenerMatch? Listener { get; set; }
}

/// <summary><c>match.listener</c>.</summary>
internal sealed class ListenerMatch
{
    public FilterChainMatch FilterChain { get; set; } = new();
}

/// <summary><c>match.listener.filterChain</c>.</summary>
internal sealed class FilterChainMatch
{
    public FilterMatch Filter { get; set; } = new();
}

/// <summary><c>match.listener.filterChain.filter</c> (and its <c>subFilter</c>).</summary>
internal sealed class FilterMatch
{
    [YamlMember(Order = 0)]
    public string Name { get; set; } = string.Empty;

    [YamlMember(Order = 1)]
    public SubFilterMatch? SubFilter { get; set; }
}

/// <summary><c>subFilter</c>: the HTTP filter to insert before.</summary>
internal sealed class SubFilterMatch
{
    public string Name { get; set; } = string.Empty;
}

/// <summary>The <c>patch</c> of a config patch: the operation and the Envoy configuration (snake_case dictionary).</summary>
internal sealed class Patch
{
    [YamlMember(Order = 0)]
    public string Operation { get; set; } = string.Empty;

    [YamlMember(Order = 1)]
    public object? Value { get; set; }
}
