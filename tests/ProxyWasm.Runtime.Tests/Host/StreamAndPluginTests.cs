using System;
using System.Linq;
using System.Text;
using ProxyWasm.Generated;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Host;

/// <summary>HttpStream, Properties, Plugin, body buffers and the hook failure policy against the fake host.</summary>
public class StreamAndPluginTests : HostTest
{
    private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    // ---- HttpStream.SendLocalResponse ----

    [Fact]
    public void SendLocalResponse_PassesEverythingToTheHost()
    {
        Span<byte> headers = stackalloc byte[64];
        var writer = new PairsWriter(headers, 1);
        writer.Add("content-type"u8, "text/plain"u8);
        byte[] serialized = writer.WrittenSpan.ToArray();

        InCallback(() => Assert.Equal(
            ProxyStatus.Ok,
            new HttpStream(1).SendLocalResponse(403, "denied"u8, serialized, "blocked_by_policy"u8, GrpcStatus.PermissionDenied)));

        (uint status, byte[] details, byte[] body, byte[] sentHeaders, int grpc) = Assert.Single(Host.LocalResponses);
        Assert.Equal(403u, status);
        Assert.Equal("blocked_by_policy", Text(details));
        Assert.Equal("denied", Text(body));
        Assert.Equal(serialized, sentHeaders);
        Assert.Equal(7, grpc);
    }

    [Fact]
    public void SendLocalResponse_Defaults_AreNoHeadersNoDetailsAndNoGrpcStatus()
    {
        InCallback(() => Assert.Equal(ProxyStatus.Ok, new HttpStream(1).SendLocalResponse(204, default)));
        (uint status, byte[] details, byte[] body, byte[] headers, int grpc) = Assert.Single(Host.LocalResponses);
        Assert.Equal(204u, status);
        Assert.Empty(details);
        Assert.Empty(body);
        Assert.Empty(headers);
        Assert.Equal(-1, grpc);
    }

    public static TheoryData<byte[]> MalformedHeaders => new()
    {
        new byte[] { 1, 0, 0 },
        new byte[] { 1, 0, 0, 0 },
        new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', (byte)'!' },
        new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', 0, 0 },
        new byte[] { 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', 0 },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void SendLocalResponse_WithMalformedHeaders_IsBadArgument_WithoutCallingTheHost(byte[] malformed)
    {
        InCallback(() => Assert.Equal(ProxyStatus.BadArgument, new HttpStream(1).SendLocalResponse(500, "x"u8, malformed)));
        Assert.Empty(Host.LocalResponses);
        Assert.DoesNotContain("proxy_send_local_response", Host.Calls);
    }

    [Fact]
    public void HttpStream_KeepsItsContextId()
    {
        Assert.Equal(42u, new HttpStream(42).ContextId);
        Assert.Equal("proxy_wasm_filter_exception", Encoding.ASCII.GetString(HttpStream.FilterExceptionDetails));
    }

    // ---- HttpStream from another context ----

    [Fact]
    public void MakeEffective_SetsTheStreamAsTheEffectiveContext()
    {
        InCallback(() => Assert.Equal(ProxyStatus.Ok, new HttpStream(9).MakeEffective()));
        Assert.Equal(new[] { 9u }, Host.EffectiveContexts);
        Assert.Equal(new[] { "proxy_set_effective_context" }, Host.Calls);
    }

    [Fact]
    public void ResumeRequestFromPlugin_MakesTheStreamEffective_ThenContinuesItsRequest()
    {
        InCallback(() => Assert.Equal(ProxyStatus.Ok, new HttpStream(5).ResumeRequestFromPlugin()));
        Assert.Equal(new[] { "proxy_set_effective_context", "proxy_continue_stream" }, Host.Calls);
        Assert.Equal(new[] { 5u }, Host.EffectiveContexts);
        Assert.Equal(new[] { StreamType.HttpRequest }, Host.ContinuedStreams);
    }

    [Fact]
    public void ResumeRequestFromPlugin_ForAContextTheHostDoesNotKnow_DoesNotContinueTheRunningOne()
    {
        Host.ForcedStatus["proxy_set_effective_context"] = ProxyStatus.BadArgument;
        InCallback(() => Assert.Equal(ProxyStatus.BadArgument, new HttpStream(5).ResumeRequestFromPlugin()));
        Assert.Equal(new[] { "proxy_set_effective_context" }, Host.Calls);
        Assert.Empty(Host.ContinuedStreams);
    }

    [Fact]
    public void ResumeRequestFromPlugin_ReturnsTheContinueStatus()
    {
        Host.ForcedStatus["proxy_continue_stream"] = ProxyStatus.Unimplemented;
        InCallback(() => Assert.Equal(ProxyStatus.Unimplemented, new HttpStream(5).ResumeRequestFromPlugin()));
        Assert.Equal(new[] { "proxy_set_effective_context", "proxy_continue_stream" }, Host.Calls);
    }

    // ---- HostClock and the running context ----

    [Fact]
    public void HostClock_ReadsTheHostsNanoseconds_OrZeroOnAnError()
    {
        Host.TimeNanoseconds = 1_738_152_000_123_456_789UL;
        InCallback(() => Assert.Equal(1_738_152_000_123_456_789UL, HostClock.UnixTimeNanoseconds()));
        Host.ForcedStatus["proxy_get_current_time_nanoseconds"] = ProxyStatus.InvalidMemoryAccess;
        InCallback(() => Assert.Equal(0UL, HostClock.UnixTimeNanoseconds()));
        Assert.Equal(new[] { "proxy_get_current_time_nanoseconds", "proxy_get_current_time_nanoseconds" }, Host.Calls);
    }

    [Fact]
    public void Plugin_CurrentContextId_IsTheContextTheExportEntered_WithoutAHostCall()
    {
        uint previous = Callouts.ActiveContextId;
        try
        {
            Callouts.Enter(3);
            Assert.Equal(3u, Plugin.CurrentContextId);
            Callouts.Enter(12);
            Assert.Equal(12u, Plugin.CurrentContextId);

            // Making a stream effective does not change it.
            InCallback(() => new HttpStream(40).MakeEffective());
            Assert.Equal(12u, Plugin.CurrentContextId);
            Assert.Equal(new[] { "proxy_set_effective_context" }, Host.Calls);
        }
        finally
        {
            Callouts.Enter(previous);
        }
    }

    // ---- Properties ----

    [Fact]
    public void Properties_TryGet_JoinsSegmentsWithNul()
    {
        Host.Properties[FakeHost.Key("request\0path"u8)] = "/index.html"u8.ToArray();
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.TryGet("request"u8, "path"u8, out ReadOnlySpan<byte> value));
            Assert.Equal("/index.html", Encoding.ASCII.GetString(value));
        });

        byte[] path = Assert.Single(Host.PropertyPaths);
        Assert.Equal(new byte[] { (byte)'r', (byte)'e', (byte)'q', (byte)'u', (byte)'e', (byte)'s', (byte)'t', 0, (byte)'p', (byte)'a', (byte)'t', (byte)'h' }, path);
    }

    [Fact]
    public void Properties_TryGet_SinglePathAndNotFound()
    {
        Host.Properties["plugin_name"] = "demo"u8.ToArray();
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.TryGet("plugin_name"u8, out ReadOnlySpan<byte> name));
            Assert.Equal("demo", Encoding.ASCII.GetString(name));
            Assert.Equal(ProxyStatus.NotFound, Properties.TryGet("source"u8, "address"u8, out ReadOnlySpan<byte> missing));
            Assert.True(missing.IsEmpty);
        });

        Assert.Equal("source\0address", Text(Host.PropertyPaths[1]));
    }

    [Fact]
    public void Properties_TryGet_PathOver1KiB_IsBadArgument_WithoutCallingTheHost()
    {
        byte[] first = Enumerable.Repeat((byte)'a', 600).ToArray();
        byte[] second = Enumerable.Repeat((byte)'b', 424).ToArray();
        InCallback(() =>
        {
            // 600 + 1 + 424 = 1025 bytes.
            Assert.Equal(ProxyStatus.BadArgument, Properties.TryGet(first, second, out ReadOnlySpan<byte> value));
            Assert.True(value.IsEmpty);
            Assert.Empty(Host.PropertyPaths);

            // 600 + 1 + 423 = 1024 bytes is accepted.
            Assert.Equal(ProxyStatus.NotFound, Properties.TryGet(first, second.AsSpan(1), out _));
        });

        Assert.Equal(1024, Assert.Single(Host.PropertyPaths).Length);
    }

    [Fact]
    public void Properties_Set_PassesPathAndValue()
    {
        InCallback(() => Assert.Equal(ProxyStatus.Ok, Properties.Set("filter_state\0x"u8, "v"u8)));
        Assert.Equal("v"u8.ToArray(), Host.Properties[FakeHost.Key("filter_state\0x"u8)]);
    }

    [Fact]
    public void RootIds_Current_ReadsPluginRootId()
    {
        Host.Properties["plugin_root_id"] = "my_root"u8.ToArray();
        InCallback(() => Assert.Equal("my_root", Encoding.ASCII.GetString(RootIds.Current())));
        Host.Properties.Clear();
        InCallback(() => Assert.True(RootIds.Current().IsEmpty));
    }

    // ---- Plugin ----

    [Fact]
    public void Plugin_GetConfiguration_ReadsBufferType7()
    {
        Host.Buffers[BufferType.PluginConfiguration] = "{\"limit\":5}"u8.ToArray();
        Host.Buffers[BufferType.VmConfiguration] = "vm"u8.ToArray();
        InCallback(() => Assert.Equal("{\"limit\":5}", Encoding.UTF8.GetString(Plugin.GetConfiguration())));

        (BufferType type, nuint start, nuint maxSize) = Assert.Single(Host.GetBufferBytesCalls);
        Assert.Equal(7, (int)type);
        Assert.Equal(0u, (uint)start);
        Assert.Equal((nuint)int.MaxValue, maxSize);
    }

    [Fact]
    public void Plugin_GetVmConfiguration_ReadsBufferType6()
    {
        Host.Buffers[BufferType.VmConfiguration] = "vm-config"u8.ToArray();
        InCallback(() => Assert.Equal("vm-config", Encoding.UTF8.GetString(Plugin.GetVmConfiguration())));
        Assert.Equal(6, (int)Assert.Single(Host.GetBufferBytesCalls).Type);
    }

    [Fact]
    public void Plugin_GetConfiguration_IsEmptyWhenTheHostHasNone()
    {
        InCallback(() => Assert.True(Plugin.GetConfiguration().IsEmpty));
        Host.Buffers[BufferType.PluginConfiguration] = [];
        InCallback(() => Assert.True(Plugin.GetConfiguration().IsEmpty));
    }

    // ---- Body buffers ----

    [Fact]
    public void Body_Replace_PassesStart0AndTheBufferedSize()
    {
        Host.Buffers[BufferType.HttpRequestBody] = "hello world"u8.ToArray();
        InCallback(() => Assert.Equal(ProxyStatus.Ok, new RequestBody().Replace("HI"u8)));

        (BufferType type, nuint start, nuint size, byte[] bytes) = Assert.Single(Host.SetBufferCalls);
        Assert.Equal((BufferType.HttpRequestBody, 0u, 11u, "HI"), (type, (uint)start, (uint)size, Text(bytes)));
        Assert.Equal("HI", Text(Host.Buffers[BufferType.HttpRequestBody]));
    }

    [Fact]
    public void Body_Append_PassesTheBufferedSizeAndSize0()
    {
        Host.Buffers[BufferType.HttpResponseBody] = "hello"u8.ToArray();
        InCallback(() => Assert.Equal(ProxyStatus.Ok, new ResponseBody().Append(" world"u8)));

        (BufferType type, nuint start, nuint size, byte[] bytes) = Assert.Single(Host.SetBufferCalls);
        Assert.Equal((BufferType.HttpResponseBody, 5u, 0u, " world"), (type, (uint)start, (uint)size, Text(bytes)));
        Assert.Equal("hello world", Text(Host.Buffers[BufferType.HttpResponseBody]));
    }

    [Fact]
    public void Body_Prepend_PassesStart0Size0()
    {
        Host.Buffers[BufferType.HttpRequestBody] = "world"u8.ToArray();
        InCallback(() => Assert.Equal(ProxyStatus.Ok, new RequestBody().Prepend("hello "u8)));

        (BufferType type, nuint start, nuint size, byte[] bytes) = Assert.Single(Host.SetBufferCalls);
        Assert.Equal((BufferType.HttpRequestBody, 0u, 0u, "hello "), (type, (uint)start, (uint)size, Text(bytes)));
        Assert.Equal("hello world", Text(Host.Buffers[BufferType.HttpRequestBody]));
    }

    [Fact]
    public void Body_GetBytesAndGetSize()
    {
        Host.Buffers[BufferType.HttpResponseBody] = "0123456789"u8.ToArray();
        InCallback(() =>
        {
            Assert.Equal(10, new ResponseBody().GetSize());
            Assert.Equal("0123456789", Encoding.ASCII.GetString(new ResponseBody().GetBytes()));
            Assert.Equal("345", Encoding.ASCII.GetString(new ResponseBody().GetBytes(3, 3)));
            Assert.Equal(2, HostMemory.LiveBlocks);

            // Negative arguments never reach the host.
            Assert.True(new ResponseBody().GetBytes(-1).IsEmpty);
            Assert.True(new ResponseBody().GetBytes(0, -1).IsEmpty);

            // Absent buffer: size 0, no bytes.
            Assert.Equal(0, new RequestBody().GetSize());
            Assert.True(new RequestBody().GetBytes().IsEmpty);
        });

        Assert.Equal(
            new[] { (BufferType.HttpResponseBody, 0u, (uint)int.MaxValue), (BufferType.HttpResponseBody, 3u, 3u), (BufferType.HttpRequestBody, 0u, (uint)int.MaxValue) },
            Host.GetBufferBytesCalls.Select(c => (c.Type, (uint)c.Start, (uint)c.MaxSize)));
    }

    // ---- HookFailures ----

    private static Exception Thrown()
    {
        try
        {
            throw new InvalidOperationException("boom in hook");
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }
    }

    [Fact]
    public void FailStream_FailClosed_LogsCritical_AndSendsALocal500()
    {
        FilterHeadersStatus result = FilterHeadersStatus.Continue;
        InCallback(() => result = HookFailures.FailStream(Thrown(), "Demo.OnRequestHeaders"u8, FailurePolicy.FailClosed, FilterHeadersStatus.StopAllIterationAndWatermark));

        Assert.Equal(FilterHeadersStatus.StopAllIterationAndWatermark, result);
        (LogLevel level, _) = Assert.Single(Host.Logs);
        Assert.Equal(LogLevel.Critical, level);
        string line = Host.LogText(0);
        Assert.StartsWith("proxy-wasm: Demo.OnRequestHeaders threw System.InvalidOperationException: boom in hook\n", line);
        Assert.Contains(nameof(Thrown), line);

        (uint status, byte[] details, byte[] body, byte[] headers, int grpc) = Assert.Single(Host.LocalResponses);
        Assert.Equal(500u, status);
        Assert.Equal("proxy_wasm_filter_exception", Text(details));
        Assert.Empty(body);
        Assert.Empty(headers);
        Assert.Equal(-1, grpc);

        // The log line comes before the response.
        Assert.True(Host.Calls.IndexOf("proxy_log") < Host.Calls.IndexOf("proxy_send_local_response"));
    }

    [Fact]
    public void FailStream_FailClosed_ReturnsTheGivenStopStatus()
    {
        FilterDataStatus result = FilterDataStatus.Continue;
        InCallback(() => result = HookFailures.FailStream(Thrown(), "X.OnResponseBody"u8, FailurePolicy.FailClosed, FilterDataStatus.StopIterationNoBuffer));
        Assert.Equal(FilterDataStatus.StopIterationNoBuffer, result);
    }

    [Fact]
    public void FailStream_FailOpen_LogsCritical_AndContinuesWithoutALocalResponse()
    {
        FilterHeadersStatus result = FilterHeadersStatus.StopIteration;
        InCallback(() => result = HookFailures.FailStream(Thrown(), "Demo.OnResponseHeaders"u8, FailurePolicy.FailOpen, FilterHeadersStatus.StopIteration));

        Assert.Equal(FilterHeadersStatus.Continue, result);
        Assert.Empty(Host.LocalResponses);
        Assert.DoesNotContain("proxy_send_local_response", Host.Calls);
        (LogLevel level, _) = Assert.Single(Host.Logs);
        Assert.Equal(LogLevel.Critical, level);
        Assert.Contains("Demo.OnResponseHeaders", Host.LogText(0));
    }

    [Fact]
    public void Report_OfAnExceptionThatWasNeverThrown_HasAnEmptyStackTrace()
    {
        InCallback(() => HookFailures.Report(new ArgumentException("bad"), "H"u8));
        Assert.Equal("proxy-wasm: H threw System.ArgumentException: bad\n", Host.LogText(0));
    }

    [Fact]
    public void Report_OfALongMessage_IsWrittenWhole()
    {
        string message = new('m', 3000);
        InCallback(() => HookFailures.Report(new Exception(message), "Hook"u8));
        Assert.Contains(message, Host.LogText(0));
    }
}
