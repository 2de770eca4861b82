using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ProxyWasm.Cli.Loading;

/// <summary>
/// The load context of one filter assembly. ProxyWasm.Runtime and ProxyWasm.Testing resolve to the tool's own, already
/// loaded assemblies, so the filter's glue and the in-process host share one runtime (one <c>HostCalls</c>, one
/// <c>InProcessHost</c>, one host-memory record); every other dependency resolves through the filter's own
/// <c>.deps.json</c> (<see cref="AssemblyDependencyResolver"/>), then its directory, then the default context
/// (the shared framework).
/// </summary>
internal sealed class FilterLoadContext : AssemblyLoadContext
{
    /// <summary>The assemblies shared with the tool, by simple name.</summary>
    internal static readonly string[] SharedAssemblies = ["ProxyWasm.Runtime", "ProxyWasm.Testing"];

    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _directory;

    public FilterLoadContext(string assemblyPath)
        : base("proxywasm:" + Path.GetFileNameWithoutExtension(assemblyPath), isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
        _directory = Path.GetDirectoryName(assemblyPath)!;
    }

    /// <summary>The tool's ProxyWasm.Runtime.</summary>
    public static Assembly ToolRuntime => typeof(ProxyWasm.Abi.HostCalls).Assembly;

    /// <summary>The tool's ProxyWasm.Testing.</summary>
    public static Assembly ToolTesting => typeof(ProxyWasm.Testing.ProxyWasmHost).Assembly;

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        switch (assemblyName.Name)
        {
            case "ProxyWasm.Runtime":
                return ToolRuntime;
            case "ProxyWasm.Testing":
                return ToolTesting;
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null && assemblyName.Name is { } name)
        {
            string local = Path.Combine(_directory, name + ".dll");
            path = File.Exists(local) && !IsFramework(name) ? local : null;
        }

        // Null: the default context (the framework the tool runs on).
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    /// <inheritdoc/>
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>Whether the shared framework the tool runs on has an assembly of this name (the default context
    /// loads it: a copy next to the filter must not shadow it).</summary>
    private static bool IsFramework(string name)
        => File.Exists(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), name + ".dll"));
}
