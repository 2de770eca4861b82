using System.Text.Json;
using System.Text.Json.Nodes;
using ProxyWasm.Cli.Commands;
using ProxyWasm.Cli.Manifests;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ProxyWasm.Cli.Tests;

/// <summary>
/// <c>proxywasm manifests</c>: the filters read from assembly metadata, and the YAML it writes parsed back with
/// YamlDotNet and checked field by field against the assembly and the options.
/// </summary>
public sealed class ManifestsTests
{
    private const string Image = "oci://registry.example.com/filters/demo:1.0";

    [Fact]
    public void Filters_are_read_from_metadata_with_their_attribute_arguments()
    {
        FilterInfo hello = Assert.Single(FilterAssemblyReader.Read(FilterAssemblies.HelloWorld));
        Assert.Equal(new FilterInfo("hello_world", FilterKind.Http, "ProxyWasm.Samples.HelloWorld", 0, null, null), hello);

        IReadOnlyList<FilterInfo> queue = FilterAssemblyReader.Read(FilterAssemblies.SharedQueue);
        Assert.Equal(["receiver", "sender", "sender_tcp"], queue.Select(f => f.RootId).Order(StringComparer.Ordinal));
        FilterInfo tcp = queue.Single(f => f.RootId == "sender_tcp");
        Assert.Equal((FilterKind.Network, "ProxyWasm.Samples.TcpSender", "ProxyWasm.Samples.SenderPlugin"), (tcp.Kind, tcp.TypeName, tcp.Plugin));
        Assert.Equal("ProxyWasm.Samples.ReceiverPlugin", queue.Single(f => f.RootId == "receiver").Plugin);

        Assert.Equal("ProxyWasm.Samples.AddHeaderConfiguration", Assert.Single(FilterAssemblyReader.Read(FilterAssemblies.AddHeader)).Configuration);

        IReadOnlyList<FilterInfo> emitted = FilterAssemblyReader.Read(FilterAssemblies.WithFailOpen);
        Assert.Equal(
            [
                new FilterInfo("open_http", FilterKind.Http, "Emitted.OpenHttp", 1, "Emitted.OpenPlugin", "Emitted.Settings"),
                new FilterInfo("open_tcp", FilterKind.Network, "Emitted.OpenTcp", 1, null, null),
                new FilterInfo("nested", FilterKind.Http, "Emitted.Outer+Inner", 0, null, null),
            ],
            emitted.OrderBy(f => f.RootId == "nested"));
        Assert.True(emitted.Single(f => f.RootId == "open_tcp").FailOpen);
    }

    [Fact]
    public void HelloWorld_gives_a_WasmPlugin_an_EnvoyFilter_and_an_Envoy_http_filter()
    {
        using var temp = new TempDirectory();
        var (exit, stdout, stderr) = Manifests(FilterAssemblies.HelloWorld, "--image", Image, "--output", temp["out"]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(["envoy-http-filter.yaml", "envoyfilter.yaml", "wasmplugin.yaml"], Directory.GetFiles(temp["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("wasmplugin.yaml (1 resource)", stdout);

        YamlMappingNode plugin = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["out/wasmplugin.yaml"])));
        Assert.Equal("extensions.istio.io/v1alpha1", plugin.Text("apiVersion"));
        Assert.Equal("WasmPlugin", plugin.Text("kind"));
        Assert.Equal(["name"], plugin.At("metadata").Keys());
        Assert.Equal("hello-world", plugin.Text("metadata", "name"));
        Assert.Equal(["url", "imagePullPolicy", "pluginName", "failStrategy", "type"], plugin.At("spec").Keys());
        Assert.Equal(Image, plugin.Text("spec", "url"));
        Assert.Equal("IfNotPresent", plugin.Text("spec", "imagePullPolicy"));
        Assert.Equal("hello_world", plugin.Text("spec", "pluginName"));
        Assert.Equal("FAIL_CLOSE", plugin.Text("spec", "failStrategy"));
        Assert.Equal("HTTP", plugin.Text("spec", "type"));

        YamlMappingNode filter = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["out/envoyfilter.yaml"])));
        Assert.Equal("networking.istio.io/v1alpha3", filter.Text("apiVersion"));
        Assert.Equal("EnvoyFilter", filter.Text("kind"));
        Assert.False(filter.At("spec").Has("workloadSelector"));
        var patches = Assert.IsType<YamlSequenceNode>(filter.At("spec", "configPatches"));
        Assert.Equal(2, patches.Children.Count);
        YamlNode extension = patches[0];
        Assert.Equal("EXTENSION_CONFIG", extension.Text("applyTo"));
        Assert.Equal("ADD", extension.Text("patch", "operation"));
        Assert.Equal("hello-world", extension.Text("patch", "value", "name"));
        YamlNode typed = extension.At("patch", "value", "typed_config");
        Assert.Equal(ManifestBuilder.TypedStructType, typed.Text("@type"));
        Assert.Equal(ManifestBuilder.HttpWasmType, typed.Text("type_url"));
        AssertPluginConfig(typed.At("value", "config"), "hello_world", failOpen: false);
        Assert.Equal(Image, typed.Text("value", "config", "vm_config", "code", "remote", "http_uri", "uri"));
        YamlNode insert = patches[1];
        Assert.Equal("HTTP_FILTER", insert.Text("applyTo"));
        Assert.Equal("SIDECAR_INBOUND", insert.Text("match", "context"));
        Assert.Equal("envoy.filters.network.http_connection_manager", insert.Text("match", "listener", "filterChain", "filter", "name"));
        Assert.Equal("envoy.filters.http.router", insert.Text("match", "listener", "filterChain", "filter", "subFilter", "name"));
        Assert.Equal("INSERT_BEFORE", insert.Text("patch", "operation"));
        Assert.Equal("hello-world", insert.Text("patch", "value", "name"));
        Assert.Equal(ManifestBuilder.HttpWasmType, insert.Text("patch", "value", "config_discovery", "type_urls", "0"));
        Assert.Empty(Assert.IsType<YamlMappingNode>(insert.At("patch", "value", "config_discovery", "config_source", "ads")).Children);

        YamlMappingNode envoy = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["out/envoy-http-filter.yaml"])));
        Assert.Equal(["http_filters"], envoy.Keys());
        YamlNode entry = Assert.Single(Assert.IsType<YamlSequenceNode>(envoy.At("http_filters")).Children);
        Assert.Equal("envoy.filters.http.wasm", entry.Text("name"));
        Assert.Equal(ManifestBuilder.HttpWasmType, entry.Text("typed_config", "@type"));
        AssertPluginConfig(entry.At("typed_config", "config"), "hello_world", failOpen: false);
        Assert.Equal("/etc/envoy/plugin.wasm", entry.Text("typed_config", "config", "vm_config", "code", "local", "filename"));
    }

    [Fact]
    public void SharedQueue_gives_one_document_per_root_id_with_its_kind()
    {
        using var temp = new TempDirectory();
        var (exit, _, stderr) = Manifests(FilterAssemblies.SharedQueue, "--image", Image, "--output", temp.Path, "--vm-id", "receiver");
        Assert.True(exit == 0, stderr);
        IReadOnlyList<FilterInfo> filters = FilterAssemblyReader.Read(FilterAssemblies.SharedQueue);

        IReadOnlyList<YamlMappingNode> plugins = YamlRead.Documents(File.ReadAllText(temp["wasmplugin.yaml"]));
        Assert.Equal(filters.Select(f => f.RootId), plugins.Select(p => p.Text("spec", "pluginName")));
        Assert.Equal(filters.Select(f => f.Kind == FilterKind.Http ? "HTTP" : "NETWORK"), plugins.Select(p => p.Text("spec", "type")));
        Assert.Equal(filters.Select(f => f.RootId.Replace('_', '-')), plugins.Select(p => p.Text("metadata", "name")));
        Assert.All(plugins, p => Assert.Equal("FAIL_CLOSE", p.Text("spec", "failStrategy")));

        IReadOnlyList<YamlMappingNode> envoyFilters = YamlRead.Documents(File.ReadAllText(temp["envoyfilter.yaml"]));
        Assert.Equal(3, envoyFilters.Count);
        YamlMappingNode tcp = envoyFilters.Single(d => d.Text("metadata", "name") == "sender-tcp");
        Assert.Equal(ManifestBuilder.NetworkWasmType, tcp.Text("spec", "configPatches", "0", "patch", "value", "typed_config", "type_url"));
        Assert.Equal("NETWORK_FILTER", tcp.Text("spec", "configPatches", "1", "applyTo"));
        Assert.Equal("envoy.filters.network.tcp_proxy", tcp.Text("spec", "configPatches", "1", "match", "listener", "filterChain", "filter", "name"));
        Assert.False(tcp.At("spec", "configPatches", "1", "match", "listener", "filterChain", "filter").Has("subFilter"));
        Assert.Equal("receiver", tcp.Text("spec", "configPatches", "0", "patch", "value", "typed_config", "value", "config", "vm_config", "vm_id"));

        YamlMappingNode envoy = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["envoy-http-filter.yaml"])));
        var http = Assert.IsType<YamlSequenceNode>(envoy.At("http_filters"));
        var network = Assert.IsType<YamlSequenceNode>(envoy.At("network_filters"));
        Assert.Equal(filters.Where(f => f.Kind == FilterKind.Http).Select(f => f.RootId), http.Children.Select(e => e.Text("typed_config", "config", "root_id")));
        YamlNode tcpEntry = Assert.Single(network.Children);
        Assert.Equal("envoy.filters.network.wasm", tcpEntry.Text("name"));
        Assert.Equal(ManifestBuilder.NetworkWasmType, tcpEntry.Text("typed_config", "@type"));
        AssertPluginConfig(tcpEntry.At("typed_config", "config"), "sender_tcp", failOpen: false);
    }

    [Fact]
    public void Root_id_picks_one_filter()
    {
        using var temp = new TempDirectory();
        var (exit, _, stderr) = Manifests(FilterAssemblies.SharedQueue, "--image", Image, "--output", temp.Path, "--root-id", "sender");
        Assert.True(exit == 0, stderr);
        YamlMappingNode plugin = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["wasmplugin.yaml"])));
        Assert.Equal("sender", plugin.Text("spec", "pluginName"));
        YamlMappingNode envoy = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["envoy-http-filter.yaml"])));
        Assert.False(envoy.Has("network_filters"));
    }

    [Fact]
    public void Fail_open_filters_get_FAIL_OPEN_and_fail_open_true()
    {
        var (exit, stdout, stderr) = Manifests(FilterAssemblies.WithFailOpen, "--image", "https://example.com/filters.wasm", "--name", "emitted");
        Assert.True(exit == 0, stderr);
        Assert.Contains("open_http reads its configuration as Emitted.Settings", stderr);
        IReadOnlyList<YamlMappingNode> documents = YamlRead.Documents(stdout);
        Assert.Equal(3 + 3 + 1, documents.Count);

        var plugins = documents.Where(d => d.Has("kind") && d.Text("kind") == "WasmPlugin").ToDictionary(d => d.Text("spec", "pluginName"));
        Assert.Equal("FAIL_OPEN", plugins["open_http"].Text("spec", "failStrategy"));
        Assert.Equal("FAIL_OPEN", plugins["open_tcp"].Text("spec", "failStrategy"));
        Assert.Equal("NETWORK", plugins["open_tcp"].Text("spec", "type"));
        Assert.Equal("FAIL_CLOSE", plugins["nested"].Text("spec", "failStrategy"));
        Assert.Equal(["emitted-open-http", "emitted-open-tcp", "emitted-nested"], plugins.Values.Select(p => p.Text("metadata", "name")));

        YamlMappingNode envoy = documents.Single(d => d.Has("http_filters"));
        Assert.Equal(
            ["true", "false"],
            Assert.IsType<YamlSequenceNode>(envoy.At("http_filters")).Children.Select(e => e.Text("typed_config", "config", "fail_open")));
        Assert.Equal("true", envoy.Text("network_filters", "0", "typed_config", "config", "fail_open"));
        Assert.Equal(
            "https://example.com/filters.wasm",
            documents.First(d => d.Has("kind") && d.Text("kind") == "EnvoyFilter").Text("spec", "configPatches", "0", "patch", "value", "typed_config", "value", "config", "vm_config", "code", "remote", "http_uri", "uri"));
    }

    [Fact]
    public void Configuration_JSON_becomes_pluginConfig_and_the_Envoy_StringValue()
    {
        using var temp = new TempDirectory();
        const string json = """
            {"value": "yes", "count": 5, "ratio": 1.5e3, "neg": -0.25, "flags": [true, false, null],
             "nested": {"n": "123", "on": "off", "empty": "", "nothing": null, "lines": "a\nb", "hash": "# not a comment",
                        "colon": "a: b", "unicode": "h\u00e9llo \u2713", "list": [{"k": "~"}, [], {}]}}
            """;
        File.WriteAllText(temp["config.json"], json);
        var (exit, _, stderr) = Manifests(FilterAssemblies.AddHeader, "--image", Image, "--output", temp["out"], "--config", temp["config.json"], "--sha256", new string('a', 64));
        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        using JsonDocument expected = JsonDocument.Parse(json);

        YamlMappingNode plugin = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["out/wasmplugin.yaml"])));
        YamlRead.AssertSameAs(plugin.At("spec", "pluginConfig"), expected.RootElement);
        Assert.Equal(new string('a', 64), plugin.Text("spec", "sha256"));

        YamlMappingNode envoy = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["out/envoy-http-filter.yaml"])));
        YamlNode configuration = envoy.At("http_filters", "0", "typed_config", "config", "configuration");
        Assert.Equal(ManifestBuilder.StringValueType, configuration.Text("@type"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(configuration.Text("value"))));

        YamlMappingNode filter = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["out/envoyfilter.yaml"])));
        YamlNode config = filter.At("spec", "configPatches", "0", "patch", "value", "typed_config", "value", "config");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(config.Text("configuration", "value"))));
        Assert.Equal(new string('a', 64), config.Text("vm_config", "code", "remote", "sha256"));
    }

    [Fact]
    public void Options_reach_their_fields()
    {
        var (exit, stdout, stderr) = Manifests(FilterAssemblies.HelloWorld, "--image", "registry.example.com/hello:2", "--selector", "version=v1", "--selector", "app=my-app",
            "--phase", "authz", "--priority", "-10", "--image-pull-policy", "Always", "--image-pull-secret", "pull", "--name", "greeter", "--namespace", "istio-system",
            "--wasm-path", "/opt/filters/hello.wasm", "--vm-id", "shared", "--context", "GATEWAY");
        Assert.True(exit == 0, stderr);
        IReadOnlyList<YamlMappingNode> documents = YamlRead.Documents(stdout);
        YamlMappingNode plugin = documents[0];
        Assert.Equal(["name", "namespace"], plugin.At("metadata").Keys());
        Assert.Equal(("greeter", "istio-system"), (plugin.Text("metadata", "name"), plugin.Text("metadata", "namespace")));
        Assert.Equal(["app", "version"], plugin.At("spec", "selector", "matchLabels").Keys());
        Assert.Equal("my-app", plugin.Text("spec", "selector", "matchLabels", "app"));
        Assert.Equal("oci://registry.example.com/hello:2", plugin.Text("spec", "url"));
        Assert.Equal(["AUTHZ", "-10", "Always", "pull"], new[] { "phase", "priority", "imagePullPolicy", "imagePullSecret" }.Select(k => plugin.Text("spec", k)));

        YamlMappingNode filter = documents[1];
        Assert.Equal("v1", filter.Text("spec", "workloadSelector", "labels", "version"));
        Assert.Equal("GATEWAY", filter.Text("spec", "configPatches", "1", "match", "context"));
        Assert.Equal("shared", filter.Text("spec", "configPatches", "0", "patch", "value", "typed_config", "value", "config", "vm_config", "vm_id"));

        YamlMappingNode envoy = documents[2];
        Assert.Equal("/opt/filters/hello.wasm", envoy.Text("http_filters", "0", "typed_config", "config", "vm_config", "code", "local", "filename"));
    }

    [Fact]
    public void The_Envoy_entries_need_no_image()
    {
        var (exit, stdout, stderr) = Manifests(FilterAssemblies.HelloWorld, "--kind", "envoy");
        Assert.True(exit == 0, stderr);
        YamlMappingNode envoy = Assert.Single(YamlRead.Documents(stdout));
        Assert.Equal("hello_world", envoy.Text("http_filters", "0", "typed_config", "config", "root_id"));
    }

    [Fact]
    public void A_file_url_inserts_the_filter_with_its_local_path()
    {
        var (exit, stdout, stderr) = Manifests(FilterAssemblies.HelloWorld, "--image", "file:///var/local/wasm/hello.wasm", "--kind", "envoyfilter");
        Assert.True(exit == 0, stderr);
        YamlMappingNode filter = Assert.Single(YamlRead.Documents(stdout));
        YamlNode patch = Assert.Single(Assert.IsType<YamlSequenceNode>(filter.At("spec", "configPatches")).Children);
        Assert.Equal("HTTP_FILTER", patch.Text("applyTo"));
        Assert.Equal("envoy.filters.http.wasm", patch.Text("patch", "value", "name"));
        Assert.Equal(ManifestBuilder.HttpWasmType, patch.Text("patch", "value", "typed_config", "@type"));
        Assert.Equal("/var/local/wasm/hello.wasm", patch.Text("patch", "value", "typed_config", "config", "vm_config", "code", "local", "filename"));
    }

    [Fact]
    public void Kind_selects_the_outputs_and_a_non_object_configuration_needs_no_WasmPlugin()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp["config.json"], "[\"a\", 1]");
        var (exit, stdout, stderr) = Manifests(FilterAssemblies.AddHeader, "--image", Image, "--output", temp["out"], "--config", temp["config.json"], "--kind", "envoy,envoyfilter");
        Assert.True(exit == 0, stderr);
        Assert.Equal(["envoy-http-filter.yaml", "envoyfilter.yaml"], Directory.GetFiles(temp["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("wasmplugin", stdout);
        YamlMappingNode envoy = Assert.Single(YamlRead.Documents(File.ReadAllText(temp["out/envoy-http-filter.yaml"])));
        Assert.Equal("[\"a\",1]", envoy.Text("http_filters", "0", "typed_config", "config", "configuration", "value"));

        var refused = Manifests(FilterAssemblies.AddHeader, "--image", Image, "--config", temp["config.json"]);
        Assert.Equal(1, refused.Exit);
        OciTests.AssertOneLine(refused.Err, "WasmPlugin pluginConfig is a google.protobuf.Struct");
    }

    [Theory]
    [InlineData("missing", "--image|x", 2, "no such file (the filter assembly)")]
    [InlineData("", "--image|x", 2, "missing assembly")]
    [InlineData("hello", "", 2, "--image is required")]
    [InlineData("hello", "--image", 2, "--image needs a value")]
    [InlineData("hello", "--image|ftp://host/x", 2, "the scheme 'ftp' is not one of")]
    [InlineData("hello", "--image|file://relative.wasm", 2, "absolute path")]
    [InlineData("hello", "--image|x|--root-id|nope", 2, "no filter with that root id (root ids: hello_world)")]
    [InlineData("queue", "--image|x|--root-id|nope", 2, "(root ids: receiver, sender, sender_tcp)")]
    [InlineData("hello", "--image|x|--selector|app", 2, "--selector 'app' is not key=value")]
    [InlineData("hello", "--image|x|--phase|LATE", 2, "--phase 'LATE' is not one of AUTHN, AUTHZ, STATS")]
    [InlineData("hello", "--image|x|--priority|high", 2, "--priority 'high' is not an integer")]
    [InlineData("hello", "--image|x|--sha256|abc", 2, "--sha256 'abc' is not 64")]
    [InlineData("hello", "--image|x|--name|Hello_World", 2, "--name 'Hello_World' is not a Kubernetes name")]
    [InlineData("hello", "--image|x|--image-pull-policy|Never", 2, "is not one of IfNotPresent, Always")]
    [InlineData("hello", "--image|x|--kind|helm", 2, "--kind 'helm' is not one of wasmplugin, envoyfilter, envoy")]
    [InlineData("hello", "--image|x|--config|missing.json", 2, "no such file (the configuration JSON (--config))")]
    [InlineData("hello", "--image|x|--config|bad.json", 1, "bad.json: the configuration is not JSON")]
    [InlineData("hello", "--image|x|--frobnicate", 2, "unknown option '--frobnicate'")]
    [InlineData("runtime", "--image|x", 1, "ProxyWasm.Runtime.dll: no filter: no class or struct with [HttpFilter(\"root_id\")]")]
    [InlineData("text", "--image|x", 1, "not a .NET assembly")]
    public void Errors_are_one_line_with_the_exit_code(string assembly, string args, int code, string message)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp["bad.json"], "{\"value\": nope}");
        File.WriteAllText(temp["text.dll"], "MZ but not really a PE file, long enough to be read as one by nobody at all.");
        string? path = assembly switch
        {
            "hello" => FilterAssemblies.HelloWorld,
            "queue" => FilterAssemblies.SharedQueue,
            "runtime" => FilterAssemblies.Runtime,
            "text" => temp["text.dll"],
            "missing" => temp["missing.dll"],
            _ => null,
        };
        string[] rest = args.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(a => a.EndsWith(".json", StringComparison.Ordinal) ? temp[a] : a).ToArray();
        var (exit, stdout, stderr) = Manifests(path is null ? rest : [path, .. rest]);
        Assert.Equal(code, exit);
        Assert.Equal(string.Empty, stdout);
        OciTests.AssertOneLine(stderr, message);
    }

    [Theory]
    [InlineData("oci://r.example.com/a:1", "oci://r.example.com/a:1")]
    [InlineData("r.example.com/a:1", "oci://r.example.com/a:1")]
    [InlineData("HTTPS://example.com/p.wasm", "https://example.com/p.wasm")]
    [InlineData("file:///etc/istio/p.wasm", "file:///etc/istio/p.wasm")]
    public void Image_urls_get_a_scheme(string value, string url) => Assert.Equal(url, ManifestsCommand.ParseUrl(value));

    private static void AssertPluginConfig(YamlNode config, string rootId, bool failOpen)
    {
        Assert.Equal(rootId, config.Text("name"));
        Assert.Equal(rootId, config.Text("root_id"));
        Assert.Equal(ManifestBuilder.V8, config.Text("vm_config", "runtime"));
        Assert.Equal(failOpen ? "true" : "false", config.Text("fail_open"));
        Assert.Equal(failOpen, bool.Parse(config.Text("fail_open")));
    }

    private static (int Exit, string Out, string Err) Manifests(params string[] args) => CommandRun.Run(ManifestsCommand.Create(), args);
}
