using System.Text.Json;
using ProxyWasm.Cli.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary><c>proxywasm run</c> on the samples' built assemblies, in process.</summary>
public sealed class RunTests
{
    private const string CurlRequest = """
          :method: GET
          :scheme: http
          :authority: example.com
          :path: /get
          user-agent: curl/8.5.0
          accept: */*
          x-request-id: 0b9e911a-26d3-4b4d-9b1d-5f94178e39d0
        """;

    [Fact]
    public void HelloWorld_with_the_default_request_prints_what_the_runner_printed()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("HelloWorld"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        Assert.Equal($"""
            module HelloWorld, root id "hello_world"
            exports: proxy_abi_version_0_2_1, proxy_on_memory_allocate, proxy_on_request_headers
            plugin started: vm_start=not exported, configure=not exported

            request from the client:
            {CurlRequest}

            callbacks:
              proxy_on_request_headers(2) -> Continue (0)

            request sent upstream (+ added or changed, - removed):
            {CurlRequest}
            + x-hello: Hello world from example.com

            response to the client (+ added or changed by the filter):
              :status: 200

            log: (nothing)

            """, result.Stdout);
    }

    [Fact]
    public void Custom_request_flags_set_the_pseudo_headers_replace_and_remove_defaults_and_send_a_body()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("HelloWorld"),
            "--authority", "api.example.org", "--path", "/items?id=7", "--scheme", "https",
            "-H", "user-agent: test/1.0", "-H", "accept:", "-H", "x-empty;", "-H", "x-hello: from the client", "-H", "x-two: a", "-H", "x-two: b",
            "-d", "name=value");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("""
            request from the client:
              :method: POST
              :scheme: https
              :authority: api.example.org
              :path: /items?id=7
              user-agent: test/1.0
              content-length: 10
              content-type: application/x-www-form-urlencoded
              x-request-id: 0b9e911a-26d3-4b4d-9b1d-5f94178e39d0
              x-empty: 
              x-hello: from the client
              x-two: a
              x-two: b
              body: "name=value"

            """, result.Stdout);

        // The filter replaced the client's x-hello: the new value is marked, the old one is gone from the list.
        Assert.Contains("""
              x-two: b
            + x-hello: Hello world from api.example.org
              body: "name=value"

            """, result.Stdout);
        Assert.DoesNotContain("  x-hello: from the client\n  x-two: a\n  x-two: b\n+", result.Stdout);
    }

    [Fact]
    public void Method_flag_overrides_the_post_a_body_implies()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("HelloWorld"), "-X", "PUT", "--data", "x", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement first = json.RootElement.GetProperty("request").GetProperty("headers")[0];
        Assert.Equal(":method", first.GetProperty("name").GetString());
        Assert.Equal("PUT", first.GetProperty("value").GetString());
    }

    [Fact]
    public void Data_file_is_the_request_body()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"a\": 1}\n");
            CliResult result = CliRun.Invoke("run", Repo.Sample("HelloWorld"), "--data-file", file, "-H", "content-type: application/json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("  content-length: 9\n  content-type: application/json\n", result.Stdout);
            Assert.Contains("  body: \"{\\\"a\\\": 1}\\n\"\n", result.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void HeaderAuthorization_denies_without_allow_with_a_local_response()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("HeaderAuthorization"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("""
            callbacks:
              proxy_on_request_headers(2) -> StopIteration (1)

            request sent upstream: none, the filter stopped it

            local response from the filter: 403
            response to the client (+ added or changed by the filter):
              :status: 403
              content-type: text/plain
              body: "Forbidden by ASM Wasm Plugin, csharp version\n"

            log:
              [Info] header-authorization: allow header not found or is not true, deny by default

            """, result.Stdout);
    }

    [Fact]
    public void HeaderAuthorization_lets_allow_true_through()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("HeaderAuthorization"), "-H", "allow: true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("proxy_on_request_headers(2) -> Continue (0)", result.Stdout);
        Assert.Contains("request sent upstream (+ added or changed, - removed):", result.Stdout);
        Assert.DoesNotContain("local response", result.Stdout);
        Assert.Contains("log: (nothing)", result.Stdout);
    }

    [Fact]
    public void Json_holds_the_whole_exchange()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("HeaderAuthorization"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("HeaderAuthorization", root.GetProperty("module").GetProperty("name").GetString());
        Assert.Equal("header_authorization", root.GetProperty("rootId").GetString());
        Assert.Equal("ProxyWasm.Samples.HeaderAuthorization", root.GetProperty("filter").GetString());
        Assert.Equal(
            ["proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "proxy_on_request_headers"],
            root.GetProperty("exports").EnumerateArray().Select(e => e.GetString()!).ToArray());

        JsonElement plugin = root.GetProperty("plugin");
        Assert.Equal(JsonValueKind.Null, plugin.GetProperty("vmStart").ValueKind);
        Assert.Equal(JsonValueKind.Null, plugin.GetProperty("configure").ValueKind);
        Assert.True(plugin.GetProperty("accepted").GetBoolean());

        Assert.Equal(7, root.GetProperty("request").GetProperty("headers").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("request").GetProperty("body").ValueKind);

        var callbacks = root.GetProperty("callbacks").EnumerateArray()
            .Select(c => (c.GetProperty("export").GetString(), c.GetProperty("contextId").GetUInt32(), c.GetProperty("status").GetString()))
            .ToArray();
        Assert.Equal([("proxy_on_request_headers", 2u, "StopIteration")], callbacks);

        Assert.Equal(JsonValueKind.Null, root.GetProperty("upstream").ValueKind);
        JsonElement local = root.GetProperty("localResponse");
        Assert.Equal(403, local.GetProperty("status").GetInt32());
        Assert.Equal("Forbidden by ASM Wasm Plugin, csharp version\n", local.GetProperty("body").GetString());

        JsonElement response = root.GetProperty("response");
        Assert.Equal(
            [(":status", "403"), ("content-type", "text/plain")],
            response.GetProperty("headers").EnumerateArray().Select(h => (h.GetProperty("name").GetString(), h.GetProperty("value").GetString())).ToArray());
        Assert.Equal("Forbidden by ASM Wasm Plugin, csharp version\n", response.GetProperty("body").GetString());

        JsonElement log = Assert.Single(root.GetProperty("logs").EnumerateArray());
        Assert.Equal("Info", log.GetProperty("level").GetString());
        Assert.Equal("header-authorization: allow header not found or is not true, deny by default", log.GetProperty("message").GetString());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void Upstream_response_flags_shape_what_the_filter_sees()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("AddHeader"), "--response-status", "404",
            "--response-header", "server: upstream", "--response-body", "missing", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement response = json.RootElement.GetProperty("response");
        Assert.Equal(
            [(":status", "404"), ("content-length", "7"), ("server", "upstream"), ("hello", "world!")],
            response.GetProperty("headers").EnumerateArray().Select(h => (h.GetProperty("name").GetString(), h.GetProperty("value").GetString())).ToArray());
        Assert.Equal("missing", response.GetProperty("body").GetString());
    }

    [Fact]
    public void AddHeader_takes_plain_text_configuration()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("AddHeader"), "--config", "goodbye");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("plugin started: vm_start=not exported, configure=true\n", result.Stdout);
        Assert.Contains("""
            response to the client (+ added or changed by the filter):
              :status: 200
            + hello: goodbye

            """, result.Stdout);
    }

    [Fact]
    public void AddHeader_takes_json_configuration()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("AddHeader"), "--config", """{"value": "json"}""");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("+ hello: json\n", result.Stdout);
    }

    [Fact]
    public void AddHeader_reads_configuration_from_a_file()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"value": "from a file"}""");
            CliResult result = CliRun.Invoke("run", Repo.Sample("AddHeader"), "--config-file", file);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("+ hello: from a file\n", result.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_rejected_configuration_exits_1_with_the_log_line()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("AddHeader"), "--config", """{"value": 3}""");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("plugin started: vm_start=not exported, configure=false  (rejected)\n", result.Stdout);
        Assert.Contains("no request was sent", result.Stdout);
        Assert.DoesNotContain("callbacks:", result.Stdout);
        Assert.Matches(@"log:\n  \[Error\] proxy-wasm: add_header: plugin configuration rejected at \$\.value .*\n", result.Stdout);
        Assert.Equal(["proxywasm: the plugin was rejected: proxy_on_configure returned false (see the log)"], result.ErrorLines);
    }

    [Fact]
    public void A_rejected_configuration_in_json_says_so_and_exits_1()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("SharedQueue"), "--root-id", "receiver", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("plugin").GetProperty("configure").GetBoolean());
        Assert.False(root.GetProperty("plugin").GetProperty("accepted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("response").ValueKind);
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        JsonElement log = Assert.Single(root.GetProperty("logs").EnumerateArray());
        Assert.Equal("Critical", log.GetProperty("level").GetString());
        Assert.StartsWith("failed to get plugin config: ", log.GetProperty("message").GetString());
    }

    [Fact]
    public void Root_id_selects_one_filter_of_a_multi_filter_module_and_plugin_logs_are_shown()
    {
        CliResult result = CliRun.Invoke("run", Repo.Sample("SharedQueue"), "--root-id", "sender", "--config", "http");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("module SharedQueue, root id \"sender\"\n", result.Stdout);
        Assert.Contains("  [Info] contextID=1 is configured for http\n", result.Stdout);
        Assert.Contains("  [Critical] error resolving queue id: error status returned by host: not found\n", result.Stdout);
    }

    [Fact]
    public void Vm_and_plugin_configuration_reach_proxy_on_vm_start_and_proxy_on_configure()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "vm from a file");
            CliResult result = CliRun.Invoke("run", Repo.Sample("VmPluginConfiguration"), "--vm-config-file", file, "--config", "plugin text");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("plugin started: vm_start=true, configure=true\n", result.Stdout);
            Assert.Contains("""
                log:
                  [Info] vm config: vm from a file
                  [Info] plugin config: plugin text

                """, result.Stdout);

            result = CliRun.Invoke("run", Repo.Sample("VmPluginConfiguration"), "--vm-config", "vm text");
            Assert.Contains("  [Info] vm config: vm text\n", result.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
