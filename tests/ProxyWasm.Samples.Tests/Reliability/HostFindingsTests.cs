using System.Text;
using ProxyWasm.Samples.Tests.TestFilters;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests.Reliability;

/// <summary>Issue 13's findings 1-3 (a refused local response, context id reuse, a plugin deleted before its streams),
/// each reproduced in a few host calls, in process.</summary>
public sealed class HostFindingsTests
{
    private static ProxyWasmHost Host(System.Reflection.Assembly module, string rootId, string configuration = "") => new(
        module,
        new HostOptions { RootId = rootId, PluginConfiguration = Encoding.UTF8.GetBytes(configuration) });

    // ---- Finding 1: a refused local response never leaves the stream paused ----

    [Fact]
    public void Refused_local_response_resets_a_fail_closed_stream_instead_of_pausing_it_forever()
    {
        using ProxyWasmHost host = Host(typeof(HeaderAuthorization).Assembly, "header_authorization");
        host.StartPlugin();
        host.Faults = FaultPlan.RefusingLocalResponses();
        HttpStreamContext stream = host.CreateHttpStream();

        FilterHeadersStatus status = stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);

        Assert.Null(stream.LocalResponse);
        // Paused with no local response and no resume would hang the request: the stream must be reset instead.
        Assert.True(stream.Closed || (status == FilterHeadersStatus.Continue), $"status {status}, closed {stream.Closed}: the stream is paused with no way out");
        Assert.True(stream.Closed);
        Assert.Contains(host.Logs, l => l.Level == LogLevel.Error && l.Message.Contains("local response 403 was refused", StringComparison.Ordinal));
        stream.Complete();
        Assert.Equal(0, HostMemory.LiveBlocks);

        // The next request, with a well-behaved host again, is answered as usual.
        host.Faults = null;
        Assert.Equal(403u, host.Send(Requests.Get(Requests.Curl())).LocalResponse?.StatusCode);
    }

    [Fact]
    public void Refused_500_of_a_throwing_hook_resets_the_stream()
    {
        using ProxyWasmHost host = Host(typeof(HostFindingsTests).Assembly, "throwing");
        host.StartPlugin();
        host.Faults = FaultPlan.RefusingLocalResponses();
        HttpStreamContext stream = host.CreateHttpStream();
        HeaderList headers = Requests.Curl();
        headers.Add("boom", "1");

        stream.OnRequestHeaders(headers, endOfStream: true);

        Assert.True(stream.Closed);
        Assert.Null(stream.LocalResponse);
    }

    // ---- Finding 2: a live context id is never replaced ----

    [Fact]
    public void Stream_created_with_its_roots_id_is_refused_and_later_streams_are_still_filtered()
    {
        // AddHeader keeps a context table (its filter has a configuration); HeaderAuthorization's streams are untracked
        // (issue 12: no context table, no proxy_on_context_create), so no id can overwrite a plugin's entry there.
        using ProxyWasmHost host = Host(typeof(AddHeader).Assembly, "add_header");
        host.StartPlugin();

        host.CallExport("proxy_on_context_create", host.RootContextId, host.RootContextId);

        Assert.Contains(host.Logs, l => l.Level == LogLevel.Error && l.Message.Contains("refused", StringComparison.Ordinal));
        HttpExchange later = host.Send(Requests.Get(Requests.Curl()));
        Assert.Equal("world!", later.Response!.Headers.Get("hello"));
    }

    [Fact]
    public void Reused_live_stream_id_keeps_the_streams_state()
    {
        using ProxyWasmHost host = Host(typeof(HostFindingsTests).Assembly, "lifecycle");
        host.StartPlugin();
        HttpStreamContext stream = host.CreateHttpStream();
        Assert.Equal(FilterHeadersStatus.Continue, stream.OnRequestHeaders(Requests.Curl(), endOfStream: false));
        Assert.Equal(FilterDataStatus.StopIterationAndBuffer, stream.OnRequestBody("ab"u8.ToArray(), endOfStream: false));

        // A buggy host creates the live id again (before the fix: a new slot, the old one leaked, the state lost).
        host.CallExport("proxy_on_context_create", stream.ContextId, host.RootContextId);
        host.CallExport("proxy_on_context_create", host.RootContextId, 0);

        Assert.Equal(FilterDataStatus.Continue, stream.OnRequestBody("cd"u8.ToArray(), endOfStream: true));
        Assert.Equal("2/4", stream.RequestHeaders!.Get("x-chunks"));
        Assert.Equal(2, host.Logs.Count(l => l.Level == LogLevel.Error && l.Message.Contains("already live", StringComparison.Ordinal)));
        stream.Complete();
    }

    // ---- Finding 3: a plugin deleted before its streams ----

    [Fact]
    public void Stream_whose_plugin_was_deleted_gets_the_failure_policy_with_a_log_line_not_a_NullReferenceException()
    {
        using ProxyWasmHost host = Host(typeof(HostFindingsTests).Assembly, "lifecycle");
        host.StartPlugin();
        PluginContext doomed = host.AddPlugin(new PluginOptions { RootId = "lifecycle" });
        doomed.Start();
        HttpStreamContext stream = doomed.CreateHttpStream();
        host.DeletePlugin(doomed);

        stream.OnRequestHeaders(Requests.Curl(), endOfStream: true);

        Assert.Equal(500u, stream.LocalResponse?.StatusCode);
        Assert.DoesNotContain(host.Logs, l => l.Message.Contains("NullReferenceException", StringComparison.Ordinal));
        Assert.Single(host.Logs, l => l.Level == LogLevel.Error && l.Message.Contains("whose plugin (root context) was deleted", StringComparison.Ordinal));
        stream.Complete();
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void Orphaned_stream_never_sees_the_plugin_that_took_the_freed_slot()
    {
        using ProxyWasmHost host = Host(typeof(HostFindingsTests).Assembly, "lifecycle");
        host.StartPlugin();
        PluginContext doomed = host.AddPlugin(new PluginOptions { RootId = "lifecycle" });
        doomed.Start();
        HttpStreamContext orphan = doomed.CreateHttpStream();
        host.DeletePlugin(doomed);
        PluginContext successor = host.AddPlugin(new PluginOptions { RootId = "lifecycle" });
        successor.Start();
        LifecyclePlugin successorState = LifecyclePlugin.Last!;

        orphan.OnRequestHeaders(Requests.Curl(), endOfStream: true);
        orphan.Complete();

        Assert.NotEqual(orphan.ContextId, successorState.LastStream);
        Assert.Equal(0, successorState.Done);
        Assert.Equal(500u, orphan.LocalResponse?.StatusCode);

        // The successor's own streams are served by it.
        HttpExchange own = successor.Send(Requests.Get(Requests.Curl()));
        Assert.NotNull(own.Upstream);
        Assert.Equal(1, successorState.Done);
    }
}
