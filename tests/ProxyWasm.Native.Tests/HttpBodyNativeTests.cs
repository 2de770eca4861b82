using System.Collections.Generic;
using System.Linq;
using System.Text;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The HttpBody sample's native module in the C host, with the response body in chunks (input <c>response_body</c>):
/// content-length removed, each chunk before the last paused so the host buffers it, the whole buffer redacted at the
/// end when it contains <c>secret</c> (proxy_set_buffer_bytes), otherwise sent unchanged (the in-process counterpart:
/// tests/ProxyWasm.Samples.Tests/HttpBodyTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class HttpBodyNativeTests(NativeBuild build)
{
    private const uint Stream = 2;
    private const string Secret = "This secret message should not be read by anyone.\n";
    private const string Public = "Everyone may read this message.\n";

    private static readonly List<(string Name, string Value)> Request = [(":authority", "localhost:10000"), (":path", "/secret"), (":method", "GET")];

    private static List<(string Name, string Value)> Response(int length) =>
        [(":status", "200"), ("content-length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("content-type", "text/plain")];

    private static List<byte[]> Chunks(string text, params int[] cuts)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int[] bounds = [0, .. cuts, bytes.Length];
        return bounds.Zip(bounds.Skip(1)).Select(b => bytes[b.First..b.Second]).ToList();
    }

    private static IReadOnlyList<(string Arguments, string Result)> BodyCalls(HostRun run) =>
        run.Calls().Where(c => c.Callback == "proxy_on_response_body").Select(c => (c.Arguments, c.Result)).ToList();

    private static string DownstreamData(HostRun run) => string.Concat(run.OfKind("downstream_data").Select(r => r.Fields[1]));

    [SkippableFact]
    public void A_secret_body_in_chunks_is_buffered_then_redacted_whole_and_content_length_removed()
    {
        HostRun run = Run(new HostInput { RootId = "http_body", RequestHeaders = Request, ResponseHeaders = Response(50), ResponseBody = Chunks(Secret, 7, 20) });

        Assert.All(run.HostCalls(), call => Assert.True(call.Status == 0, $"{call.Function} returned {call.Status}.\n{run.Dump()}"));
        Assert.Contains(("proxy_set_buffer_bytes", 0), run.HostCalls());
        Assert.Equal(("2,3,0", "0"), run.Calls().Where(c => c.Callback == "proxy_on_response_headers").Select(c => (c.Arguments, c.Result)).Single());
        Assert.Equal([("2,7,0", "1"), ("2,20,0", "1"), ("2,50,1", "0")], BodyCalls(run));
        Assert.Equal([(":status", "200"), ("content-type", "text/plain")], run.Downstream(Stream));
        Assert.Equal(["2", "Original message body (50 bytes) redacted.\n"], Assert.Single(run.OfKind("downstream_data")).Fields);
        Assert.Empty(run.Logs());
        Assert.Empty(run.OfKind("response_stopped"));
    }

    [SkippableFact]
    public void A_public_body_in_chunks_with_an_empty_last_one_goes_downstream_unchanged()
    {
        HostRun run = Run(new HostInput { RootId = "http_body", RequestHeaders = Request, ResponseHeaders = Response(32), ResponseBody = [.. Chunks(Public, 10), []] });

        Assert.Equal([("2,10,0", "1"), ("2,32,0", "1"), ("2,32,1", "0")], BodyCalls(run));
        Assert.Equal(Public, DownstreamData(run));
        Assert.Single(run.OfKind("downstream_data"));
        Assert.DoesNotContain(run.HostCalls(), c => c.Function == "proxy_set_buffer_bytes");
        Assert.Equal([(":status", "200"), ("content-type", "text/plain")], run.Downstream(Stream));
    }

    [SkippableFact]
    public void Secret_across_a_chunk_boundary_in_one_shot_and_in_bytes_not_characters()
    {
        const string text = "top sec" + "ret für dich\n";
        HostRun run = Run(new HostInput { RootId = "http_body", RequestHeaders = Request, ResponseHeaders = Response(1), ResponseBody = Chunks(text, 7) });

        int bytes = Encoding.UTF8.GetByteCount(text);
        Assert.Equal($"Original message body ({bytes} bytes) redacted.\n", DownstreamData(run));

        run = Run(new HostInput { RootId = "http_body", RequestHeaders = Request, ResponseHeaders = Response(50), ResponseBody = [Encoding.UTF8.GetBytes(Secret)] });
        Assert.Equal([("2,50,1", "0")], BodyCalls(run));
        Assert.Equal("Original message body (50 bytes) redacted.\n", DownstreamData(run));
    }

    [SkippableFact]
    public void A_body_that_is_not_UTF8_is_sent_unchanged_with_a_warning()
    {
        byte[] invalid = [.. "a secret "u8, 0xC3, 0x28, .. "end\n"u8];
        HostRun run = Run(new HostInput { RootId = "http_body", RequestHeaders = Request, ResponseHeaders = Response(invalid.Length), ResponseBody = [invalid[..4], invalid[4..]] });

        Assert.Equal([("2,4,0", "1"), ($"2,{invalid.Length},1", "0")], BodyCalls(run));
        Assert.Equal(Encoding.UTF8.GetString(invalid), DownstreamData(run));
        Assert.Equal([(Stream, 3, "http_body: the response body is not valid UTF-8, left unchanged")], run.Logs());
        Assert.DoesNotContain(run.HostCalls(), c => c.Function == "proxy_set_buffer_bytes");
    }

    [SkippableFact]
    public void Without_a_body_only_content_length_goes()
    {
        HostRun run = Run(new HostInput { RootId = "http_body", RequestHeaders = Request, ResponseHeaders = [(":status", "204"), ("content-length", "0"), ("content-length", "0"), ("x-keep", "1")] });

        Assert.Equal("2,4,1", run.Calls().Single(c => c.Callback == "proxy_on_response_headers").Arguments);
        Assert.Equal([(":status", "204"), ("x-keep", "1")], run.Downstream(Stream));
        Assert.Empty(BodyCalls(run));
        Assert.Empty(run.OfKind("downstream_data"));
        Assert.Equal(Request, run.Upstream(Stream));
    }

    private HostRun Run(HostInput input) => HostRun.Execute(build, build.Published("HttpBody").Library, input);
}
