using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProxyWasm.Cli.Manifests;

/// <summary>What <c>proxywasm manifests</c> was asked to write, beside the filters.</summary>
internal sealed record ManifestOptions
{
    /// <summary>The module's location: <c>oci://…</c>, <c>https://…</c>, <c>http://…</c> or <c>file://…</c>.</summary>
    public required string Url { get; init; }

    /// <summary>WasmPlugin <c>sha256</c> / Envoy <c>remote.sha256</c> (hex), if given.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The plugin configuration, parsed; null without <c>--config</c>.</summary>
    public JsonElement? Configuration { get; init; }

    /// <summary>Selector labels (<c>--selector k=v</c>), sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Selector { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public string? Phase { get; init; }

    public int? Priority { get; init; }

    public string PullPolicy { get; init; } = "IfNotPresent";

    public string? PullSecret { get; init; }

    /// <summary><c>--name</c>: the resource name (one filter) or prefix (several).</summary>
    public string? Name { get; init; }

    public string? Namespace { get; init; }

    /// <summary>The module's path on the Envoy host, for the bootstrap snippet (<c>code.local.filename</c>).</summary>
    public string WasmPath { get; init; } = "/etc/envoy/plugin.wasm";

    public string? VmId { get; init; }

    /// <summary>EnvoyFilter <c>match.context</c>.</summary>
    public string Context { get; init; } = "SIDECAR_INBOUND";

    /// <summary>The configuration as compact JSON text (Envoy's <c>configuration</c> StringValue).</summary>
    public string? ConfigurationText => Configuration is { } json ? JsonSerializer.Serialize(json, CompactJson) : null;

    private static readonly JsonSerializerOptions CompactJson = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>
/// Builds the object graphs of the three outputs for each filter: an Istio <c>WasmPlugin</c>, an Istio
/// <c>EnvoyFilter</c>, and the Envoy filter entry of a standalone bootstrap (Envoy
/// <c>envoy.extensions.filters.{http,network}.wasm.v3.Wasm</c> whose <c>config</c> is an
/// <c>envoy.extensions.wasm.v3.PluginConfig</c>).
/// </summary>
internal static partial class ManifestBuilder
{
    public const string HttpWasmType = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
    public const string NetworkWasmType = "type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm";
    public const string TypedStructType = "type.googleapis.com/udpa.type.v1.TypedStruct";
    public const string StringValueType = "type.googleapis.com/google.protobuf.StringValue";
    public const string V8 = "envoy.wasm.runtime.v8";

    /// <summary>The Kubernetes name of the resources for <paramref name="filter"/>: <c>--name</c> for a single filter,
    /// <c>--name-&lt;root id&gt;</c> for several, else the root id made a DNS-1123 name (<c>hello_world</c> →
    /// <c>hello-world</c>).</summary>
    public static string ResourceName(FilterInfo filter, ManifestOptions options, bool several)
    {
        string fromRootId = DnsName(filter.RootId);
        return options.Name is null ? fromRootId : several ? options.Name + "-" + fromRootId : options.Name;
    }

    /// <summary>Whether <paramref name="name"/> is a DNS-1123 subdomain (a Kubernetes object name).</summary>
    public static bool IsDnsName(string name) => name.Length <= 253 && DnsPattern().IsMatch(name);

    /// <summary>The Istio WasmPlugin for <paramref name="filter"/>.</summary>
    public static WasmPluginResource WasmPlugin(FilterInfo filter, ManifestOptions options, bool several) => new()
    {
        Metadata = new ObjectMeta { Name = ResourceName(filter, options, several), Namespace = options.Namespace },
        Spec = new WasmPluginSpec
        {
            Selector = options.Selector.Count == 0 ? null : new WorkloadSelector { MatchLabels = Sorted(options.Selector) },
            Url = options.Url,
            Sha256 = options.Sha256,
            ImagePullPolicy = options.PullPolicy,
            ImagePullSecret = options.PullSecret,
            Phase = options.Phase,
            Priority = options.Priority,
            PluginName = filter.RootId,
            PluginConfig = options.Configuration is { } json ? Yaml.FromJson(json) : null,
            FailStrategy = filter.FailOpen ? "FAIL_OPEN" : "FAIL_CLOSE",
            Type = filter.Kind == FilterKind.Http ? "HTTP" : "NETWORK",
        },
    };

    /// <summary>
    /// The Istio EnvoyFilter for <paramref name="filter"/>. For a remote module (<c>oci://</c>, <c>http(s)://</c>) two
    /// patches: an <c>EXTENSION_CONFIG</c> with the Wasm filter whose code is <c>remote.http_uri</c> (istio-agent fetches
    /// remote code only in ECDS resources, pkg/wasm convert.go, and rewrites it to a local file; TypedStruct is the
    /// form every Istio version converts), and an <c>HTTP_FILTER</c> (before <c>envoy.filters.http.router</c>) or
    /// <c>NETWORK_FILTER</c> (before <c>envoy.filters.network.tcp_proxy</c>) that loads it by <c>config_discovery</c>.
    /// For <c>file://</c>, one patch inserting the filter with <c>code.local.filename</c>.
    /// </summary>
    public static EnvoyFilterResource EnvoyFilter(FilterInfo filter, ManifestOptions options, bool several)
    {
        string name = ResourceName(filter, options, several);
        bool http = filter.Kind == FilterKind.Http;
        string type = http ? HttpWasmType : NetworkWasmType;
        var insert = new PatchMatch
        {
            Context = options.Context,
            Listener = new ListenerMatch
            {
                FilterChain = new FilterChainMatch
                {
                    Filter = http
                        ? new FilterMatch { Name = "envoy.filters.network.http_connection_manager", SubFilter = new SubFilterMatch { Name = "envoy.filters.http.router" } }
                        : new FilterMatch { Name = "envoy.filters.network.tcp_proxy" },
                },
            },
        };
        string applyTo = http ? "HTTP_FILTER" : "NETWORK_FILTER";
        var spec = new EnvoyFilterSpec
        {
            WorkloadSelector = options.Selector.Count == 0 ? null : new EnvoyFilterWorkloadSelector { Labels = Sorted(options.Selector) },
        };

        if (options.Url.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            spec.ConfigPatches.Add(new ConfigPatch
            {
                ApplyTo = applyTo,
                Match = insert,
                Patch = new Patch { Operation = "INSERT_BEFORE", Value = FilterEntry(filter, options, LocalCode(options.Url["file://".Length..])) },
            });
        }
        else
        {
            var remote = Map(("http_uri", Map(("uri", options.Url), ("timeout", "30s"))));
            if (options.Sha256 is not null)
            {
                remote["sha256"] = options.Sha256;
            }

            spec.ConfigPatches.Add(new ConfigPatch
            {
                ApplyTo = "EXTENSION_CONFIG",
                Patch = new Patch
                {
                    Operation = "ADD",
                    Value = Map(
                        ("name", name),
                        ("typed_config", Map(
                            ("@type", TypedStructType),
                            ("type_url", type),
                            ("value", Map(("config", PluginConfig(filter, options, Map(("remote", remote))))))))),
                },
            });
            spec.ConfigPatches.Add(new ConfigPatch
            {
                ApplyTo = applyTo,
                Match = insert,
                Patch = new Patch
                {
                    Operation = "INSERT_BEFORE",
                    Value = Map(
                        ("name", name),
                        ("config_discovery", Map(
                            ("config_source", Map(("ads", Map()), ("initial_fetch_timeout", "0s"))),
                            ("type_urls", new List<object?> { type })))),
                },
            });
        }

        return new EnvoyFilterResource
        {
            Metadata = new ObjectMeta { Name = name, Namespace = options.Namespace },
            Spec = spec,
        };
    }

    /// <summary>The filter entry of a standalone Envoy's listener (<c>http_filters</c> or <c>filters</c>) with the module
    /// read from <see cref="ManifestOptions.WasmPath"/>.</summary>
    public static OrderedDictionary<string, object?> BootstrapEntry(FilterInfo filter, ManifestOptions options) =>
        FilterEntry(filter, options, LocalCode(options.WasmPath));

    private static OrderedDictionary<string, object?> FilterEntry(FilterInfo filter, ManifestOptions options, OrderedDictionary<string, object?> code)
    {
        bool http = filter.Kind == FilterKind.Http;
        return Map(
            ("name", http ? "envoy.filters.http.wasm" : "envoy.filters.network.wasm"),
            ("typed_config", Map(
                ("@type", http ? HttpWasmType : NetworkWasmType),
                ("config", PluginConfig(filter, options, code)))));
    }

    /// <summary>An <c>envoy.extensions.wasm.v3.PluginConfig</c>, fields in proto order.</summary>
    private static OrderedDictionary<string, object?> PluginConfig(FilterInfo filter, ManifestOptions options, OrderedDictionary<string, object?> code)
    {
        var vm = new OrderedDictionary<string, object?>();
        if (options.VmId is not null)
        {
            vm["vm_id"] = options.VmId;
        }

        vm["runtime"] = V8;
        vm["code"] = code;
        var config = Map(("name", filter.RootId), ("root_id", filter.RootId), ("vm_config", vm));
        if (options.ConfigurationText is { } text)
        {
            config["configuration"] = Map(("@type", StringValueType), ("value", text));
        }

        config["fail_open"] = filter.FailOpen;
        return config;
    }

    private static OrderedDictionary<string, object?> LocalCode(string path) => Map(("local", Map(("filename", path))));

    private static OrderedDictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new OrderedDictionary<string, object?>();
        foreach ((string key, object? value) in entries)
        {
            map[key] = value;
        }

        return map;
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> labels) =>
        new(labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal);

    private static string DnsName(string rootId)
    {
        string name = InvalidDnsCharacters().Replace(rootId.ToLowerInvariant(), "-").Trim('-', '.');
        name = RepeatedDashes().Replace(name, "-");
        return name.Length == 0 ? "proxywasm-filter" : name.Length > 253 ? name[..253].TrimEnd('-', '.') : name;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsPattern();

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex InvalidDnsCharacters();

    [GeneratedRegex("-{2,}")]
    private static partial Regex RepeatedDashes();
}
