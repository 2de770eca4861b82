using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>Paths in the repository and facts read from its sources.</summary>
internal static class Repo
{
    /// <summary>The four seed samples; tests also cover any other folder under samples/ that holds a project.</summary>
    public static readonly string[] KnownSamples = ["HelloWorld", "HeaderAuthorization", "AddHeader", "ResponseHeader"];

    public static string Root { get; } = FindRoot();

    public static string SamplesDirectory => Path.Combine(Root, "samples");

    public static string HostDirectory => Path.Combine(Root, "tests", "ProxyWasm.Native.Tests", "host");

    /// <summary>The C host's translation units, compiled together into one program (their shared declarations are in
    /// host/host.h).</summary>
    public static IReadOnlyList<string> HostSources =>
        [.. new[] { "host_main.c", "host_maps.c", "host_calls.c", "host_callouts.c", "host_properties.c", "host_state.c", "host_plugins.c", "host_network.c", "host_queues.c", "host_faults.c" }.Select(file => Path.Combine(HostDirectory, file))];

    public static string CalloutProbeSource => Path.Combine(HostDirectory, "callout_probe.c");

    public static string GrpcProbeSource => Path.Combine(HostDirectory, "grpc_probe.c");

    public static string PropertiesProbeSource => Path.Combine(HostDirectory, "properties_probe.c");

    public static string NetworkProbeSource => Path.Combine(HostDirectory, "network_probe.c");

    public static string AllocatorProbeSource => Path.Combine(HostDirectory, "allocator_probe.c");

    public static string HostCallsSource => Path.Combine(Root, "src", "Runtime", "Abi", "HostCalls.cs");

    /// <summary>The known samples plus every samples/&lt;Name&gt;/&lt;Name&gt;.csproj present now.</summary>
    public static IEnumerable<object[]> SampleNames()
    {
        var names = new SortedSet<string>(KnownSamples, StringComparer.Ordinal);
        if (Directory.Exists(SamplesDirectory))
        {
            foreach (string directory in Directory.GetDirectories(SamplesDirectory))
            {
                string name = Path.GetFileName(directory);
                if (File.Exists(Path.Combine(directory, name + ".csproj")))
                {
                    names.Add(name);
                }
            }
        }

        return names.Select(name => new object[] { name });
    }

    public static bool SampleExists(string sample) => File.Exists(Path.Combine(SamplesDirectory, sample, sample + ".csproj"));

    /// <summary>The names of the 39 host functions of ABI v0.2.1, as declared once in src/Runtime/Abi/HostCalls.cs.</summary>
    public static IReadOnlySet<string> HostFunctionNames()
    {
        string source = File.ReadAllText(HostCallsSource);
        var names = Regex.Matches(source, @"\[HostFunction(?:\([^)]*\))?\]\s*public\s+static\s+partial\s+ProxyStatus\s+(proxy_\w+)\s*\(")
            .Select(match => match.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Samples whose streams are untracked (a stateless class whose one hook the host calls once per stream):
    /// their modules export no proxy_on_context_create or proxy_on_delete, which cpp-host (and the native host) skip.</summary>
    public static readonly IReadOnlySet<string> UntrackedSamples = new HashSet<string>(StringComparer.Ordinal) { "HelloWorld", "HeaderAuthorization" };

    /// <summary>Every callback a v0.2.1 module may export (spec "Callbacks"), plus the allocator.</summary>
    public static readonly IReadOnlySet<string> V021Callbacks = new HashSet<string>(StringComparer.Ordinal)
    {
        "proxy_on_memory_allocate", "proxy_on_context_create", "proxy_on_done", "proxy_on_log", "proxy_on_delete",
        "proxy_on_vm_start", "proxy_on_configure", "proxy_on_tick", "proxy_on_new_connection",
        "proxy_on_downstream_data", "proxy_on_downstream_connection_close", "proxy_on_upstream_data",
        "proxy_on_upstream_connection_close", "proxy_on_request_headers", "proxy_on_request_body",
        "proxy_on_request_trailers", "proxy_on_response_headers", "proxy_on_response_body", "proxy_on_response_trailers",
        "proxy_on_http_call_response", "proxy_on_grpc_receive_initial_metadata", "proxy_on_grpc_receive",
        "proxy_on_grpc_receive_trailing_metadata", "proxy_on_grpc_close", "proxy_on_queue_ready",
        "proxy_on_foreign_function",
    };

    private static string FindRoot()
    {
        string? root = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "ProxyWasm.RepoRoot")?.Value;
        if (root is null || !File.Exists(Path.Combine(root, "ProxyWasm.Generators.sln")))
        {
            throw new InvalidOperationException($"The repository root recorded at build time ('{root}') does not hold ProxyWasm.Generators.sln.");
        }

        return Path.GetFullPath(root);
    }
}
