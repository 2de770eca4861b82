using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Loading;

/// <summary>What a command's target argument names.</summary>
internal enum TargetKind
{
    /// <summary>A .NET filter assembly (.dll), given or built from a project.</summary>
    Assembly,

    /// <summary>A NativeAOT shared library (.so), the native stand-in of a module.</summary>
    NativeLibrary,

    /// <summary>A wasm module (.wasm).</summary>
    Wasm,
}

/// <summary>A resolved target: the file to read and, for a project, the project it was built from.</summary>
internal sealed record FilterTarget(TargetKind Kind, string Path, string? Project);

/// <summary>
/// Resolves a target argument: a .dll, .so or .wasm file, or a project (a .csproj, or a directory holding one), which
/// is built with <c>dotnet build -c Debug</c> and replaced by its output (<c>TargetPath</c>).
/// </summary>
internal static class FilterTargets
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];

    /// <summary>Resolves <paramref name="target"/>; <paramref name="binaries"/>: whether .so and .wasm are accepted.</summary>
    /// <param name="target">The argument as given.</param>
    /// <param name="binaries">Whether built modules (.so, .wasm) are accepted (inspect) or not (run, which resolves a
    /// .wasm itself first).</param>
    /// <param name="log">Where build progress and build errors go (stderr).</param>
    public static FilterTarget Resolve(string target, bool binaries, TextWriter log)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw CliException.Usage("the target is empty: give a filter assembly (.dll) or a project");
        }

        string path = System.IO.Path.GetFullPath(target);
        if (Directory.Exists(path))
        {
            string[] projects = Directory.GetFiles(path).Where(IsProject).OrderBy(p => p, StringComparer.Ordinal).ToArray();
            return projects.Length switch
            {
                0 => throw CliException.Usage($"{target} is a directory without a project file (.csproj): give a project or a filter assembly (.dll)"),
                1 => Build(projects[0], log),
                _ => throw CliException.Usage($"{target} holds several projects ({string.Join(", ", projects.Select(System.IO.Path.GetFileName))}): name one"),
            };
        }

        if (!File.Exists(path))
        {
            throw CliException.Usage($"{target}: no such file or directory");
        }

        if (IsProject(path))
        {
            return Build(path, log);
        }

        string extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".dll":
                return new FilterTarget(TargetKind.Assembly, path, null);
            case ".so" when binaries:
                return new FilterTarget(TargetKind.NativeLibrary, path, null);
            case ".wasm" when binaries:
                return new FilterTarget(TargetKind.Wasm, path, null);
            case ".so" or ".wasm":
                // run takes .wasm modules before resolving (WasmRun.Target); a .so is for inspect only.
                throw CliException.Usage($"{target} is a built module: run needs the filter assembly (.dll), its project or its .wasm module ('proxywasm inspect' reads {extension} files)");
            default:
                throw CliException.Usage(binaries
                    ? $"{target} is not a filter assembly (.dll), a project, a native module (.so) or a wasm module (.wasm)"
                    : $"{target} is not a filter assembly (.dll), a project (.csproj, or a directory holding one) or a wasm module (.wasm)");
        }
    }

    private static bool IsProject(string path) => ProjectExtensions.Contains(System.IO.Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds <paramref name="project"/> (Debug) and returns its output assembly. Exit 3 when the build fails.</summary>
    private static FilterTarget Build(string project, TextWriter log)
    {
        string directory = System.IO.Path.GetDirectoryName(project)!;
        string shown = Relative(project);
        log.WriteLine($"proxywasm: building {shown} (dotnet build -c Debug)");
        ProcessOutput build = Dotnet.Run(["build", project, "-c", "Debug", "-nologo", "-v:q", "-clp:NoSummary", "--disable-build-servers"], directory);
        if (build.ExitCode != 0)
        {
            // The compiler's and MSBuild's error lines, once each (MSBuild repeats them in its summary).
            IEnumerable<string> errors = (build.StandardOutput + "\n" + build.StandardError)
                .Split('\n')
                .Select(line => line.TrimEnd())
                .Where(line => line.Contains("error", StringComparison.OrdinalIgnoreCase) && line.Length > 0)
                .Distinct(StringComparer.Ordinal);
            foreach (string line in errors)
            {
                log.WriteLine("  " + line.Trim());
            }

            throw new CliException(ExitCodes.BuildFailed, $"the build of {shown} failed (dotnet build exited with {build.ExitCode})");
        }

        string targetPath = TargetPath(project, directory, null);
        if (targetPath.Length == 0)
        {
            throw CliException.Usage($"{shown} has no single output assembly (TargetPath is empty): give the built .dll");
        }

        if (!File.Exists(targetPath))
        {
            throw new CliException(ExitCodes.BuildFailed, $"the build of {shown} succeeded but its output {targetPath} does not exist");
        }

        return new FilterTarget(TargetKind.Assembly, targetPath, project);
    }

    /// <summary>The project's TargetPath in Debug; for a multi-targeted project, that of net10.0 or its first framework.</summary>
    private static string TargetPath(string project, string directory, string? framework)
    {
        var arguments = new List<string> { "msbuild", project, "-getProperty:TargetPath", "-getProperty:TargetFrameworks", "-p:Configuration=Debug", "-nologo" };
        if (framework is not null)
        {
            arguments.Add("-p:TargetFramework=" + framework);
        }

        ProcessOutput query = Dotnet.Run(arguments, directory);
        if (query.ExitCode != 0)
        {
            throw new CliException(ExitCodes.BuildFailed, $"could not read the output path of {Relative(project)} (dotnet msbuild -getProperty:TargetPath exited with {query.ExitCode}): {FirstLine(query)}");
        }

        string targetPath;
        string frameworks;
        try
        {
            using JsonDocument json = JsonDocument.Parse(query.StandardOutput);
            JsonElement properties = json.RootElement.GetProperty("Properties");
            targetPath = properties.GetProperty("TargetPath").GetString() ?? string.Empty;
            frameworks = properties.GetProperty("TargetFrameworks").GetString() ?? string.Empty;
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw CliException.Internal($"could not read the output path of {Relative(project)}: unexpected msbuild output '{query.StandardOutput.Trim()}'", error);
        }

        if (targetPath.Length == 0 && framework is null && frameworks.Length != 0)
        {
            string[] all = frameworks.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return TargetPath(project, directory, all.FirstOrDefault(f => f == "net10.0") ?? all[0]);
        }

        return targetPath;
    }

    private static string FirstLine(ProcessOutput output)
        => (output.StandardOutput + "\n" + output.StandardError).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "no output";

    /// <summary>The path relative to the working directory when it is under it, else as is.</summary>
    internal static string Relative(string path)
    {
        string relative = System.IO.Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
