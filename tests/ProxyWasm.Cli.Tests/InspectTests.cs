using System.Text.Json;
using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary>
/// <c>proxywasm inspect</c> on filter assemblies. The export and host-function lists were checked by hand once against
/// the NativeAOT build of the same sample (<c>nm -D --undefined-only</c> of the published .so lists exactly the host
/// functions ILC kept reachable: the same sets, for HelloWorld and SharedQueue).
/// </summary>
public sealed class InspectTests
{
    internal static readonly string[] HelloWorldExports =
        ["proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "proxy_on_request_headers"];

    internal static readonly string[] HelloWorldHostFunctions =
        ["proxy_close_stream", "proxy_get_header_map_value", "proxy_get_log_level", "proxy_log", "proxy_replace_header_map_value", "proxy_send_local_response"];

    private static readonly string[] SharedQueueHostFunctions =
    [
        "proxy_close_stream", "proxy_dequeue_shared_queue", "proxy_enqueue_shared_queue", "proxy_get_buffer_bytes", "proxy_get_header_map_pairs",
        "proxy_get_log_level", "proxy_get_property", "proxy_log", "proxy_register_shared_queue", "proxy_resolve_shared_queue", "proxy_send_local_response",
    ];

    [Fact]
    public void HelloWorld_text_manifest()
    {
        string dll = Repo.Sample("HelloWorld");
        CliResult result = CliRun.Invoke("inspect", dll);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        Assert.Equal($"""
            module HelloWorld ({CliRun.Shown(dll)})
            runtime: ProxyWasm.Runtime 0.1.0.0

            filter ProxyWasm.Samples.HelloWorld
              kind:               HTTP
              root id:            "hello_world"
              on error:           FailClosed
              plugin:             (none)
              configuration:      (none)
              vm configuration:   (none)
              hooks:
                HelloWorld.OnRequestHeaders [OnRequestHeaders] -> proxy_on_request_headers
              host functions:     {string.Join(", ", HelloWorldHostFunctions)}

            exports (3):
            {string.Join("\n", HelloWorldExports.Select(e => "  " + e))}

            host functions the module can call (6):
            {string.Join("\n", HelloWorldHostFunctions.Select(e => "  " + e))}

            """, result.Stdout);
    }

    [Fact]
    public void HelloWorld_json_manifest()
    {
        CliResult result = CliRun.Invoke("inspect", Repo.Sample("HelloWorld"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("assembly", root.GetProperty("kind").GetString());
        Assert.Equal("HelloWorld", root.GetProperty("module").GetString());
        Assert.Equal(HelloWorldExports, Strings(root.GetProperty("exports")));
        Assert.Equal(HelloWorldHostFunctions, Strings(root.GetProperty("hostFunctions")));

        JsonElement filter = Assert.Single(root.GetProperty("filters").EnumerateArray());
        Assert.Equal("ProxyWasm.Samples.HelloWorld", filter.GetProperty("type").GetString());
        Assert.Equal("http", filter.GetProperty("kind").GetString());
        Assert.Equal("hello_world", filter.GetProperty("rootId").GetString());
        Assert.Equal("FailClosed", filter.GetProperty("onError").GetString());
        Assert.Equal(JsonValueKind.Null, filter.GetProperty("plugin").ValueKind);
        Assert.Equal(JsonValueKind.Null, filter.GetProperty("configuration").ValueKind);
        JsonElement hook = Assert.Single(filter.GetProperty("hooks").EnumerateArray());
        Assert.Equal("ProxyWasm.Samples.HelloWorld", hook.GetProperty("type").GetString());
        Assert.Equal("OnRequestHeaders", hook.GetProperty("method").GetString());
        Assert.Equal("OnRequestHeaders", hook.GetProperty("attribute").GetString());
        Assert.Equal("proxy_on_request_headers", hook.GetProperty("export").GetString());
        Assert.False(hook.GetProperty("onPlugin").GetBoolean());
        Assert.Equal(HelloWorldHostFunctions, Strings(filter.GetProperty("hostFunctions")));
    }

    [Fact]
    public void SharedQueue_lists_three_filters_with_their_plugins_hooks_and_host_functions()
    {
        CliResult result = CliRun.Invoke("inspect", Repo.Sample("SharedQueue"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(
            [
                "proxy_abi_version_0_2_1", "proxy_on_configure", "proxy_on_context_create", "proxy_on_delete", "proxy_on_memory_allocate",
                "proxy_on_new_connection", "proxy_on_queue_ready", "proxy_on_request_headers", "proxy_on_response_headers", "proxy_on_upstream_data",
            ],
            Strings(root.GetProperty("exports")));
        Assert.Equal(SharedQueueHostFunctions, Strings(root.GetProperty("hostFunctions")));

        JsonElement[] filters = root.GetProperty("filters").EnumerateArray().ToArray();
        Assert.Equal(
            [
                ("ProxyWasm.Samples.Receiver", "http", "receiver", "ProxyWasm.Samples.ReceiverPlugin"),
                ("ProxyWasm.Samples.HttpSender", "http", "sender", "ProxyWasm.Samples.SenderPlugin"),
                ("ProxyWasm.Samples.TcpSender", "network", "sender_tcp", "ProxyWasm.Samples.SenderPlugin"),
            ],
            filters.Select(f => (f.GetProperty("type").GetString(), f.GetProperty("kind").GetString(), f.GetProperty("rootId").GetString(), f.GetProperty("plugin").GetString())).ToArray());
        Assert.All(filters, f => Assert.Equal("ReadOnlySpan<byte>", f.GetProperty("configuration").GetString()));
        Assert.All(filters, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("vmConfiguration").ValueKind));

        Assert.Equal(
            [
                ["ReceiverPlugin.OnConfigure -> proxy_on_configure (plugin)", "ReceiverPlugin.OnQueueReady -> proxy_on_queue_ready (plugin)"],
                ["HttpSender.OnRequestHeaders -> proxy_on_request_headers", "HttpSender.OnResponseHeaders -> proxy_on_response_headers", "SenderPlugin.OnConfigure -> proxy_on_configure (plugin)"],
                ["TcpSender.OnNewConnection -> proxy_on_new_connection", "TcpSender.OnUpstreamData -> proxy_on_upstream_data", "SenderPlugin.OnConfigure -> proxy_on_configure (plugin)"],
            ],
            filters.Select(f => f.GetProperty("hooks").EnumerateArray().Select(h =>
                $"{h.GetProperty("type").GetString()!.Replace("ProxyWasm.Samples.", "")}.{h.GetProperty("method").GetString()} -> {h.GetProperty("export").GetString()}{(h.GetProperty("onPlugin").GetBoolean() ? " (plugin)" : "")}").ToArray()).ToArray());

        // Per filter: what its own types (and their glue) reach. The module adds proxy_get_property: its context
        // table reads plugin_root_id to pick the filter of a root context.
        Assert.Equal(
            [
                ["proxy_dequeue_shared_queue", "proxy_get_buffer_bytes", "proxy_get_log_level", "proxy_log", "proxy_register_shared_queue"],
                ["proxy_close_stream", "proxy_enqueue_shared_queue", "proxy_get_buffer_bytes", "proxy_get_header_map_pairs", "proxy_get_log_level", "proxy_log", "proxy_resolve_shared_queue", "proxy_send_local_response"],
                ["proxy_close_stream", "proxy_enqueue_shared_queue", "proxy_get_buffer_bytes", "proxy_get_log_level", "proxy_log", "proxy_resolve_shared_queue", "proxy_send_local_response"],
            ],
            filters.Select(f => Strings(f.GetProperty("hostFunctions"))).ToArray());
    }

    [Fact]
    public void SharedQueue_text_shows_kinds_plugins_and_hooks()
    {
        CliResult result = CliRun.Invoke("inspect", Repo.Sample("SharedQueue"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("""
            filter ProxyWasm.Samples.TcpSender
              kind:               network
              root id:            "sender_tcp"
              on error:           FailClosed
              plugin:             ProxyWasm.Samples.SenderPlugin
              configuration:      ReadOnlySpan<byte>
              vm configuration:   (none)
              hooks:
                TcpSender.OnNewConnection [OnNewConnection] -> proxy_on_new_connection
                TcpSender.OnUpstreamData [OnUpstreamData] -> proxy_on_upstream_data
                SenderPlugin.OnConfigure [OnConfigure] -> proxy_on_configure

            """, result.Stdout);
        Assert.EndsWith($"host functions the module can call (11):\n{string.Join("\n", SharedQueueHostFunctions.Select(f => "  " + f))}\n", result.Stdout);
    }

    [Fact]
    public void Typed_configuration_comes_from_the_attribute_and_vm_configuration_from_OnVmStart()
    {
        CliResult add = CliRun.Invoke("inspect", Repo.Sample("AddHeader"), "--json");
        CliResult vm = CliRun.Invoke("inspect", Repo.Sample("VmPluginConfiguration"), "--json");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(vm.ExitCode == 0, vm.ToString());
        using JsonDocument addJson = JsonDocument.Parse(add.Stdout);
        using JsonDocument vmJson = JsonDocument.Parse(vm.Stdout);
        JsonElement addFilter = addJson.RootElement.GetProperty("filters")[0];
        Assert.Equal("ProxyWasm.Samples.AddHeaderConfiguration", addFilter.GetProperty("configuration").GetString());
        Assert.Equal(JsonValueKind.Null, addFilter.GetProperty("plugin").ValueKind);
        JsonElement vmFilter = vmJson.RootElement.GetProperty("filters")[0];
        Assert.Equal("ReadOnlySpan<byte>", vmFilter.GetProperty("configuration").GetString());
        Assert.Equal("ReadOnlySpan<byte>", vmFilter.GetProperty("vmConfiguration").GetString());
        Assert.Equal(["proxy_get_buffer_bytes", "proxy_get_log_level", "proxy_log"], Strings(vmJson.RootElement.GetProperty("hostFunctions")));
    }

    [Fact]
    public void Inspect_usage_errors_exit_2_with_one_line()
    {
        string missing = Path.Combine(Path.GetTempPath(), "proxywasm-cli-tests-missing-" + Guid.NewGuid().ToString("N") + ".dll");
        string directory = Directory.CreateTempSubdirectory("proxywasm-cli-tests-").FullName;
        string notElf = Path.Combine(directory, "fake.so");
        string notWasm = Path.Combine(directory, "fake.wasm");
        string text = Path.Combine(directory, "notes.txt");
        File.WriteAllText(notElf, "not an ELF file");
        File.WriteAllBytes(notWasm, [0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]);
        File.WriteAllText(text, "text");
        try
        {
            Assert.Equal((2, $"proxywasm: {missing}: no such file or directory"), Line("inspect", missing));
            Assert.Equal((2, $"proxywasm: {notElf} is not an ELF shared library"), Line("inspect", notElf));
            Assert.Equal((2, $"proxywasm: {notWasm}: wasm binary version 2, not 1"), Line("inspect", notWasm));
            Assert.Equal((2, $"proxywasm: {text} is not a filter assembly (.dll), a project, a native module (.so) or a wasm module (.wasm)"), Line("inspect", text));
            Assert.Equal((2, $"proxywasm: {CliRun.Shown(typeof(Assert).Assembly.Location)} has no Proxy-Wasm filter: it does not reference ProxyWasm.Runtime"), Line("inspect", typeof(Assert).Assembly.Location));
            Assert.Equal((2, "proxywasm: Required argument missing for command: 'inspect' (see 'proxywasm inspect --help')"), Line("inspect"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int, string) Line(params string[] args)
    {
        CliResult result = CliRun.Invoke(args);
        Assert.Equal("", result.Stdout);
        return (result.ExitCode, Assert.Single(result.ErrorLines));
    }

    internal static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
