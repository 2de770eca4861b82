using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace ProxyWasm.Testing;

/// <summary>
/// What a test runs a filter as: its assembly in this process (<see cref="InProcess"/>), or the <c>.wasm</c> module
/// published from it (<see cref="Wasm"/>), through the same <see cref="ProxyWasmHost"/> API, so one test checks both
/// the code and the artifact Envoy loads (Go proxytest's dual mode). <see cref="For"/> lists the targets a filter has:
/// the assembly always, its <c>.wasm</c> when one is found (<see cref="FindPublishedWasm"/>).
/// </summary>
/// <example><code>
/// public static TheoryData&lt;ModuleTarget&gt; Targets => new(ModuleTarget.For(typeof(MyFilter).Assembly));
///
/// [Theory, MemberData(nameof(Targets))]
/// public void Adds_the_header(ModuleTarget target)
/// {
///     using ProxyWasmHost host = target.CreateHost(typeof(MyFilter).Assembly);
///     ...
/// }
/// </code></example>
public abstract class ModuleTarget
{
    /// <summary>The environment variable that lists directories (separated by <see cref="Path.PathSeparator"/>) searched,
    /// recursively, for <c>&lt;AssemblyName&gt;.wasm</c> before the default places.</summary>
    public const string SearchPathVariable = "PROXYWASM_WASM_PATH";

    private ModuleTarget()
    {
    }

    /// <summary>The filter assembly, run in this process.</summary>
    public static ModuleTarget InProcess { get; } = new InProcessTarget();

    /// <summary>A <c>.wasm</c> module, run with Wasmtime (<see cref="ProxyWasmHost.LoadWasm(string, HostOptions?, WasmHostOptions?)"/>).</summary>
    public static ModuleTarget Wasm(string path) => new WasmTarget(path);

    /// <summary>Creates a host for <paramref name="filter"/> as this target runs it.</summary>
    /// <exception cref="WasmLoadException">The <c>.wasm</c> module fails proxy-wasm-cpp-host's load checks.</exception>
    public abstract ProxyWasmHost CreateHost(Assembly filter, HostOptions? options = null);

    /// <summary>The targets of <paramref name="filter"/>: <see cref="InProcess"/>, then <see cref="Wasm"/> for its
    /// published module when <see cref="FindPublishedWasm"/> finds one.</summary>
    public static IEnumerable<ModuleTarget> For(Assembly filter)
    {
        yield return InProcess;
        if (FindPublishedWasm(filter) is { } path)
        {
            yield return Wasm(path);
        }
    }

    /// <summary>
    /// Finds the <c>.wasm</c> published from <paramref name="filter"/> (<c>dotnet publish -c Release -r wasi-wasm</c>
    /// writes <c>bin/Release/&lt;tfm&gt;/wasi-wasm/publish/&lt;AssemblyName&gt;.wasm</c>): first under each directory of
    /// <see cref="SearchPathVariable"/>, then next to the assembly, then in the publish folder of a project named after
    /// the assembly in any ancestor directory of it, or in that ancestor's <c>samples/</c> or <c>src/</c>.
    /// </summary>
    /// <returns>The newest match, or <see langword="null"/>.</returns>
    public static string? FindPublishedWasm(Assembly filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        string name = filter.GetName().Name + ".wasm";
        var found = new List<string>();
        foreach (string directory in (Environment.GetEnvironmentVariable(SearchPathVariable) ?? string.Empty)
                     .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Directory.Exists(directory))
            {
                found.AddRange(Directory.EnumerateFiles(directory, name, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 8, IgnoreInaccessible = true }));
            }
        }

        if (found.Count == 0 && !string.IsNullOrEmpty(filter.Location))
        {
            string? directory = Path.GetDirectoryName(filter.Location);
            if (directory is not null && File.Exists(Path.Combine(directory, name)))
            {
                found.Add(Path.Combine(directory, name));
            }

            for (DirectoryInfo? ancestor = directory is null ? null : new DirectoryInfo(directory); ancestor is not null && found.Count == 0; ancestor = ancestor.Parent)
            {
                foreach (string root in new[] { ancestor.FullName, Path.Combine(ancestor.FullName, "samples"), Path.Combine(ancestor.FullName, "src") })
                {
                    string release = Path.Combine(root, filter.GetName().Name!, "bin", "Release");
                    if (Directory.Exists(release))
                    {
                        found.AddRange(Directory.EnumerateDirectories(release)
                            .Select(tfm => Path.Combine(tfm, "wasi-wasm", "publish", name))
                            .Where(File.Exists));
                    }
                }
            }
        }

        return found.OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
    }

    private sealed class InProcessTarget : ModuleTarget
    {
        public override ProxyWasmHost CreateHost(Assembly filter, HostOptions? options = null) => new(filter, options);

        public override string ToString() => "in-process";
    }

    private sealed class WasmTarget(string path) : ModuleTarget
    {
        public override ProxyWasmHost CreateHost(Assembly filter, HostOptions? options = null) => ProxyWasmHost.LoadWasm(path, options);

        public override string ToString() => "wasm:" + Path.GetFileName(path);
    }
}
