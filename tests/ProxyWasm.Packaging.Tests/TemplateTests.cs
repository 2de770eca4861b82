using System.IO.Compression;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace ProxyWasm.Packaging.Tests;

/// <summary>
/// From `dotnet new` to a deployable plugin, with the packages as a user gets them: the template from the feed, the
/// projects it writes restored from the feed, their tests, the native publish and its symbol table, and the tool.
/// One class, one packed feed (<see cref="PackagedFeed"/>) for every option combination.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class TemplateTests(PackagedFeed feed, ITestOutputHelper output)
{
    private const string AbiMarker = "proxy_abi_version_0_2_1";

    [SkippableFact]
    public void The_four_packages_carry_metadata_a_readme_and_their_files()
    {
        foreach ((string id, string nupkg) in feed.Packed)
        {
            using ZipArchive zip = ZipFile.OpenRead(nupkg);
            string[] files = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("package/", StringComparison.Ordinal) && !n.StartsWith("_rels/", StringComparison.Ordinal) && n != "[Content_Types].xml").OrderBy(n => n, StringComparer.Ordinal).ToArray();
            output.WriteLine($"{Path.GetFileName(nupkg)}:\n  " + string.Join("\n  ", files));

            string nuspec = Read(zip, $"{id}.nuspec");
            Assert.Contains($"<version>{feed.Version}</version>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
            Assert.Matches("<repository type=\"git\" url=\"https://", nuspec);
            Assert.Contains($"url=\"{PackagedFeed.RepositoryUrl}\"", nuspec, StringComparison.Ordinal);
            Assert.Matches("<authors>[^<]+</authors>", nuspec);
            Assert.Matches("<tags>[^<]*proxy-wasm[^<]*</tags>", nuspec);
            Assert.Matches("<description>[^<]{40,}</description>", nuspec);
            Assert.Contains("README.md", files);

            switch (id)
            {
                case "ProxyWasm.Runtime":
                    Assert.Equal(
                        new[]
                        {
                            "analyzers/dotnet/cs/ProxyWasm.Analyzers.dll", "analyzers/dotnet/cs/ProxyWasm.CodeFixes.dll", "analyzers/dotnet/cs/ProxyWasm.Generators.dll",
                            "buildTransitive/ProxyWasm.Native.targets", "buildTransitive/ProxyWasm.Runtime.props", "buildTransitive/ProxyWasm.Runtime.targets", "buildTransitive/ProxyWasm.Wasm.targets", "buildTransitive/native/proxywasm_allocator.c",
                        },
                        files.Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal) || f.StartsWith("buildTransitive/", StringComparison.Ordinal)));
                    Assert.Contains("lib/net10.0/ProxyWasm.Runtime.dll", files);
                    // The runtime asset for a module compiled ahead of time is the Aot flavor, whose host calls have no
                    // out-of-line import wrappers (<proxy_log>g__Import|…); lib/ is the default flavor, which has them.
                    Assert.Equal(
                        new[] { "runtimes/linux-x64/lib/net10.0/ProxyWasm.Runtime.dll", "runtimes/wasi-wasm/lib/net10.0/ProxyWasm.Runtime.dll" },
                        files.Where(f => f.StartsWith("runtimes/", StringComparison.Ordinal)));
                    Assert.Contains(MethodNames(zip, "lib/net10.0/ProxyWasm.Runtime.dll"), n => n.StartsWith("<proxy_log>g__Import", StringComparison.Ordinal));
                    foreach (string rid in new[] { "linux-x64", "wasi-wasm" })
                    {
                        IReadOnlyList<string> methods = MethodNames(zip, $"runtimes/{rid}/lib/net10.0/ProxyWasm.Runtime.dll");
                        Assert.Contains("proxy_log", methods);
                        Assert.DoesNotContain(methods, n => n.Contains("g__Import", StringComparison.Ordinal));
                    }

                    // One source of each settings file: the packaged copies are build/'s, byte for byte.
                    foreach (string name in new[] { "ProxyWasm.Native.targets", "ProxyWasm.Wasm.targets", "ProxyWasm.Runtime.props", "ProxyWasm.Runtime.targets" })
                    {
                        Assert.Equal(File.ReadAllText(Path.Combine(feed.RepoRoot, "build", name)), Read(zip, "buildTransitive/" + name));
                    }

                    Assert.DoesNotContain("<dependency", nuspec, StringComparison.Ordinal);
                    break;
                case "ProxyWasm.Testing":
                    Assert.Contains("lib/net10.0/ProxyWasm.Testing.dll", files);
                    Assert.Contains($"<dependency id=\"ProxyWasm.Runtime\" version=\"{feed.Version}\"", nuspec, StringComparison.Ordinal);
                    break;
                case "ProxyWasm.Templates":
                    Assert.Contains("<packageType name=\"Template\" />", nuspec, StringComparison.Ordinal);
                    Assert.DoesNotContain(files, f => f.StartsWith("lib/", StringComparison.Ordinal));
                    string template = Read(zip, "content/proxywasm-filter/.template.config/template.json");
                    Assert.Contains($"\"value\": \"{feed.Version}\"", template, StringComparison.Ordinal);
                    Assert.DoesNotContain("@", template.Replace("\"$schema\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
                    Assert.Contains("content/proxywasm-filter/MyFilter.sln", files);
                    break;
                case "ProxyWasm.Cli":
                    Assert.Contains("<packageType name=\"DotnetTool\" />", nuspec, StringComparison.Ordinal);
                    Assert.Contains("tools/net10.0/any/proxywasm.dll", files);
                    Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", files);
                    // run and inspect load .wasm modules with Wasmtime: a tool runs anywhere, so every RID's native
                    // library ships (ProxyWasmKeepAllWasmtimeNatives while packing), not only the packing machine's.
                    Assert.Equal(
                        new[]
                        {
                            "tools/net10.0/any/runtimes/linux-arm64/native/libwasmtime.so", "tools/net10.0/any/runtimes/linux-x64/native/libwasmtime.so",
                            "tools/net10.0/any/runtimes/osx-arm64/native/libwasmtime.dylib", "tools/net10.0/any/runtimes/osx-x64/native/libwasmtime.dylib",
                            "tools/net10.0/any/runtimes/win-arm64/native/wasmtime.dll", "tools/net10.0/any/runtimes/win-x64/native/wasmtime.dll",
                        },
                        files.Where(f => f.Contains("wasmtime", StringComparison.OrdinalIgnoreCase) && f.Contains("/native/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
                    break;
            }
        }

        PrintTimings();
    }

    [SkippableFact]
    public void Http_filter_builds_passes_its_tests_and_publishes_a_module_that_exports_only_the_abi()
    {
        string solution = BuildAndTest("MyFilter");

        ProcessResult publish = feed.Dotnet("dotnet publish MyFilter -r linux-x64 -c Release", solution,
            "publish", Path.Combine("MyFilter", "MyFilter.csproj"), "-r", "linux-x64", "-c", "Release", "--disable-build-servers", "-nologo");
        SkipIfNativeToolchainMissing(publish);
        Assert.True(publish.ExitCode == 0, publish.Describe());
        Assert.True(publish.WarningLines().Count == 0, "Publishing printed warnings:\n" + string.Join('\n', publish.WarningLines()));

        string project = Path.Combine(solution, "MyFilter");
        string library = Path.Combine(project, "bin", "Release", "net10.0", "linux-x64", "publish", "MyFilter.so");
        Assert.True(File.Exists(library), $"{library} was not published.\n{publish.Describe()}");
        string native = Path.Combine(project, "obj", "Release", "net10.0", "linux-x64", "native");

        // The settings ProxyWasm.Runtime's buildTransitive files apply, as ILC's command line shows.
        string[] ilc = File.ReadAllLines(Path.Combine(native, "MyFilter.ilc.rsp"));
        Assert.Contains("--nativelib", ilc);
        Assert.Contains("--warnaserror", ilc);
        Assert.Contains("--directpinvoke:env", ilc);
        Assert.Contains("--feature:ProxyWasm.InProcessHost.IsSupported=false", ilc);
        Assert.Contains("--feature:System.Globalization.Invariant=true", ilc);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(native, "MyFilter.exports")), line => line.Contains("DotNetRuntimeDebugHeader", StringComparison.Ordinal));
        // The module was compiled from the package's runtimes/linux-x64 asset, the Aot flavor: no out-of-line import
        // wrappers among ILC's nodes, while the runtime's own code is there.
        string map = File.ReadAllText(Path.Combine(native, "MyFilter.map.xml"));
        Assert.Contains("\"ProxyWasm_Runtime_ProxyWasm_", map, StringComparison.Ordinal);
        Assert.DoesNotContain("_g__Import", map, StringComparison.Ordinal);

        // Exports: the ABI marker, the allocator and the one hook, all functions, nothing else (the template's filter is
        // stateless with one once-per-stream hook, so its streams are untracked: no context create/delete).
        IReadOnlyList<Symbol> exported = Symbols.DynamicDefined(library);
        output.WriteLine("nm -D --defined-only MyFilter.so:\n  " + string.Join("\n  ", exported.Select(s => $"{s.Type} {s.Name}@@{s.Version}")));
        Assert.All(exported, s => Assert.True(s.Type == 'T' && s.Name.StartsWith("proxy_", StringComparison.Ordinal), $"Unexpected export {s.Type} {s.Name}."));
        Assert.Equal(
            new[] { AbiMarker, "proxy_on_memory_allocate", "proxy_on_request_headers" },
            exported.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));

        // Imports: the host functions as plain undefined symbols (DirectPInvoke of env), every other one versioned (glibc).
        IReadOnlyList<Symbol> undefined = Symbols.DynamicUndefined(library);
        Assert.Contains(undefined, s => s.Name == "proxy_replace_header_map_value" && s.Type == 'U' && s.Version is null);
        var strays = undefined.Where(s => s.Type == 'U' && s.Version is null && !s.Name.StartsWith("proxy_", StringComparison.Ordinal)).Select(s => s.Name).ToList();
        Assert.True(strays.Count == 0, "Unversioned undefined symbols besides proxy_*: " + string.Join(", ", strays));

        PrintTimings();
    }

    [SkippableFact]
    public void Network_filter_builds_and_passes_its_tests()
    {
        string solution = BuildAndTest("MyTcpFilter", "--kind", "network");
        Assert.Contains("[NetworkFilter(\"my_tcp_filter\")]", File.ReadAllText(Path.Combine(solution, "MyTcpFilter", "MyTcpFilter.cs")), StringComparison.Ordinal);
        PrintTimings();
    }

    [SkippableFact]
    public void Plugin_filter_with_a_typed_configuration_builds_and_passes_its_tests()
    {
        string solution = BuildAndTest("MyConfigured", "--plugin");
        string plugin = File.ReadAllText(Path.Combine(solution, "MyConfigured", "MyConfiguredPlugin.cs"));
        Assert.Contains("public bool Configure(MyConfiguredConfiguration configuration)", plugin, StringComparison.Ordinal);
        Assert.Contains("internal sealed partial class MyConfiguredJson : JsonSerializerContext", plugin, StringComparison.Ordinal);
        PrintTimings();
    }

    [SkippableFact]
    public void Network_filter_with_a_plugin_builds_and_passes_its_tests()
    {
        string solution = BuildAndTest("MyTcpLimit", "--kind", "network", "--plugin");
        Assert.Contains("Plugin = typeof(MyTcpLimitPlugin)", File.ReadAllText(Path.Combine(solution, "MyTcpLimit", "MyTcpLimit.cs")), StringComparison.Ordinal);
        PrintTimings();
    }

    /// <summary>A hand-written project with nothing but the package reference: NuGet's restore never sees the package's
    /// PublishAot, so `-r linux-x64` alone stops with the line to add (instead of publishing a managed library), and
    /// with PublishAot on the command line the package's settings make the module.</summary>
    [SkippableFact]
    public void A_project_with_only_the_package_reference_is_told_what_to_add_and_publishes_with_PublishAot()
    {
        _ = feed.Packed;
        string project = Path.Combine(feed.Work, "Bare");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Bare.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ProxyWasm.Runtime" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Bare.cs"), """
            using ProxyWasm;

            [HttpFilter("bare")]
            public partial class Bare
            {
                [OnRequestHeaders]
                public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers) => FilterHeadersStatus.Continue;
            }
            """);

        ProcessResult refused = feed.Dotnet("dotnet publish Bare -r linux-x64 (no PublishAot)", project,
            "publish", "-r", "linux-x64", "-c", "Release", "--disable-build-servers", "-nologo");
        PackagedFeed.SkipIfRegistryUnreachable(refused);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("<PublishAot Condition=\"'$(RuntimeIdentifier)' == 'linux-x64'\">true</PublishAot>", refused.Output, StringComparison.Ordinal);

        ProcessResult publish = feed.Dotnet("dotnet publish Bare -r linux-x64 -p:PublishAot=true", project,
            "publish", "-r", "linux-x64", "-c", "Release", "-p:PublishAot=true", "--disable-build-servers", "-nologo");
        SkipIfNativeToolchainMissing(publish);
        Assert.True(publish.ExitCode == 0, publish.Describe());
        string library = Path.Combine(project, "bin", "Release", "net10.0", "linux-x64", "publish", "Bare.so");
        Assert.Equal(
            new[] { AbiMarker, "proxy_on_memory_allocate", "proxy_on_request_headers" },
            Symbols.DynamicDefined(library).Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));
        PrintTimings();
    }

    [SkippableFact]
    public void The_tool_installs_from_the_feed_and_answers_help()
    {
        string tool = feed.Tool();
        ProcessResult help = feed.Timed("proxywasm --help", () => ProcessRunner.Run(tool, ["--help"], feed.Work, TimeSpan.FromMinutes(2)));
        Assert.True(help.ExitCode == 0, help.Describe());
        Assert.Contains("run", help.StandardOutput, StringComparison.Ordinal);
        PrintTimings();
    }

    /// <summary>The installed tool loads a .wasm module with Wasmtime (its native library resolved from the tool
    /// package): inspect gives Envoy's verdict, run sends the request through it. The module is the smallest one Envoy
    /// loads, written byte by byte: memory, the ABI marker and an allocator, no callback.</summary>
    [SkippableFact]
    public void The_tool_inspects_and_runs_a_wasm_module()
    {
        string tool = feed.Tool();
        string module = Path.Combine(feed.Work, "minimal.wasm");
        File.WriteAllBytes(module,
        [
            .. "\0asm"u8, 1, 0, 0, 0,
            1, 9, 2, 0x60, 0, 0, 0x60, 1, 0x7F, 1, 0x7F, // types: () -> (), (i32) -> i32
            3, 3, 2, 0, 1, // functions
            5, 3, 1, 0, 1, // memory: 1 page
            7, 63, 3, 23, .. "proxy_abi_version_0_2_1"u8, 0, 0, 24, .. "proxy_on_memory_allocate"u8, 0, 1, 6, .. "memory"u8, 2, 0,
            10, 9, 2, 2, 0, 0x0B, 4, 0, 0x41, 0, 0x0B, // code
        ]);

        ProcessResult inspect = feed.Timed("proxywasm inspect minimal.wasm", () => ProcessRunner.Run(tool, ["inspect", module], feed.Work, TimeSpan.FromMinutes(2)));
        Assert.True(inspect.ExitCode == 0, inspect.Describe());
        Assert.Contains("Envoy would load this: yes (Proxy-Wasm ABI 0.2.1)", inspect.StandardOutput, StringComparison.Ordinal);

        ProcessResult run = feed.Timed("proxywasm run --wasm minimal.wasm", () => ProcessRunner.Run(tool, ["run", "--wasm", module, "--authority", "wasm.example"], feed.Work, TimeSpan.FromMinutes(2)));
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("wasm module minimal.wasm (Proxy-Wasm ABI 0.2.1, run with Wasmtime)", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("request sent upstream (+ added or changed, - removed):", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(":authority: wasm.example", run.StandardOutput, StringComparison.Ordinal);
        PrintTimings();
    }

    /// <summary>`proxywasm run` on the template's filter project: a request through the filter in the in-process host,
    /// whose output shows the header the filter adds.</summary>
    [SkippableFact]
    public void The_tool_runs_the_template_filter_on_a_request()
    {
        string tool = feed.Tool();
        string project = Path.Combine(feed.Instance("MyFilter"), "MyFilter");
        ProcessResult run = feed.Timed("proxywasm run MyFilter", () => ProcessRunner.Run(tool, ["run", project], feed.Work, TimeSpan.FromMinutes(5)));
        output.WriteLine(run.Describe());
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("x-my-filter", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Hello from MyFilter", run.StandardOutput, StringComparison.Ordinal);
        PrintTimings();
    }

    /// <summary>The deployment step a wasi-wasm publish ends with (ProxyWasmWriteDeployment in the package's
    /// ProxyWasm.Wasm.targets), run on its own: there is no NativeAOT-LLVM here, so the module is the smallest valid core
    /// module (its 8-byte header) and the assembly the template's Debug build. The installed tool writes the OCI layout
    /// and the manifests under publish/deploy/.</summary>
    [SkippableFact]
    public void The_wasm_publish_step_writes_the_oci_layout_and_the_manifests()
    {
        string tool = feed.Tool();
        string solution = feed.Instance("MyFilter");
        string project = Path.Combine(solution, "MyFilter");
        ProcessResult build = feed.Dotnet("dotnet build MyFilter (for the deployment step)", solution, "build", "--disable-build-servers", "-nologo");
        Assert.True(build.ExitCode == 0, build.Describe());
        string assembly = Path.Combine(project, "bin", "Debug", "net10.0", "MyFilter.dll");
        string module = Path.Combine(feed.Work, "empty-module.wasm");
        File.WriteAllBytes(module, [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
        string publishDir = Path.Combine(feed.Work, "wasm-publish") + Path.DirectorySeparatorChar;

        ProcessResult step = feed.Dotnet("dotnet msbuild -t:ProxyWasmWriteDeployment", solution,
            "msbuild", Path.Combine("MyFilter", "MyFilter.csproj"), "-t:ProxyWasmWriteDeployment", "-p:RuntimeIdentifier=wasi-wasm",
            $"-p:ProxyWasmModule={module}", $"-p:ProxyWasmFilterAssembly={assembly}", $"-p:ProxyWasmTool={tool}",
            $"-p:PublishDir={publishDir}", "-p:ProxyWasmImage=myfilter:0.1.0", "-nologo");
        output.WriteLine(step.Describe());
        Assert.True(step.ExitCode == 0, step.Describe());

        string index = File.ReadAllText(Path.Combine(publishDir, "deploy", "oci", "index.json"));
        Assert.Contains("\"org.opencontainers.image.ref.name\":\"0.1.0\"", index.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        string wasmPlugin = File.ReadAllText(Path.Combine(publishDir, "deploy", "manifests", "wasmplugin.yaml"));
        Assert.Contains("pluginName: my_filter", wasmPlugin, StringComparison.Ordinal);
        Assert.Contains("url: oci://myfilter:0.1.0", wasmPlugin, StringComparison.Ordinal);

        // Off switch: nothing runs, nothing is written.
        string offDir = Path.Combine(feed.Work, "wasm-publish-off") + Path.DirectorySeparatorChar;
        ProcessResult off = feed.Dotnet("dotnet msbuild -t:ProxyWasmWriteDeployment (off)", solution,
            "msbuild", Path.Combine("MyFilter", "MyFilter.csproj"), "-t:ProxyWasmWriteDeployment", "-p:RuntimeIdentifier=wasi-wasm",
            "-p:ProxyWasmWriteDeployment=false", $"-p:ProxyWasmModule={module}", $"-p:PublishDir={offDir}", "-nologo");
        Assert.True(off.ExitCode == 0, off.Describe());
        Assert.False(Directory.Exists(Path.Combine(offDir, "deploy")));
        PrintTimings();
    }

    /// <summary>`dotnet new proxywasm-filter -n <paramref name="name"/>`, then `dotnet build` and `dotnet test` in the
    /// folder it wrote, as a user would: warning-free, every generated test passing. Returns that folder.</summary>
    private string BuildAndTest(string name, params string[] options)
    {
        string solution = feed.Instance(name, options);
        Assert.True(File.Exists(Path.Combine(solution, name + ".sln")), $"No {name}.sln in {solution}.");
        string filterProject = File.ReadAllText(Path.Combine(solution, name, name + ".csproj"));
        Assert.Contains($"<PackageReference Include=\"ProxyWasm.Runtime\" Version=\"{feed.Version}\" />", filterProject, StringComparison.Ordinal);
        Assert.Contains("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>", filterProject, StringComparison.Ordinal);
        Assert.Contains($"<PackageReference Include=\"ProxyWasm.Testing\" Version=\"{feed.Version}\" />",
            File.ReadAllText(Path.Combine(solution, name + ".Tests", name + ".Tests.csproj")), StringComparison.Ordinal);

        ProcessResult build = feed.Dotnet($"dotnet build ({name})", solution, "build", "--disable-build-servers", "-nologo");
        PackagedFeed.SkipIfRegistryUnreachable(build);
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.True(build.WarningLines().Count == 0, "Building printed warnings:\n" + string.Join('\n', build.WarningLines()));

        ProcessResult test = feed.Dotnet($"dotnet test ({name})", solution, "test", "--disable-build-servers", "-nologo");
        Assert.True(test.ExitCode == 0, test.Describe());
        Match summary = Regex.Match(test.StandardOutput, @"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+(\d+)");
        Assert.True(summary.Success && int.Parse(summary.Groups[1].Value) > 0, test.Describe());
        output.WriteLine($"{name}: {summary.Value}");
        return solution;
    }

    /// <summary>The names of the methods an assembly of the package defines (its metadata, not its code).</summary>
    private static IReadOnlyList<string> MethodNames(ZipArchive zip, string entry)
    {
        using var bytes = new MemoryStream();
        using (Stream stream = zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException($"No {entry} in the package."))
        {
            stream.CopyTo(bytes);
        }

        bytes.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(bytes);
        System.Reflection.Metadata.MetadataReader metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.MethodDefinitions.Select(h => metadata.GetString(metadata.GetMethodDefinition(h).Name)).ToList();
    }

    private static string Read(ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException($"No {entry} in the package."));
        return reader.ReadToEnd();
    }

    /// <summary>NativeAOT links with the platform C toolchain and strips with objcopy; the native tests skip the same way.</summary>
    private static void SkipIfNativeToolchainMissing(ProcessResult publish)
    {
        string[] missing = publish.Output.Split('\n')
            .Where(line => line.Contains("error", StringComparison.Ordinal)
                && (line.Contains("Platform linker (", StringComparison.Ordinal) || line.Contains("Requested linker (", StringComparison.Ordinal) || line.Contains("Symbol stripping tool", StringComparison.Ordinal)))
            .Select(line => line.Trim()).Distinct().ToArray();
        Skip.If(missing.Length > 0, "NativeAOT needs a C toolchain (clang or gcc) and objcopy on PATH:\n" + string.Join('\n', missing));
        PackagedFeed.SkipIfRegistryUnreachable(publish);
    }

    private void PrintTimings() => output.WriteLine("Timings so far:\n  " + string.Join("\n  ", feed.Timings));
}
