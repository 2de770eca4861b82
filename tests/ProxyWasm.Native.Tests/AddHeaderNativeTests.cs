using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The AddHeader sample's typed configuration in the native module (System.Text.Json source generation under
/// NativeAOT): <c>{"value": ...}</c> JSON, the <c>world!</c> default for <c>{}</c>, plain text for anything that does not
/// start with <c>{</c> or <c>[</c>, and JSON of the wrong shape rejected at proxy_on_configure with one error line
/// (plain-text and empty configurations: NativeHostTests.AddHeader_*; in-process: OtherSampleTests.cs).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class AddHeaderNativeTests(NativeBuild build)
{
    private const uint Root = 1;
    private const uint Stream = 2;
    private const int Error = 4;

    [SkippableTheory]
    [InlineData("""{"value": "json"}""", "json")]
    [InlineData("""{"value": "h\u00e9llo"}""", "h\u00e9llo")]
    [InlineData("{}", "world!")]
    [InlineData("\"quoted\"", "\"quoted\"")]
    public void AddHeader_takes_json_or_plain_text(string configuration, string expected)
    {
        HostRun run = Run(configuration);

        Assert.Equal("1", run.Result(Root, "proxy_on_configure"));
        Assert.Equal([(":status", "200"), ("hello", expected)], run.Downstream(Stream));
        Assert.Empty(run.Logs());
    }

    [SkippableTheory]
    [InlineData("""{"value": 5}""", "rejected at $.value (line 1, byte 12): ")]
    [InlineData("""{"valu": "x"}""", "rejected at $.valu (line 1, byte 9): ")]
    [InlineData("""{"value": null}""", "rejected at $.value (line 1, byte 15): ")]
    public void AddHeader_rejects_json_of_the_wrong_shape_with_one_error_line(string configuration, string at)
    {
        HostRun run = Run(configuration);

        Assert.Equal("0", run.Result(Root, "proxy_on_configure"));
        Assert.Equal(["proxy_on_configure"], run.OfKind("plugin_rejected").Select(r => r.Fields[0]));
        (uint context, int level, string message) = Assert.Single(run.Logs());
        Assert.Equal((Root, Error), (context, level));
        Assert.True(message.StartsWith("proxy-wasm: add_header: plugin configuration " + at, System.StringComparison.Ordinal), message);
        Assert.Empty(run.CallbacksOn(Stream));
    }

    private HostRun Run(string configuration) => HostRun.Execute(build, build.Published("AddHeader").Library, new HostInput
    {
        RootId = "add_header",
        PluginConfiguration = configuration,
        RequestHeaders = [(":authority", "example.com")],
        ResponseHeaders = [(":status", "200")],
    });
}
