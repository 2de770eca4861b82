using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// The dynamic symbol table of each published &lt;Name&gt;.so is the module's ABI: it exports exactly the marker, the
/// allocator and the callbacks the generator emitted for the filter, and it needs only v0.2.1 host functions.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class SymbolTableTests(NativeBuild build)
{
    private const string AbiMarker = "proxy_abi_version_0_2_1";
    private const string Allocator = "proxy_on_memory_allocate";

    /// <summary>Context lifecycle callbacks a generated module exports next to the filter's own hooks when it tracks
    /// contexts. proxy_on_done and proxy_on_log are exported only for [OnStreamDone] and [OnLog] hooks (cpp-host's default
    /// without them: done, no log).</summary>
    private static readonly HashSet<string> Lifecycle = ["proxy_on_context_create", "proxy_on_delete"];

    /// <summary>The hook callbacks each sample uses, read off its source: its [On…] methods.</summary>
    private static readonly Dictionary<string, string[]> SampleHooks = new()
    {
        ["HelloWorld"] = ["proxy_on_request_headers"],
        ["HeaderAuthorization"] = ["proxy_on_request_headers"],
        ["AddHeader"] = ["proxy_on_configure", "proxy_on_response_headers"],
        ["ResponseHeader"] = ["proxy_on_response_headers"],
        ["HttpAuthRandom"] = ["proxy_on_request_headers", "proxy_on_response_headers", "proxy_on_http_call_response"],
        ["GrpcAuthRandom"] = ["proxy_on_request_headers", "proxy_on_response_headers", "proxy_on_grpc_receive", "proxy_on_grpc_close"],
        ["DispatchCallOnTick"] = ["proxy_on_configure", "proxy_on_tick", "proxy_on_http_call_response"],
        ["MultipleDispatches"] = ["proxy_on_response_headers", "proxy_on_http_call_response"],
        ["PostponeRequests"] = ["proxy_on_request_headers", "proxy_on_configure", "proxy_on_tick"],
        ["HttpHeaders"] = ["proxy_on_request_headers", "proxy_on_response_headers", "proxy_on_log"],
        ["HttpBody"] = ["proxy_on_response_headers", "proxy_on_response_body"],
        ["HttpConfig"] = ["proxy_on_configure", "proxy_on_response_headers"],
        ["PluginTick"] = ["proxy_on_vm_start", "proxy_on_tick"],
        ["SharedData"] = ["proxy_on_vm_start", "proxy_on_request_headers"],
        ["Metrics"] = ["proxy_on_request_headers"],
        ["HttpRouting"] = ["proxy_on_configure", "proxy_on_request_headers"],
        ["VmPluginConfiguration"] = ["proxy_on_vm_start", "proxy_on_configure"],
        ["JsonValidation"] = ["proxy_on_configure", "proxy_on_request_headers", "proxy_on_request_body"],
        ["ForeignCallOnTick"] = ["proxy_on_configure", "proxy_on_tick"],
        ["Network"] = ["proxy_on_configure", "proxy_on_new_connection", "proxy_on_downstream_data", "proxy_on_downstream_connection_close", "proxy_on_upstream_data", "proxy_on_log"],
        ["Properties"] = ["proxy_on_request_headers", "proxy_on_log"],
        ["SharedQueue"] = ["proxy_on_configure", "proxy_on_queue_ready", "proxy_on_request_headers", "proxy_on_response_headers", "proxy_on_new_connection", "proxy_on_upstream_data"],
        ["ConfiguredHeaders"] = ["proxy_on_configure", "proxy_on_request_headers", "proxy_on_response_headers"],
    };

    public static IEnumerable<object[]> Samples() => Repo.SampleNames();

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Exports_exactly_the_abi_marker_the_allocator_and_the_generated_callbacks(string sample)
    {
        PublishedSample published = build.Published(sample);
        IReadOnlyList<Symbol> exported = Symbols.DynamicDefined(published.Library);

        // What the generator emitted: every [UnmanagedCallersOnly(EntryPoint = "...")] in the glue of this build.
        var generated = published.GeneratedSources
            .SelectMany(path => Regex.Matches(File.ReadAllText(path), @"UnmanagedCallersOnly\(EntryPoint\s*=\s*""([^""]+)""\)"))
            .Select(match => match.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains(AbiMarker, generated);
        // The allocator is the native one the build links (NativeAllocatorTests), not generated.
        Assert.DoesNotContain(Allocator, generated);

        var names = exported.Select(s => s.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(generated.Append(Allocator).OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));

        // All of them are functions (text), every callback is one of ABI v0.2.1, and nothing else leaks: no malloc
        // (proxy-wasm-cpp-host would prefer it to proxy_on_memory_allocate), no runtime symbol.
        Assert.All(exported, s => Assert.True(s.Type == 'T', $"{s.Name} is exported as type {s.Type}, not a function."));
        Assert.All(names.Where(n => n != AbiMarker), n => Assert.Contains(n, Repo.V021Callbacks));
        Assert.DoesNotContain("malloc", names);
        Assert.DoesNotContain("DotNetRuntimeDebugHeader", names);

        var hooks = names.Where(n => n != AbiMarker && n != Allocator && !Lifecycle.Contains(n)).ToHashSet(StringComparer.Ordinal);
        if (Repo.UntrackedSamples.Contains(sample))
        {
            Assert.DoesNotContain("proxy_on_context_create", names);
            Assert.DoesNotContain("proxy_on_delete", names);
        }
        else
        {
            Assert.Contains("proxy_on_context_create", names);
            Assert.Contains("proxy_on_delete", names);
        }

        if (SampleHooks.TryGetValue(sample, out string[]? expectedHooks))
        {
            Assert.Equal(expectedHooks.OrderBy(n => n, StringComparer.Ordinal), hooks.OrderBy(n => n, StringComparer.Ordinal));
        }
        else
        {
            Assert.NotEmpty(hooks);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Needs_only_v021_host_functions_from_its_loader(string sample)
    {
        PublishedSample published = build.Published(sample);
        IReadOnlySet<string> hostFunctions = Repo.HostFunctionNames();
        Assert.Equal(39, hostFunctions.Count);

        IReadOnlyList<Symbol> undefined = Symbols.DynamicUndefined(published.Library);
        var proxy = undefined.Where(s => s.Name.StartsWith("proxy_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(proxy);
        Assert.All(proxy, s =>
        {
            Assert.Contains(s.Name, hostFunctions);
            Assert.True(s.Type == 'U' && s.Version is null, $"{s.Name} should be a plain undefined symbol, is {s.Type}@{s.Version}.");
        });

        // Every other strong undefined symbol comes from a versioned system library (glibc): the only unversioned
        // imports are the host functions, so DirectPInvoke of "env" turned each host call into a direct C call.
        var strays = undefined.Where(s => s.Type == 'U' && s.Version is null && !s.Name.StartsWith("proxy_", StringComparison.Ordinal)).ToList();
        Assert.True(strays.Count == 0, "Unversioned undefined symbols besides proxy_*: " + string.Join(", ", strays.Select(s => s.Name)));
    }

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Runtime_debug_header_is_kept_in_the_image_but_not_exported(string sample)
    {
        PublishedSample published = build.Published(sample);

        // ILC was asked to export it, the version script given to the linker no longer lists it...
        Assert.Contains("--export-dynamic-symbol:DotNetRuntimeDebugHeader", File.ReadAllLines(published.IlcResponseFile));
        string[] script = File.ReadAllLines(published.ExportsFile);
        Assert.DoesNotContain(script, line => line.Contains("DotNetRuntimeDebugHeader", StringComparison.Ordinal));
        Assert.Contains(script, line => line.Trim() == AbiMarker + ";");

        // ...so it is a local symbol of the library, absent from the dynamic table.
        Assert.Contains(Symbols.All(published.DebugSymbols), s => s.Name == "DotNetRuntimeDebugHeader" && char.IsLower(s.Type));
        Assert.DoesNotContain(Symbols.DynamicDefined(published.Library), s => s.Name == "DotNetRuntimeDebugHeader");
    }

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Publishes_without_warnings_with_the_native_settings(string sample)
    {
        PublishedSample published = build.Published(sample);

        string output = published.Publish.StandardOutput + published.Publish.StandardError;
        var warnings = output.Split('\n').Where(line => Regex.IsMatch(line, @"\bwarning\b", RegexOptions.IgnoreCase)).ToList();
        Assert.True(warnings.Count == 0, "Publishing printed warnings:\n" + string.Join('\n', warnings));

        string[] ilc = File.ReadAllLines(published.IlcResponseFile);
        Assert.Contains("--warnaserror", ilc);
        Assert.Contains("--nativelib", ilc);
        Assert.Contains("--export-unmanaged-entrypoints", ilc);
        Assert.Contains("--directpinvoke:env", ilc);
        Assert.Contains("--feature:ProxyWasm.InProcessHost.IsSupported=false", ilc);
        Assert.Contains("--feature:System.Globalization.Invariant=true", ilc);
        Assert.Contains("--targetos:linux", ilc);

        // The generated glue compiled in this build without unsafe code in the sample.
        Assert.NotEqual("true", published.AllowUnsafeBlocks, StringComparer.OrdinalIgnoreCase);
    }
}
