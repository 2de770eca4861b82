using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProxyWasm.Cli.Manifests;
using ProxyWasm.Cli.Oci;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Commands;

/// <summary>
/// <c>proxywasm manifests &lt;filter.dll&gt; --image &lt;url&gt; [--config &lt;json&gt;] [--output &lt;dir&gt;] [--root-id &lt;id&gt;] …</c>:
/// reads the filters of a filter assembly from its metadata (without loading it) and writes, per root id, an Istio
/// <c>WasmPlugin</c> (<c>wasmplugin.yaml</c>), an Istio <c>EnvoyFilter</c> (<c>envoyfilter.yaml</c>) and the filter
/// entry of a standalone Envoy (<c>envoy-http-filter.yaml</c>); to stdout without <c>--output</c>.
/// docs/deploy-istio.md, docs/deploy-envoy.md.
/// </summary>
internal static partial class ManifestsCommand
{
    /// <summary>The output kinds and their file names, in output order.</summary>
    internal static readonly (string Kind, string File)[] Outputs =
    [
        ("wasmplugin", "wasmplugin.yaml"),
        ("envoyfilter", "envoyfilter.yaml"),
        ("envoy", "envoy-http-filter.yaml"),
    ];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        Argument<string> assembly = CommandInput.File("assembly", "The filter assembly (.dll built from the project with the [HttpFilter]/[NetworkFilter] classes); read, not loaded.");
        Option<string> image = CommandInput.Text("--image", "url", "Where Istio gets the module: oci://registry/name:tag (default scheme), https://…/plugin.wasm, or file:///path in the proxy container. Required unless --kind envoy only.");
        Option<string> config = CommandInput.Text("--config", "file.json", "A JSON file: the plugin configuration (WasmPlugin pluginConfig, which must be an object; Envoy configuration as a StringValue).");
        Option<string> output = CommandInput.Text("--output", "dir", "The directory for wasmplugin.yaml, envoyfilter.yaml and envoy-http-filter.yaml (created). Without it, the YAML goes to stdout.");
        Option<string> rootId = CommandInput.Text("--root-id", "id", "Only the filter with this root id (default: one document or entry per root id).");
        Option<string[]> selector = CommandInput.Repeated("--selector", "key=value", "A workload label key=value (repeatable): WasmPlugin selector.matchLabels, EnvoyFilter workloadSelector.labels. Without it the resources apply to the whole namespace.");
        Option<string> phase = CommandInput.Text("--phase", "AUTHN|AUTHZ|STATS", "WasmPlugin phase: AUTHN, AUTHZ or STATS (default: unset, UNSPECIFIED_PHASE: Istio puts the filter just before the router).");
        Option<string> priority = CommandInput.Text("--priority", "n", "WasmPlugin priority (an integer; higher runs first within a phase).");
        Option<string> pullPolicy = CommandInput.Text("--image-pull-policy", "IfNotPresent|Always", "WasmPlugin imagePullPolicy: IfNotPresent (default) or Always.");
        Option<string> pullSecret = CommandInput.Text("--image-pull-secret", "secret", "WasmPlugin imagePullSecret: the name of a docker-registry Secret in the WasmPlugin's namespace.");
        Option<string> sha256 = CommandInput.Text("--sha256", "hex", "The checksum Istio verifies (64 hex digits): for oci:// the image manifest digest (printed by proxywasm oci), for http(s):// the module's sha256.");
        Option<string> name = CommandInput.Text("--name", "name", "metadata.name (one filter) or its prefix (several: <name>-<root id>). Default: the root id as a DNS name (hello_world -> hello-world).");
        Option<string> ns = CommandInput.Text("--namespace", "namespace", "metadata.namespace (default: unset, kubectl's namespace).");
        Option<string> wasmPath = CommandInput.Text("--wasm-path", "path", "The module's path on the Envoy host, for envoy-http-filter.yaml (default /etc/envoy/plugin.wasm).");
        Option<string> vmId = CommandInput.Text("--vm-id", "id", "Envoy vm_config.vm_id (default: unset). Plugins with the same vm_id and code share a VM (shared data and queues).");
        Option<string> context = CommandInput.Text("--context", "context", "EnvoyFilter match.context: SIDECAR_INBOUND (default), SIDECAR_OUTBOUND, GATEWAY or ANY.");
        Option<string[]> kinds = CommandInput.Repeated("--kind", "wasmplugin|envoyfilter|envoy", "Write only these outputs: wasmplugin, envoyfilter, envoy (repeatable; default all three).");

        var command = new Command("manifests", "Write Istio WasmPlugin / EnvoyFilter resources and an Envoy bootstrap filter entry for the filters of a filter assembly.")
        {
            assembly, image, config, output, rootId, selector, phase, priority, pullPolicy, pullSecret, sha256, name, ns, wasmPath, vmId, context, kinds,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => CommandInput.Run(parse, (stdout, stderr) =>
        {
            string assemblyPath = CommandInput.ExistingFile(parse, assembly, "filter assembly");
            HashSet<string> selected = SelectedKinds(CommandInput.All(parse, kinds));
            string? imageValue = CommandInput.Optional(parse, image);
            if (imageValue is null && (selected.Contains("wasmplugin") || selected.Contains("envoyfilter")))
            {
                throw CliException.Usage("--image is required for the WasmPlugin and the EnvoyFilter (--image oci://registry.example.com/filters/hello:1.0), or write only the Envoy entries with --kind envoy");
            }

            string url = imageValue is null ? string.Empty : ParseUrl(imageValue);
            string? nameValue = CommandInput.Optional(parse, name);
            if (nameValue is not null && !ManifestBuilder.IsDnsName(nameValue))
            {
                throw CliException.Usage($"--name '{nameValue}' is not a Kubernetes name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
            }

            string? nsValue = CommandInput.Optional(parse, ns);
            if (nsValue is not null && !NamespacePattern().IsMatch(nsValue))
            {
                throw CliException.Usage($"--namespace '{nsValue}' is not a Kubernetes namespace name (a DNS label: lower-case letters, digits and '-', at most 63)");
            }

            string? configPath = CommandInput.Optional(parse, config) is { } c ? CommandInput.ExistingFile(c, "configuration JSON (--config)") : null;
            var options = new ManifestOptions
            {
                Url = url,
                Sha256 = ParseSha256(CommandInput.Optional(parse, sha256)),
                Selector = ParseSelector(CommandInput.All(parse, selector)),
                Phase = CommandInput.Optional(parse, phase) is { } p ? CommandInput.OneOf(p, "--phase", "AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE") : null,
                Priority = ParsePriority(CommandInput.Optional(parse, priority)),
                PullPolicy = CommandInput.Optional(parse, pullPolicy) is { } pp ? CommandInput.OneOf(pp, "--image-pull-policy", "IfNotPresent", "Always") : "IfNotPresent",
                PullSecret = CommandInput.Optional(parse, pullSecret),
                Name = nameValue,
                Namespace = nsValue,
                WasmPath = CommandInput.Optional(parse, wasmPath) ?? "/etc/envoy/plugin.wasm",
                VmId = CommandInput.Optional(parse, vmId),
                Context = CommandInput.Optional(parse, context) is { } ctx ? CommandInput.OneOf(ctx, "--context", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY", "ANY") : "SIDECAR_INBOUND",
            };
            string? outputDirectory = CommandInput.Optional(parse, output) is { } o ? Path.GetFullPath(o) : null;
            string? wantedRootId = CommandInput.Optional(parse, rootId);

            IReadOnlyList<FilterInfo> filters = FilterAssemblyReader.Read(assemblyPath);
            string assemblyName = Path.GetFileName(assemblyPath);
            if (filters.Count == 0)
            {
                throw CliException.BadInput($"{assemblyName}: no filter: no class or struct with [HttpFilter(\"root_id\")] or [NetworkFilter(\"root_id\")] (is it the filter project's own assembly?)");
            }

            if (wantedRootId is not null)
            {
                filters = filters.Where(f => f.RootId == wantedRootId).ToArray();
                if (filters.Count == 0)
                {
                    throw CliException.Usage($"--root-id '{wantedRootId}': {assemblyName} has no filter with that root id (root ids: {string.Join(", ", FilterAssemblyReader.Read(assemblyPath).Select(f => f.RootId))})");
                }
            }

            if (configPath is not null)
            {
                options = options with { Configuration = ReadConfiguration(configPath) };
                if (selected.Contains("wasmplugin") && options.Configuration.Value.ValueKind != JsonValueKind.Object)
                {
                    throw CliException.BadInput($"{Path.GetFileName(configPath)}: the configuration is a JSON {options.Configuration.Value.ValueKind.ToString().ToLowerInvariant()}, but WasmPlugin pluginConfig is a google.protobuf.Struct (a JSON object); wrap it in an object, or write only --kind envoyfilter --kind envoy");
                }
            }
            else
            {
                foreach (FilterInfo filter in filters.Where(f => f.Configuration is not null))
                {
                    stderr.WriteLine($"proxywasm: note: {filter.RootId} reads its configuration as {filter.Configuration} (JSON); pass it with --config <file.json>");
                }
            }

            var files = Render(filters, options, selected, assemblyName);
            if (outputDirectory is null)
            {
                stdout.Write(string.Join("---\n", files.Select(f => f.Text)));
                return 0;
            }

            if (File.Exists(outputDirectory))
            {
                throw CliException.Usage($"--output {outputDirectory}: is a file; give a directory");
            }

            Directory.CreateDirectory(outputDirectory);
            foreach ((string file, string text, int documents) in files)
            {
                string path = Path.Combine(outputDirectory, file);
                File.WriteAllText(path, text);
                stdout.WriteLine($"wrote {path} ({documents} {(file.StartsWith("envoy-", StringComparison.Ordinal) ? "filter entr" + (documents == 1 ? "y" : "ies") : "resource" + (documents == 1 ? string.Empty : "s"))})");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The text of each selected output file, with the number of resources (or Envoy filter entries) in it.</summary>
    internal static IReadOnlyList<(string File, string Text, int Count)> Render(IReadOnlyList<FilterInfo> filters, ManifestOptions options, ISet<string> kinds, string assemblyName)
    {
        bool several = filters.Count > 1;
        string[] described = filters.Select(f =>
            $"  root id {f.RootId}: {f.TypeName} ({(f.Kind == FilterKind.Http ? "HTTP" : "network")} filter, OnError {(f.FailOpen ? "FailOpen" : "FailClosed")}"
            + (f.Plugin is null ? string.Empty : $", plugin {f.Plugin}")
            + (f.Configuration is null ? string.Empty : $", configuration {f.Configuration}") + ")").ToArray();
        var result = new List<(string, string, int)>();
        foreach ((string kind, string file) in Outputs.Where(o => kinds.Contains(o.Kind)))
        {
            switch (kind)
            {
                case "wasmplugin":
                    result.Add((file, Yaml.Documents(
                        [$"{file}: Istio WasmPlugin resources for {assemblyName} (proxywasm manifests); kubectl apply -f {file}", .. described],
                        filters.Select(f => ManifestBuilder.WasmPlugin(f, options, several))), filters.Count));
                    break;
                case "envoyfilter":
                    result.Add((file, Yaml.Documents(
                        [$"{file}: Istio EnvoyFilter resources for {assemblyName} (proxywasm manifests), an alternative to the WasmPlugin; kubectl apply -f {file}", .. described],
                        filters.Select(f => ManifestBuilder.EnvoyFilter(f, options, several))), filters.Count));
                    break;
                default:
                    var snippet = new OrderedDictionary<string, object?>();
                    List<object?> httpEntries = filters.Where(f => f.Kind == FilterKind.Http).Select(f => (object?)ManifestBuilder.BootstrapEntry(f, options)).ToList();
                    List<object?> networkEntries = filters.Where(f => f.Kind == FilterKind.Network).Select(f => (object?)ManifestBuilder.BootstrapEntry(f, options)).ToList();
                    if (httpEntries.Count > 0)
                    {
                        snippet["http_filters"] = httpEntries;
                    }

                    if (networkEntries.Count > 0)
                    {
                        snippet["network_filters"] = networkEntries;
                    }

                    result.Add((file, Yaml.Documents(
                        [
                            $"{file}: Envoy filter entries for {assemblyName} (proxywasm manifests), module at {options.WasmPath}.",
                            "http_filters: entries of an http_connection_manager's http_filters, before envoy.filters.http.router.",
                            "network_filters: entries of a filter chain's filters, before envoy.filters.network.tcp_proxy.",
                            .. described,
                        ],
                        [snippet]), filters.Count));
                    break;
            }
        }

        return result;
    }

    private static HashSet<string> SelectedKinds(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return Outputs.Select(o => o.Kind).ToHashSet();
        }

        return values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => CommandInput.OneOf(v, "--kind", "wasmplugin", "envoyfilter", "envoy"))
            .ToHashSet();
    }

    /// <summary>The module URL: <c>oci://</c>, <c>http(s)://</c> or <c>file:///</c>; without a scheme, <c>oci://</c>
    /// (as Istio reads a WasmPlugin url without one).</summary>
    internal static string ParseUrl(string value)
    {
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return "oci://" + value;
        }

        string name = value[..scheme].ToLowerInvariant();
        string rest = value[(scheme + 3)..];
        if (name is not ("oci" or "http" or "https" or "file"))
        {
            throw CliException.Usage($"--image '{value}': the scheme '{name}' is not one of oci://, https://, http://, file:// (Istio's WasmPlugin url)");
        }

        if (rest.Length == 0 || (name == "file" && !rest.StartsWith('/')))
        {
            throw CliException.Usage($"--image '{value}': {(name == "file" ? "a file:// url needs an absolute path (file:///etc/istio/plugin.wasm)" : "nothing after the scheme")}");
        }

        return name + "://" + rest;
    }

    private static string? ParseSha256(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string hex = value.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? value[7..] : value;
        return Sha256Pattern().IsMatch(hex)
            ? hex
            : throw CliException.Usage($"--sha256 '{value}' is not 64 lower-case hex digits");
    }

    private static SortedDictionary<string, string> ParseSelector(IReadOnlyList<string> values)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            int equals = value.IndexOf('=');
            if (equals <= 0)
            {
                throw CliException.Usage($"--selector '{value}' is not key=value (e.g. --selector app=my-app)");
            }

            labels[value[..equals].Trim()] = value[(equals + 1)..].Trim();
        }

        return labels;
    }

    private static int? ParsePriority(string? value) => value is null
        ? null
        : int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int priority)
            ? priority
            : throw CliException.Usage($"--priority '{value}' is not an integer");

    private static JsonElement ReadConfiguration(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            string message = exception.Message.Replace('\n', ' ').Replace("\r", string.Empty, StringComparison.Ordinal);
            throw CliException.BadInput($"{Path.GetFileName(path)}: the configuration is not JSON: {message}");
        }
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespacePattern();
}
