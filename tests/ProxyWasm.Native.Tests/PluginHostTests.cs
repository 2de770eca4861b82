using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The C host's several root contexts and foreign functions, probed by host/network_probe.c: each plugin started in
/// order with its own root id and configuration, streams and connections under the roots chosen for them,
/// plugin_root_id per root, proxy_call_foreign_function by name, and the host's calls of proxy_on_foreign_function
/// with buffer 8.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class PluginHostTests(NativeBuild build)
{
    [SkippableFact]
    public void Each_plugin_is_a_root_context_started_in_order_with_its_own_root_id_and_configuration()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "first",
            PluginConfiguration = "a",
            VmConfiguration = "vm",
            Plugins = [("second", "bb"), ("third", "")],
            Streams = 0,
        });

        Assert.Equal(
            [
                (1u, "proxy_on_context_create", "1,0"), (1u, "proxy_on_vm_start", "1,2"), (1u, "proxy_on_configure", "1,1"),
                (2u, "proxy_on_context_create", "2,0"), (2u, "proxy_on_vm_start", "2,2"), (2u, "proxy_on_configure", "2,2"),
                (3u, "proxy_on_context_create", "3,0"), (3u, "proxy_on_vm_start", "3,2"), (3u, "proxy_on_configure", "3,0"),
                (1u, "proxy_on_done", "1"), (1u, "proxy_on_delete", "1"),
                (2u, "proxy_on_done", "2"), (2u, "proxy_on_delete", "2"),
                (3u, "proxy_on_done", "3"), (3u, "proxy_on_delete", "3"),
            ],
            run.Calls().Select(c => (c.Context, c.Callback, c.Arguments)));
        Assert.Contains("configure 1: status 0 'a'", run.LogsOn(1));
        Assert.Contains("configure plugin_root_id: status 0 'first'", run.LogsOn(1));
        Assert.Contains("configure 2: status 0 'bb'", run.LogsOn(2));
        Assert.Contains("configure plugin_root_id: status 0 'second'", run.LogsOn(2));
        Assert.Contains("configure 3: status 0 ''", run.LogsOn(3)); // an empty configuration: Ok, no bytes
        Assert.Contains("configure plugin_root_id: status 0 'third'", run.LogsOn(3));
        Assert.Contains("configure plugin_vm_id: status 0 ''", run.LogsOn(1));
    }

    [SkippableFact]
    public void Streams_and_connections_belong_to_the_roots_chosen_for_them()
    {
        HostRun run = Run(new HostInput
        {
            RootId = "first",
            Plugins = [("second", "")],
            Streams = 3,
            StreamRoots = [2, 1],
            Connections = 2,
            ConnectionRoots = [2],
            ConnectionEvents = [ConnectionEvent.DownstreamClose(2)],
        });

        // Streams after the roots, then connections; a list shorter than the streams repeats its last entry.
        Assert.Equal(["3,2", "4,1", "5,1", "6,2", "7,2"],
            run.Calls().Where(c => c.Callback == "proxy_on_context_create" && c.Context > 2).Select(c => c.Arguments));
        Assert.Contains("request plugin_root_id: status 0 'second'", run.LogsOn(3));
        Assert.Contains("request plugin_root_id: status 0 'first'", run.LogsOn(4));
        Assert.Contains("connection plugin_root_id: status 0 'second'", run.LogsOn(6));

        // A stream can make its root the effective context, and plugin_root_id then answers for that root.
        Assert.Contains("effective root 2: status 0", run.LogsOn(2));
        Assert.Contains("effective plugin_root_id: status 0 'second'", run.LogsOn(2));
        Assert.Contains("effective back: status 0", run.LogsOn(3));
        Assert.Contains("effective root 1: status 0", run.LogsOn(1));
    }

    [SkippableTheory]
    [InlineData(null, "hello")]
    [InlineData("compressed", "compressed")]
    public void Foreign_functions_answer_by_name_and_other_names_are_not_found(string? fixedResult, string expected)
    {
        HostRun run = Run(new HostInput
        {
            PluginConfiguration = "foreign",
            ForeignFunctions = [("compress", fixedResult is null ? null : System.Text.Encoding.UTF8.GetBytes(fixedResult))],
            Streams = 0,
        });

        Assert.Contains($"configure foreign compress: status 0 '{expected}'", run.LogsOn(1));
        Assert.Contains("configure foreign missing: status 1 ''", run.LogsOn(1));
        Assert.Equal(["compress\thello", "missing\tx"], run.On("foreign_call", 1));
        Assert.Equal([("proxy_call_foreign_function", 0), ("proxy_call_foreign_function", 1)],
            run.HostCalls().Where(h => h.Function == "proxy_call_foreign_function"));
    }

    [SkippableFact]
    public void The_host_calls_proxy_on_foreign_function_with_the_arguments_in_buffer_8()
    {
        HostRun run = Run(new HostInput
        {
            Plugins = [("second", "")],
            ForeignFunctions = [("compress", null)],
            ForeignFunctionCalls = [(2, 7, "args"), (1, 0, "")],
            Streams = 1,
        });

        Assert.Equal([(2u, "2,7,4"), (1u, "1,0,0")],
            run.Calls().Where(c => c.Callback == "proxy_on_foreign_function").Select(c => (c.Context, c.Arguments)));
        Assert.Contains("arguments: status 0 size 4 'args'", run.LogsOn(2));
        Assert.Contains("configuration outside configure: status 1 size 0 ''", run.LogsOn(2));
        Assert.Contains("inside foreign compress: status 0 'again'", run.LogsOn(2));
        Assert.Contains("arguments: status 0 size 0 ''", run.LogsOn(1));

        // After the plugins started, before the first stream.
        var calls = run.Calls().ToList();
        Assert.True(calls.FindLastIndex(c => c.Callback == "proxy_on_configure") < calls.FindIndex(c => c.Callback == "proxy_on_foreign_function"), run.Dump());
        Assert.True(calls.FindLastIndex(c => c.Callback == "proxy_on_foreign_function") < calls.FindIndex(c => c.Context == 3), run.Dump());
    }

    [SkippableFact]
    public void Callout_answers_come_on_the_root_of_the_stream_that_made_the_call()
    {
        HostRun run = HostRun.Execute(build, build.CalloutProbe(), new HostInput { Plugins = [("second", "")], StreamRoots = [2] });

        Assert.Equal("3,2", run.Calls().Single(c => c.Callback == "proxy_on_context_create" && c.Context == 3).Arguments);
        Assert.Equal([(2u, "2,4,1,0,0"), (2u, "2,8,1,0,0")],
            run.Calls().Where(c => c.Callback == "proxy_on_http_call_response").Select(c => (c.Context, c.Arguments)));
        Assert.Contains((3u, 2, "effective stream: status 0"), run.Logs());
        Assert.Contains(("proxy_continue_stream", 0), run.HostCalls());
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.NetworkProbe(), input);
}
