using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Abi;
using Wasmtime;

namespace ProxyWasm.Testing;

/// <summary>Runs one import for the module: reads <paramref name="arguments"/>, writes <paramref name="results"/>.</summary>
internal delegate void WasmImportHandler(WasmBinding vm, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results);

/// <summary>One function the host registers for modules to import.</summary>
internal sealed record WasmImportSignature(string Module, string Name, ValueKind[] Parameters, ValueKind[] Results, WasmImportHandler Handler)
{
    public string QualifiedName => $"{Module}.{Name}";
}

/// <summary>
/// The imports proxy-wasm-cpp-host registers (<c>WasmBase::registerCallbacks</c>), and nothing else: every
/// <c>env.proxy_*</c> host function of the module's ABI version (from the one declaration table,
/// <see cref="HostFunctionTable"/>), <c>env.pthread_equal</c>, <c>env.emscripten_notify_memory_growth</c>, and the WASI
/// preview 1 functions of <see cref="WasiPreview1"/> under both <c>wasi_snapshot_preview1</c> and <c>wasi_unstable</c>.
/// </summary>
internal static class WasmImports
{
    private static readonly Dictionary<string, WasmImportSignature> s_v021 = Build(includeLogLevel: true);
    private static readonly Dictionary<string, WasmImportSignature> s_v020 = Build(includeLogLevel: false);

    /// <summary>The imports for ABI <paramref name="abi"/> (0.2.0 lacks <c>proxy_get_log_level</c>).</summary>
    public static Dictionary<string, WasmImportSignature> For(string? abi) => abi == "0.2.0" ? s_v020 : s_v021;

    /// <summary>Functions allowed while the allocator runs (cpp-host <c>allocMemory</c>'s restricted callbacks).</summary>
    public static readonly HashSet<string> AllowedInAllocator = new(StringComparer.Ordinal)
    {
        "env.proxy_log",
        "wasi_unstable.fd_write", "wasi_snapshot_preview1.fd_write",
        "wasi_unstable.clock_time_get", "wasi_snapshot_preview1.clock_time_get",
        "wasi_unstable.poll_oneoff", "wasi_snapshot_preview1.poll_oneoff",
    };

    /// <summary>Functions allowed during start-up (<c>_initialize</c>, <c>main</c>, <c>_start</c>; cpp-host
    /// <c>WasmBase::startVm</c>): logging, and the WASI functions a runtime needs to initialise.</summary>
    public static readonly HashSet<string> AllowedInStart = BuildStartAllowList();

    private static HashSet<string> BuildStartAllowList()
    {
        string[] wasi =
        [
            "fd_write", "args_sizes_get", "args_get", "environ_sizes_get", "environ_get", "clock_time_get", "clock_res_get",
            "random_get", "poll_oneoff", "fd_fdstat_get", "fd_fdstat_set_flags", "fd_advise", "fd_allocate", "fd_datasync",
            "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
            "fd_prestat_dir_name", "fd_prestat_get", "fd_pwrite", "fd_readdir", "fd_renumber", "fd_sync", "fd_tell",
            "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link", "path_readlink",
            "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file", "sock_accept", "sock_recv",
            "sock_send", "sock_shutdown",
        ];
        var set = new HashSet<string>(StringComparer.Ordinal) { "env.emscripten_notify_memory_growth", "env.proxy_log" };
        foreach (string name in wasi)
        {
            set.Add("wasi_unstable." + name);
            set.Add("wasi_snapshot_preview1." + name);
        }

        return set;
    }

    private static Dictionary<string, WasmImportSignature> Build(bool includeLogLevel)
    {
        var all = new List<WasmImportSignature>
        {
            new("env", "pthread_equal", [ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32],
                static (_, a, r) => r[0] = a[0].AsInt32() == a[1].AsInt32() ? 1 : 0),
            new("env", "emscripten_notify_memory_growth", [ValueKind.Int32], [], static (_, _, _) => { }),
        };

        for (int i = 0; i < HostFunctionTable.Functions.Count; i++)
        {
            HostFunctionSignature f = HostFunctionTable.Functions[i];
            if (!includeLogLevel && f.Name == "proxy_get_log_level")
            {
                continue;
            }

            int index = i;
            all.Add(new("env", f.Name, f.Parameters.Select(k => k == HostParameterKind.Value64 ? ValueKind.Int64 : ValueKind.Int32).ToArray(),
                [ValueKind.Int32], (vm, a, r) => r[0] = (int)vm.CallHost(index, a)));
        }

        foreach (WasmImportSignature wasi in WasiPreview1.Functions)
        {
            all.Add(wasi with { Module = "wasi_snapshot_preview1" });
            all.Add(wasi with { Module = "wasi_unstable" });
        }

        return all.ToDictionary(s => s.QualifiedName, StringComparer.Ordinal);
    }
}
