using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>One sample published with the documented command, and where its outputs are.</summary>
internal sealed class PublishedSample
{
    public required string Sample { get; init; }

    public required ProcessResult Publish { get; init; }

    /// <summary>The native library (&lt;Name&gt;.so in the publish folder).</summary>
    public required string Library { get; init; }

    /// <summary>Its DWARF/symbol companion (&lt;Name&gt;.so.dbg), with the static symbol table.</summary>
    public required string DebugSymbols { get; init; }

    /// <summary>ILC's map of every node in the native image.</summary>
    public required string MapFile { get; init; }

    /// <summary>ILC's response file (its command line).</summary>
    public required string IlcResponseFile { get; init; }

    /// <summary>The version script the linker got.</summary>
    public required string ExportsFile { get; init; }

    /// <summary>The source the generator emitted for this build.</summary>
    public required IReadOnlyList<string> GeneratedSources { get; init; }

    /// <summary>AllowUnsafeBlocks of the sample in this build, as MSBuild evaluates it.</summary>
    public required string AllowUnsafeBlocks { get; init; }
}

/// <summary>
/// Publishes each sample once per test run (on first use) into a temporary artifacts folder, and compiles the C host
/// once. Nothing is written into the source tree. Tests that need something missing skip with the exact reason.
/// </summary>
public sealed class NativeBuild : IDisposable
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "proxywasm-native-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentDictionary<string, Lazy<PublishedSample>> _samples = new();
    private readonly Lazy<PublishedSample> _control;
    private readonly Lazy<string> _host;
    private readonly Lazy<string> _calloutProbe;
    private readonly Lazy<string> _grpcProbe;
    private readonly Lazy<string> _propertiesProbe;
    private readonly Lazy<string> _networkProbe;
    private readonly Lazy<string> _allocatorProbe;
    private readonly object _buildLock = new();

    public NativeBuild()
    {
        Directory.CreateDirectory(_root);
        _control = new Lazy<PublishedSample>(() => PublishNow("HelloWorld", Path.Combine(_root, "art-control"), ["-p:ProxyWasmInProcessHostSupported=true"]));
        _host = new Lazy<string>(CompileHost);
        _calloutProbe = new Lazy<string>(CompileCalloutProbe);
        _grpcProbe = new Lazy<string>(CompileGrpcProbe);
        _propertiesProbe = new Lazy<string>(() => Compile([Repo.PropertiesProbeSource], "properties_probe.so", ["-shared", "-fPIC"], []));
        _networkProbe = new Lazy<string>(CompileNetworkProbe);
        _allocatorProbe = new Lazy<string>(() => Compile([Repo.AllocatorProbeSource], "allocator_probe", ["-rdynamic"], ["-ldl"]));
    }

    internal string TemporaryDirectory => _root;

    /// <summary>The sample published with `dotnet publish samples/&lt;Name&gt; -c Release -r linux-x64`.</summary>
    internal PublishedSample Published(string sample)
    {
        Skip.IfNot(Repo.SampleExists(sample), $"samples/{sample}/{sample}.csproj does not exist (yet) in {Repo.Root}.");
        return _samples.GetOrAdd(sample, name => new Lazy<PublishedSample>(() => PublishNow(name, Path.Combine(_root, "art"), []))).Value;
    }

    /// <summary>The control build: HelloWorld with the feature switch left on (ProxyWasmInProcessHostSupported=true).</summary>
    internal PublishedSample ControlBuild()
    {
        Skip.IfNot(Repo.SampleExists("HelloWorld"), "samples/HelloWorld does not exist.");
        return _control.Value;
    }

    /// <summary>The compiled C host (tests/ProxyWasm.Native.Tests/host/host_*.c, with host.h).</summary>
    internal string Host() => _host.Value;

    /// <summary>The C module tests/ProxyWasm.Native.Tests/host/callout_probe.c, compiled as a shared library.</summary>
    internal string CalloutProbe() => _calloutProbe.Value;

    /// <summary>The C module tests/ProxyWasm.Native.Tests/host/grpc_probe.c, compiled as a shared library.</summary>
    internal string GrpcProbe() => _grpcProbe.Value;

    /// <summary>The C module tests/ProxyWasm.Native.Tests/host/properties_probe.c, compiled as a shared library.</summary>
    internal string PropertiesProbe() => _propertiesProbe.Value;

    /// <summary>The C module tests/ProxyWasm.Native.Tests/host/network_probe.c (TCP connections, shared queues, foreign
    /// functions, several root contexts), compiled as a shared library.</summary>
    internal string NetworkProbe() => _networkProbe.Value;

    /// <summary>The program tests/ProxyWasm.Native.Tests/host/allocator_probe.c, which drives a module's native allocator.</summary>
    internal string AllocatorProbe() => _allocatorProbe.Value;

    /// <summary>Skips unless nm (binutils) is on PATH; returns its path.</summary>
    internal static string Nm()
    {
        string? nm = Tools.Find("nm");
        Skip.If(nm is null, "nm (binutils) was not found on PATH: the dynamic symbol tables cannot be read.");
        return nm!;
    }

    private PublishedSample PublishNow(string sample, string artifacts, string[] extraProperties)
    {
        // One build at a time: the machine has two cores and the builds share the artifacts folder.
        lock (_buildLock)
        {
            string project = Path.Combine(Repo.SamplesDirectory, sample);
            string dotnet = Tools.Dotnet();
            var arguments = new List<string>
            {
                "publish", project, "-c", "Release", "-r", "linux-x64", "--artifacts-path", artifacts,
                "--disable-build-servers", "-nologo", "-clp:NoSummary",
            };
            arguments.AddRange(extraProperties);
            ProcessResult publish = Tools.Run(dotnet, arguments, PublishTimeout, cleanMsBuildEnvironment: true);
            if (publish.ExitCode != 0)
            {
                SkipIfCompilerUnavailable(publish);
                SkipIfLinkerUnavailable(publish);
                throw new InvalidOperationException("Publishing failed.\n" + publish.Describe());
            }

            string publishDirectory = Path.Combine(artifacts, "publish", sample);
            string library = Single(publishDirectory, sample + ".so", publish);
            string intermediate = Path.Combine(artifacts, "obj", sample);
            string native = Path.GetDirectoryName(Single(intermediate, sample + ".ilc.rsp", publish))!;
            string[] generated = Directory.GetFiles(intermediate, "*.g.cs", SearchOption.AllDirectories)
                .Where(path => path.Contains("linux-x64", StringComparison.Ordinal) && path.Contains(Path.DirectorySeparatorChar + "generated" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .ToArray();

            ProcessResult unsafeBlocks = Tools.Run(dotnet,
                ["msbuild", project, "-getProperty:AllowUnsafeBlocks", "-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64", "-nologo"],
                TimeSpan.FromMinutes(5), cleanMsBuildEnvironment: true);
            if (unsafeBlocks.ExitCode != 0)
            {
                throw new InvalidOperationException("Evaluating AllowUnsafeBlocks failed.\n" + unsafeBlocks.Describe());
            }

            return new PublishedSample
            {
                Sample = sample,
                Publish = publish,
                Library = library,
                DebugSymbols = library + ".dbg",
                MapFile = Path.Combine(native, sample + ".map.xml"),
                IlcResponseFile = Path.Combine(native, sample + ".ilc.rsp"),
                ExportsFile = Path.Combine(native, sample + ".exports"),
                GeneratedSources = generated,
                AllowUnsafeBlocks = unsafeBlocks.StandardOutput.Trim(),
            };
        }
    }

    /// <summary>The NativeAOT compiler comes as a package (runtime.linux-x64.Microsoft.DotNet.ILCompiler) restored from
    /// the registry; when it cannot be restored, the native tests cannot run here, and say so.</summary>
    private static void SkipIfCompilerUnavailable(ProcessResult publish)
    {
        string[] lines = (publish.StandardOutput + "\n" + publish.StandardError).Split('\n');
        string[] restoreErrors = lines.Where(line => Regex.IsMatch(line, @"error NU1(10[0-3]|301)\b")).Select(line => line.Trim()).ToArray();
        bool compilerMissing = restoreErrors.Any(line => line.Contains("Microsoft.DotNet.ILCompiler", StringComparison.OrdinalIgnoreCase))
            || (restoreErrors.Any(line => line.Contains("NU1301", StringComparison.Ordinal)) && !IlCompilerCached());
        Skip.If(compilerMissing,
            "The NativeAOT compiler package runtime.linux-x64.Microsoft.DotNet.ILCompiler (10.0.x, for net10.0) could not be restored, so no sample can be published natively here:\n"
            + string.Join("\n", restoreErrors.Distinct()));
    }

    /// <summary>NativeAOT links with the platform C toolchain (clang or gcc) and strips with objcopy; its targets fail
    /// with these messages when they are not on PATH.</summary>
    private static void SkipIfLinkerUnavailable(ProcessResult publish)
    {
        string[] missing = (publish.StandardOutput + "\n" + publish.StandardError).Split('\n')
            .Where(line => line.Contains("error", StringComparison.Ordinal)
                && (line.Contains("Platform linker (", StringComparison.Ordinal)
                    || line.Contains("Requested linker (", StringComparison.Ordinal)
                    || line.Contains("Symbol stripping tool", StringComparison.Ordinal)))
            .Select(line => line.Trim())
            .Distinct()
            .ToArray();
        Skip.If(missing.Length > 0,
            "NativeAOT needs a C toolchain (clang or gcc) and objcopy on PATH to link and strip the library, and did not find them:\n"
            + string.Join("\n", missing));
    }

    private static bool IlCompilerCached()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string compiler = Path.Combine(packages, "runtime.linux-x64.microsoft.dotnet.ilcompiler");
        return Directory.Exists(compiler) && Directory.GetDirectories(compiler, "9.0.*").Length > 0;
    }

    private static string Single(string directory, string fileName, ProcessResult publish)
    {
        string[] found = Directory.Exists(directory) ? Directory.GetFiles(directory, fileName, SearchOption.AllDirectories) : [];
        if (found.Length != 1)
        {
            throw new InvalidOperationException($"Expected one {fileName} under {directory}, found {found.Length}.\n{publish.Describe()}");
        }

        return found[0];
    }

    private string CompileHost() =>
        Compile(Repo.HostSources, "proxywasm_host", ["-rdynamic"], ["-ldl"]);

    private string CompileCalloutProbe() =>
        Compile([Repo.CalloutProbeSource], "callout_probe.so", ["-shared", "-fPIC"], []);

    private string CompileGrpcProbe() =>
        Compile([Repo.GrpcProbeSource], "grpc_probe.so", ["-shared", "-fPIC"], []);

    private string CompileNetworkProbe() =>
        Compile([Repo.NetworkProbeSource], "network_probe.so", ["-shared", "-fPIC"], []);

    /// <summary>Compiles and links <paramref name="sources"/> together (one gcc command) into the temporary folder.</summary>
    private string Compile(IReadOnlyList<string> sources, string outputName, string[] flags, string[] libraries)
    {
        string? gcc = Tools.Find("gcc");
        string names = string.Join(", ", sources.Select(source => Path.GetRelativePath(Repo.Root, source)));
        Skip.If(gcc is null, $"gcc was not found on PATH: {names} cannot be compiled.");
        string output = Path.Combine(_root, outputName);
        ProcessResult compile = Tools.Run(gcc!,
            ["-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", .. flags, "-o", output, .. sources, .. libraries],
            TimeSpan.FromMinutes(2));
        if (compile.ExitCode != 0)
        {
            throw new InvalidOperationException($"Compiling {string.Join(" ", sources.Select(Path.GetFileName))} failed.\n" + compile.Describe());
        }

        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a process that outlived its test; the temporary folder is left behind.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NativeCollection : ICollectionFixture<NativeBuild>
{
    public const string Name = "native";
}
