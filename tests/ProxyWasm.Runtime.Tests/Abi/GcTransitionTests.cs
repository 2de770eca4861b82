using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using ProxyWasm.Abi;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Abi;

/// <summary>
/// Which <c>env.proxy_*</c> imports skip the GC transition (<c>[SuppressGCTransition]</c>, from
/// <c>[HostFunction(NeverCallsModule = true)]</c>). A host calls into the module during a host call only to allocate the
/// data it returns (cpp-host's copyToPointerSize through <c>proxy_on_memory_allocate</c>; the native test host's
/// copy_to_module, its only call into the module from inside a host function), and it does so exactly for the calls
/// with a <c>return_*_data</c> output (<c>byte**</c>). A reverse P/Invoke from inside a call without the transition fails
/// fast, so those calls must keep it; every native test (tests/ProxyWasm.Native.Tests) runs the samples through these
/// imports, so a wrong mark would crash them.
/// </summary>
public sealed class GcTransitionTests
{
    private static readonly MethodInfo[] Imports = typeof(HostCalls).Assembly.GetType("ProxyWasm.Abi.Imports", throwOnError: true)!
        .GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
        .Where(m => m.GetCustomAttribute<DllImportAttribute>() is not null)
        .ToArray();

    private static bool Suppressed(MethodInfo import) => import.GetCustomAttribute<SuppressGCTransitionAttribute>() is not null;

    private static bool ReturnsHostData(MethodInfo import) => import.GetParameters().Any(p => p.ParameterType == typeof(byte**));

    [Fact]
    public void Every_host_function_has_one_import()
    {
        MethodInfo[] declared = typeof(HostCalls).GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.DeclaredOnly)
            .Where(m => m.Name.StartsWith("proxy_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(declared.Select(m => m.Name).Order(), Imports.Select(m => m.Name).Order());
    }

    [Fact]
    public void Imports_that_make_the_host_allocate_in_the_module_keep_the_GC_transition()
    {
        MethodInfo[] allocating = Imports.Where(ReturnsHostData).ToArray();
        Assert.Equal(
            ["proxy_call_foreign_function", "proxy_dequeue_shared_queue", "proxy_get_buffer_bytes", "proxy_get_header_map_pairs",
             "proxy_get_header_map_value", "proxy_get_property", "proxy_get_shared_data", "proxy_get_status"],
            allocating.Select(m => m.Name).Order());
        Assert.All(allocating, m => Assert.False(Suppressed(m), m.Name + " makes the host call proxy_on_memory_allocate"));
    }

    [Fact]
    public void Callouts_and_proxy_done_keep_the_GC_transition()
    {
        // A host may answer a failed call or finish a context from inside these: keep the transition.
        string[] kept = ["proxy_http_call", "proxy_grpc_call", "proxy_grpc_stream", "proxy_grpc_send", "proxy_grpc_cancel", "proxy_grpc_close", "proxy_done"];
        Assert.All(Imports.Where(m => kept.Contains(m.Name)), m => Assert.False(Suppressed(m), m.Name));
        Assert.Equal(kept.Length, Imports.Count(m => kept.Contains(m.Name)));
    }

    [Fact]
    public void The_hot_path_header_and_log_calls_skip_the_GC_transition()
    {
        string[] hot = ["proxy_log", "proxy_get_log_level", "proxy_add_header_map_value", "proxy_replace_header_map_value",
            "proxy_remove_header_map_value", "proxy_send_local_response", "proxy_continue_stream", "proxy_increment_metric"];
        Assert.All(Imports.Where(m => hot.Contains(m.Name)), m => Assert.True(Suppressed(m), m.Name));
        Assert.Equal(hot.Length, Imports.Count(m => hot.Contains(m.Name)));
    }
}
