using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using ProxyWasm.Cli.Commands;
using Xunit;

namespace ProxyWasm.Cli.Tests;

/// <summary>
/// <c>proxywasm oci</c>: the OCI image layout it writes, checked by reading it back (every digest and size recomputed)
/// and with skopeo and umoci when they are installed. One class: the tests that set SOURCE_DATE_EPOCH must not run
/// beside the others.
/// </summary>
public sealed class OciTests
{
    private const string TarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    private const string WasmLayer = "application/vnd.module.wasm.content.layer.v1+wasm";
    private const string WasmConfig = "application/vnd.module.wasm.config.v1+json";

    [Fact]
    public void Docker_format_is_an_OCI_image_with_one_tar_gzip_layer_holding_plugin_wasm()
    {
        using var temp = new TempDirectory();
        byte[] module = WriteModule(temp, TestModules.WithAbiExport);
        var (exit, stdout, stderr) = Oci(temp["plugin.wasm"], "--image", "registry.example.com/filters/hello:1.0", "--output", temp["layout"], "--root-id", "hello_world");
        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stderr);

        Layout layout = Layout.Read(temp["layout"]);
        Assert.Equal("1.0", layout.RefName);
        JsonElement manifest = layout.Manifest;
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifest.GetProperty("mediaType").GetString());
        Assert.Equal("compat", manifest.GetProperty("annotations").GetProperty("module.wasm.image/variant").GetString());
        Assert.Equal("1970-01-01T00:00:00Z", manifest.GetProperty("annotations").GetProperty("org.opencontainers.image.created").GetString());
        Assert.Equal("application/vnd.oci.image.config.v1+json", manifest.GetProperty("config").GetProperty("mediaType").GetString());
        JsonElement layer = Assert.Single(manifest.GetProperty("layers").EnumerateArray());
        Assert.Equal(TarGzip, layer.GetProperty("mediaType").GetString());

        byte[] tar = Gunzip(layout.Blob(layer));
        Dictionary<string, byte[]> files = ReadTar(tar);
        Assert.Equal(["plugin.wasm", "runtime-config.json"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(module, files["plugin.wasm"]);
        using (JsonDocument runtime = JsonDocument.Parse(files["runtime-config.json"]))
        {
            Assert.Equal("envoy_proxy", runtime.RootElement.GetProperty("type").GetString());
            Assert.Equal(["proxy_abi_version_0_2_1"], runtime.RootElement.GetProperty("abiVersions").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["hello_world"], runtime.RootElement.GetProperty("config").GetProperty("root_ids").EnumerateArray().Select(e => e.GetString()));
        }

        using JsonDocument config = JsonDocument.Parse(layout.Blob(manifest.GetProperty("config")));
        Assert.Equal("sha256:" + TestModules.Sha256(tar), Assert.Single(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray()).GetString());
        Assert.Equal("wasm", config.RootElement.GetProperty("architecture").GetString());
        Assert.Contains(layout.ManifestDigest[7..], stdout);
        Assert.Contains("skopeo copy oci:", stdout);
    }

    [Fact]
    public void Wasm_format_is_the_two_layer_Wasm_artifact_Istio_expects()
    {
        using var temp = new TempDirectory();
        byte[] module = WriteModule(temp, TestModules.WithAbiExport);
        var (exit, _, stderr) = Oci(temp["plugin.wasm"], "--image", "hello:v2", "--output", temp["layout"], "--format", "wasm");
        Assert.True(exit == 0, stderr);

        Layout layout = Layout.Read(temp["layout"]);
        Assert.Equal("v2", layout.RefName);
        JsonElement manifest = layout.Manifest;
        Assert.Equal(WasmConfig, manifest.GetProperty("config").GetProperty("mediaType").GetString());
        JsonElement[] layers = manifest.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal([WasmConfig, WasmLayer], layers.Select(l => l.GetProperty("mediaType").GetString()));
        Assert.Equal(["runtime-config.json", "plugin.wasm"], layers.Select(l => l.GetProperty("annotations").GetProperty("org.opencontainers.image.title").GetString()));
        Assert.Equal(module, layout.Blob(layers[1]));
        Assert.Equal(manifest.GetProperty("config").GetProperty("digest").GetString(), layers[0].GetProperty("digest").GetString());
        Assert.False(manifest.TryGetProperty("annotations", out JsonElement a) && a.TryGetProperty("module.wasm.image/variant", out _));
        using JsonDocument runtime = JsonDocument.Parse(layout.Blob(layers[0]));
        Assert.Equal(0, runtime.RootElement.GetProperty("config").GetProperty("root_ids").GetArrayLength());
    }

    [Fact]
    public void Output_is_deterministic_and_follows_SOURCE_DATE_EPOCH()
    {
        using var temp = new TempDirectory();
        WriteModule(temp, TestModules.WithAbiExport);
        string[] Args(string name) => [temp["plugin.wasm"], "--image", "hello:1", "--output", temp[name], "--tar", temp[name + ".tar"]];
        Assert.Equal(0, Oci(Args("a")).Exit);
        Assert.Equal(0, Oci(Args("b")).Exit);
        Assert.Equal(Snapshot(temp["a"]), Snapshot(temp["b"]));
        Assert.Equal(File.ReadAllBytes(temp["a.tar"]), File.ReadAllBytes(temp["b.tar"]));

        string? previous = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        try
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "1700000000");
            Assert.Equal(0, Oci(Args("c")).Exit);
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "soon");
            var (exit, _, stderr) = Oci(Args("d"));
            Assert.Equal(2, exit);
            Assert.Contains("SOURCE_DATE_EPOCH", stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", previous);
        }

        Layout c = Layout.Read(temp["c"]);
        Assert.Equal("2023-11-14T22:13:20Z", c.Manifest.GetProperty("annotations").GetProperty("org.opencontainers.image.created").GetString());
        Assert.NotEqual(Layout.Read(temp["a"]).ManifestDigest, c.ManifestDigest);
    }

    [Fact]
    public void Tar_holds_the_layout_files_sorted()
    {
        using var temp = new TempDirectory();
        WriteModule(temp, TestModules.Empty);
        Assert.Equal(0, Oci(temp["plugin.wasm"], "--image", "hello:1", "--output", temp["layout"], "--tar", temp["out/hello.tar"]).Exit);

        var names = new List<string>();
        using (FileStream stream = File.OpenRead(temp["out/hello.tar"]))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name);
                Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
                if (entry.EntryType == TarEntryType.RegularFile)
                {
                    using var content = new MemoryStream();
                    entry.DataStream!.CopyTo(content);
                    Assert.Equal(File.ReadAllBytes(Path.Combine(temp["layout"], entry.Name)), content.ToArray());
                }
            }
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        string[] blobs = Directory.GetFiles(temp["layout/blobs/sha256"]).Select(f => "blobs/sha256/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["blobs/", "blobs/sha256/", .. blobs, "index.json", "oci-layout"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_existing_layout_is_replaced_and_other_directories_are_refused()
    {
        using var temp = new TempDirectory();
        WriteModule(temp, TestModules.Empty);
        Assert.Equal(0, Oci(temp["plugin.wasm"], "--image", "hello:1", "--output", temp["layout"], "--format", "wasm").Exit);
        Assert.Equal(0, Oci(temp["plugin.wasm"], "--image", "hello:2", "--output", temp["layout"]).Exit);
        Layout layout = Layout.Read(temp["layout"]);
        Assert.Equal("2", layout.RefName);
        Assert.Equal(3, Directory.GetFiles(temp["layout/blobs/sha256"]).Length);

        Directory.CreateDirectory(temp["busy"]);
        File.WriteAllText(temp["busy/notes.txt"], "mine");
        var (exit, _, stderr) = Oci(temp["plugin.wasm"], "--image", "hello:1", "--output", temp["busy"]);
        Assert.Equal(2, exit);
        Assert.Contains("not an OCI image layout", stderr);
        Assert.True(File.Exists(temp["busy/notes.txt"]));
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0 }, "not a WebAssembly module: it starts with 7F 45 4C 46")]
    [InlineData(new byte[] { 0, 0x61, 0x73 }, "not a WebAssembly module")]
    [InlineData(new byte[0], "the file is empty")]
    [InlineData(new byte[] { 0, 0x61, 0x73, 0x6D, 2, 0, 0, 0 }, "WebAssembly version 2, not 1")]
    [InlineData(new byte[] { 0, 0x61, 0x73, 0x6D, 0x0D, 0, 1, 0 }, "a WebAssembly component")]
    [InlineData(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 9, 0 }, "past the end of the file")]
    public void A_file_that_is_not_a_wasm_core_module_is_refused(byte[] content, string message)
    {
        using var temp = new TempDirectory();
        WriteModule(temp, content);
        var (exit, stdout, stderr) = Oci(temp["plugin.wasm"], "--image", "hello:1", "--output", temp["layout"]);
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        AssertOneLine(stderr, message);
        Assert.False(Directory.Exists(temp["layout"]));
    }

    [Theory]
    [InlineData("missing.wasm|--image|hello:1|--output|o", "no such file")]
    [InlineData("|--image|hello:1|--output|o", "missing plugin.wasm")]
    [InlineData("plugin.wasm|--output|o", "--image is required")]
    [InlineData("plugin.wasm|--image|hello:1", "--output is required")]
    [InlineData("plugin.wasm|--image|--output|o", "--image needs a value")]
    [InlineData("plugin.wasm|--image|Hello:1|--output|o", "'Hello' is not a valid repository name component")]
    [InlineData("plugin.wasm|--image|hello@sha256:00|--output|o", "not a digest")]
    [InlineData("plugin.wasm|--image|hello:-x|--output|o", "is not a valid tag")]
    [InlineData("plugin.wasm|--image|hello:1|--output|o|--format|zip", "--format 'zip' is not one of docker, wasm")]
    [InlineData("plugin.wasm|--image|hello:1|--output|o|--tag|x", "unknown option '--tag'")]
    [InlineData("plugin.wasm|other.wasm|--image|hello:1|--output|o", "unexpected argument 'other.wasm'")]
    public void Usage_errors_exit_2_with_one_line(string args, string message)
    {
        using var temp = new TempDirectory();
        WriteModule(temp, TestModules.Empty);
        string[] argv = args.Split('|').Select(a => a is "plugin.wasm" or "missing.wasm" or "o" ? temp[a] : a).Where(a => a.Length > 0).ToArray();
        var (exit, _, stderr) = Oci(argv);
        Assert.Equal(2, exit);
        AssertOneLine(stderr, message);
    }

    [Theory]
    [InlineData("registry.example.com:5000/a/b-c:1.0", "registry.example.com:5000/a/b-c", "1.0")]
    [InlineData("oci://ghcr.io/org/filter:v1", "ghcr.io/org/filter", "v1")]
    [InlineData("localhost/filter", "localhost/filter", "latest")]
    [InlineData("hello", "hello", "latest")]
    public void Image_references_are_split_into_repository_and_tag(string reference, string repository, string tag) =>
        Assert.Equal((repository, tag), OciCommand.ParseReference(reference));

    [SkippableTheory]
    [InlineData("docker")]
    [InlineData("wasm")]
    public void Skopeo_reads_the_layout_and_copies_the_same_blobs(string format)
    {
        string skopeo = ExternalTool.Require("skopeo");
        using var temp = new TempDirectory();
        WriteModule(temp, TestModules.WithAbiExport);
        Assert.Equal(0, Oci(temp["plugin.wasm"], "--image", "registry.example.com/hello:1.0", "--output", temp["layout"], "--tar", temp["hello.tar"], "--format", format).Exit);
        Layout layout = Layout.Read(temp["layout"]);
        string moduleLayer = layout.Manifest.GetProperty("layers").EnumerateArray().Last().GetProperty("digest").GetString()!;

        // skopeo inspect decodes an image config; for the artifact (config application/vnd.module.wasm.config.v1+json)
        // it refuses ("unsupported image-specific operation on artifact"), so the raw manifest is read instead.
        if (format == "docker")
        {
            var inspect = ExternalTool.Run(skopeo, "inspect", $"oci:{temp["layout"]}:1.0");
            Assert.True(inspect.Exit == 0, $"{ExternalTool.Version(skopeo)}: {inspect.Err}");
            using JsonDocument info = JsonDocument.Parse(inspect.Out);
            Assert.Equal(layout.ManifestDigest, info.RootElement.GetProperty("Digest").GetString());
            Assert.Equal([moduleLayer], info.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
            Assert.Equal("wasm", info.RootElement.GetProperty("Architecture").GetString());
        }

        foreach (string source in new[] { $"oci:{temp["layout"]}:1.0", $"oci-archive:{temp["hello.tar"]}:1.0" })
        {
            var raw = ExternalTool.Run(skopeo, "inspect", "--raw", source);
            Assert.True(raw.Exit == 0, $"{ExternalTool.Version(skopeo)}: {raw.Err}");
            Assert.Equal(layout.ManifestBytes, System.Text.Encoding.UTF8.GetBytes(raw.Out));
        }

        var copy = ExternalTool.Run(skopeo, "copy", "--quiet", $"oci:{temp["layout"]}:1.0", $"dir:{temp["copy"]}");
        Assert.True(copy.Exit == 0, $"{ExternalTool.Version(skopeo)}: {copy.Err}");
        Assert.Equal(layout.ManifestBytes, File.ReadAllBytes(temp["copy/manifest.json"]));
        string[] copied = Directory.GetFiles(temp["copy"]).Select(Path.GetFileName).Where(n => n!.Length == 64).Order(StringComparer.Ordinal).ToArray()!;
        string[] ours = Directory.GetFiles(temp["layout/blobs/sha256"]).Select(Path.GetFileName).Where(n => n != layout.ManifestDigest[7..]).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(ours, copied);
        foreach (string hex in copied)
        {
            Assert.Equal(File.ReadAllBytes(temp["layout/blobs/sha256/" + hex]), File.ReadAllBytes(temp["copy/" + hex]));
        }
    }

    [SkippableFact]
    public void Umoci_unpacks_plugin_wasm_from_the_docker_format()
    {
        string umoci = ExternalTool.Require("umoci");
        using var temp = new TempDirectory();
        byte[] module = WriteModule(temp, TestModules.WithAbiExport);
        Assert.Equal(0, Oci(temp["plugin.wasm"], "--image", "hello:1.0", "--output", temp["layout"]).Exit);
        Layout layout = Layout.Read(temp["layout"]);

        var stat = ExternalTool.Run(umoci, "stat", "--image", $"{temp["layout"]}:1.0");
        Assert.True(stat.Exit == 0, $"{ExternalTool.Version(umoci)}: {stat.Err}");
        Assert.Contains(layout.Manifest.GetProperty("layers")[0].GetProperty("digest").GetString()!, stat.Out);
        Assert.Contains("proxywasm oci", stat.Out);

        // `umoci unpack` also writes an OCI runtime config.json, which it cannot for os "wasip1"; the rootfs is what
        // Istio reads, and `raw unpack` extracts only that.
        var unpack = ExternalTool.Run(umoci, "raw", "unpack", "--rootless", "--image", $"{temp["layout"]}:1.0", temp["rootfs"]);
        Assert.True(unpack.Exit == 0, $"{ExternalTool.Version(umoci)}: {unpack.Err}");
        Assert.Equal(module, File.ReadAllBytes(temp["rootfs/plugin.wasm"]));
        Assert.True(File.Exists(temp["rootfs/runtime-config.json"]));
    }

    [SkippableFact]
    public void A_module_built_by_wat2wasm_is_accepted()
    {
        string wat2wasm = ExternalTool.Require("wat2wasm");
        using var temp = new TempDirectory();
        File.WriteAllText(temp["plugin.wat"], "(module (func (export \"proxy_abi_version_0_2_1\")) (memory (export \"memory\") 1))");
        var built = ExternalTool.Run(wat2wasm, temp["plugin.wat"], "-o", temp["plugin.wasm"]);
        Assert.True(built.Exit == 0, built.Err);
        var (exit, stdout, stderr) = Oci(temp["plugin.wasm"], "--image", "hello:1", "--output", temp["layout"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("proxy_abi_version_0_2_1", stdout);
    }

    private static (int Exit, string Out, string Err) Oci(params string[] args) => CommandRun.Run(OciCommand.Create(), args);

    private static byte[] WriteModule(TempDirectory temp, byte[] module)
    {
        File.WriteAllBytes(temp["plugin.wasm"], module);
        return module;
    }

    internal static void AssertOneLine(string stderr, string contains)
    {
        Assert.StartsWith("proxywasm: ", stderr);
        Assert.Contains(contains, stderr);
        Assert.Single(stderr.TrimEnd('\n', '\r').Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static Dictionary<string, byte[]> ReadTar(byte[] tar)
    {
        var files = new Dictionary<string, byte[]>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            Assert.Equal(0, entry.Uid);
            Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            files[entry.Name] = content.ToArray();
        }

        return files;
    }

    private static SortedDictionary<string, string> Snapshot(string directory) =>
        new(Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => TestModules.Sha256(File.ReadAllBytes(f))), StringComparer.Ordinal);

    /// <summary>An OCI image layout read back, with every blob's digest and size checked against its descriptor.</summary>
    private sealed class Layout
    {
        private readonly string _directory;

        private Layout(string directory, JsonElement index, byte[] manifest)
        {
            _directory = directory;
            JsonElement entry = Assert.Single(index.GetProperty("manifests").EnumerateArray());
            RefName = entry.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!;
            ManifestDigest = entry.GetProperty("digest").GetString()!;
            ManifestBytes = manifest;
            Manifest = JsonDocument.Parse(manifest).RootElement;
        }

        public string RefName { get; }

        public string ManifestDigest { get; }

        public byte[] ManifestBytes { get; }

        public JsonElement Manifest { get; }

        public static Layout Read(string directory)
        {
            Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(directory, "oci-layout")));
            foreach (string blob in Directory.GetFiles(Path.Combine(directory, "blobs", "sha256")))
            {
                Assert.Equal(Path.GetFileName(blob), TestModules.Sha256(File.ReadAllBytes(blob)));
            }

            JsonElement index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "index.json"))).RootElement;
            Assert.Equal(2, index.GetProperty("schemaVersion").GetInt32());
            JsonElement entry = index.GetProperty("manifests")[0];
            var layout = new Layout(directory, index, ReadBlob(directory, entry));
            Assert.Equal(2, layout.Manifest.GetProperty("schemaVersion").GetInt32());
            layout.Blob(layout.Manifest.GetProperty("config"));
            foreach (JsonElement layer in layout.Manifest.GetProperty("layers").EnumerateArray())
            {
                layout.Blob(layer);
            }

            return layout;
        }

        public byte[] Blob(JsonElement descriptor) => ReadBlob(_directory, descriptor);

        private static byte[] ReadBlob(string directory, JsonElement descriptor)
        {
            string digest = descriptor.GetProperty("digest").GetString()!;
            Assert.StartsWith("sha256:", digest);
            byte[] content = File.ReadAllBytes(Path.Combine(directory, "blobs", "sha256", digest[7..]));
            Assert.Equal(digest[7..], TestModules.Sha256(content));
            Assert.Equal(content.LongLength, descriptor.GetProperty("size").GetInt64());
            return content;
        }
    }
}
