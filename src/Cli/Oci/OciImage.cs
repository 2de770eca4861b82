using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ProxyWasm.Cli.Oci;

/// <summary>The two image formats Istio's Wasm image fetcher (istio/istio <c>pkg/wasm/imagefetcher.go</c>) accepts.</summary>
internal enum OciFormat
{
    /// <summary>
    /// The <em>compat</em> variant (solo-io/wasm <c>spec/spec-compat.md</c>): an ordinary OCI container image whose one
    /// layer (<c>application/vnd.oci.image.layer.v1.tar+gzip</c>) is a tar.gz holding <c>plugin.wasm</c> (and
    /// <c>runtime-config.json</c>); the manifest has the annotation <c>module.wasm.image/variant=compat</c>. What
    /// <c>docker build</c> of <c>FROM scratch / COPY plugin.wasm ./</c> gives, in OCI media types.
    /// </summary>
    Docker,

    /// <summary>
    /// The <em>oci</em> variant (solo-io/wasm <c>spec/spec.md</c>): an artifact with the config
    /// <c>application/vnd.module.wasm.config.v1+json</c> and exactly two layers, that config
    /// (<c>runtime-config.json</c>) and the raw module (<c>application/vnd.module.wasm.content.layer.v1+wasm</c>).
    /// Istio requires the two layers (<c>extractOCIArtifactImage</c>: "number of layers must be 2").
    /// </summary>
    Wasm,
}

/// <summary>One content-addressed blob of an image.</summary>
/// <param name="MediaType">The media type its descriptor carries.</param>
/// <param name="Content">The bytes.</param>
internal sealed record OciBlob(string MediaType, byte[] Content)
{
    /// <summary>The lower-case hex SHA-256 of <see cref="Content"/>.</summary>
    public string Hex { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary><c>sha256:</c> and <see cref="Hex"/>.</summary>
    public string Digest => "sha256:" + Hex;

    /// <summary>The size in bytes.</summary>
    public long Size => Content.LongLength;
}

/// <summary>What the image is built from.</summary>
/// <param name="Module">The wasm module bytes (already validated).</param>
/// <param name="Info">What <see cref="WasmModule.Read"/> found in it.</param>
/// <param name="Tag">The tag, written as <c>org.opencontainers.image.ref.name</c> in <c>index.json</c>.</param>
/// <param name="Format">The image format.</param>
/// <param name="Created">The creation time written everywhere a time appears (fixed: reproducible output).</param>
/// <param name="RootIds">Root ids for <c>runtime-config.json</c> (may be empty).</param>
internal sealed record OciImageOptions(byte[] Module, WasmModuleInfo Info, string Tag, OciFormat Format, DateTimeOffset Created, IReadOnlyList<string> RootIds);

/// <summary>
/// An image for Istio's WasmPlugin, built in memory: blobs, manifest and the <c>index.json</c> of an OCI image layout
/// (OCI image-spec v1.0 <c>image-layout.md</c>). Every byte is a function of the inputs: JSON written in a fixed
/// property order without whitespace, tar entries sorted with owner 0 and the fixed time, gzip without a name, time or
/// OS (<see cref="Gzip"/>).
/// </summary>
internal sealed class OciImage
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";
    public const string ImageConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string TarGzipLayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string WasmConfigMediaType = "application/vnd.module.wasm.config.v1+json";
    public const string WasmLayerMediaType = "application/vnd.module.wasm.content.layer.v1+wasm";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string CreatedAnnotation = "org.opencontainers.image.created";
    public const string TitleAnnotation = "org.opencontainers.image.title";
    public const string VariantAnnotation = "module.wasm.image/variant";
    public const string ModuleFileName = "plugin.wasm";
    public const string RuntimeConfigFileName = "runtime-config.json";

    private OciImage(OciBlob config, IReadOnlyList<OciBlob> layers, OciBlob manifest, byte[] index, OciFormat format)
    {
        Config = config;
        Layers = layers;
        Manifest = manifest;
        Index = index;
        Format = format;
    }

    /// <summary>The config blob (an OCI image config, or the wasm runtime config).</summary>
    public OciBlob Config { get; }

    /// <summary>The layer blobs, in manifest order.</summary>
    public IReadOnlyList<OciBlob> Layers { get; }

    /// <summary>The image manifest.</summary>
    public OciBlob Manifest { get; }

    /// <summary>The bytes of <c>index.json</c>.</summary>
    public byte[] Index { get; }

    /// <summary>The format it was built in.</summary>
    public OciFormat Format { get; }

    /// <summary>The layer holding the module (as <c>plugin.wasm</c> in a tar.gz, or raw).</summary>
    public OciBlob ModuleLayer => Layers[^1];

    /// <summary>Every distinct blob, sorted by digest (the order they are written in).</summary>
    public IReadOnlyList<OciBlob> Blobs =>
        Layers.Append(Config).Append(Manifest).DistinctBy(b => b.Hex).OrderBy(b => b.Hex, StringComparer.Ordinal).ToArray();

    /// <summary>The bytes of the <c>oci-layout</c> file.</summary>
    public static byte[] LayoutFile => "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray();

    /// <summary>Builds the image.</summary>
    public static OciImage Build(OciImageOptions options)
    {
        string created = options.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        byte[] runtimeConfig = RuntimeConfig(options);

        OciBlob config;
        OciBlob[] layers;
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [CreatedAnnotation] = created };
        if (options.Format == OciFormat.Docker)
        {
            byte[] tar = DeterministicTar.Create(
                [new(ModuleFileName, options.Module), new(RuntimeConfigFileName, runtimeConfig)], options.Created);
            var layer = new OciBlob(TarGzipLayerMediaType, Gzip(tar));
            string diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar));
            config = new OciBlob(ImageConfigMediaType, Json(w =>
            {
                w.WriteString("created", created);
                w.WriteString("architecture", "wasm");
                w.WriteString("os", "wasip1");
                w.WriteStartObject("config");
                w.WriteEndObject();
                w.WriteStartObject("rootfs");
                w.WriteString("type", "layers");
                w.WriteStartArray("diff_ids");
                w.WriteStringValue(diffId);
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartArray("history");
                w.WriteStartObject();
                w.WriteString("created", created);
                w.WriteString("created_by", "proxywasm oci --format docker");
                w.WriteString("comment", "plugin.wasm and runtime-config.json");
                w.WriteEndObject();
                w.WriteEndArray();
            }));
            layers = [layer];
            annotations[VariantAnnotation] = "compat";
        }
        else
        {
            config = new OciBlob(WasmConfigMediaType, runtimeConfig);
            layers = [config, new OciBlob(WasmLayerMediaType, options.Module)];
        }

        var manifest = new OciBlob(ManifestMediaType, Json(w =>
        {
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", ManifestMediaType);
            w.WritePropertyName("config");
            Descriptor(w, config, null);
            w.WriteStartArray("layers");
            foreach (OciBlob layer in layers)
            {
                string? title = options.Format == OciFormat.Docker ? null
                    : layer.MediaType == WasmLayerMediaType ? ModuleFileName : RuntimeConfigFileName;
                Descriptor(w, layer, title is null ? null : new SortedDictionary<string, string>(StringComparer.Ordinal) { [TitleAnnotation] = title });
            }

            w.WriteEndArray();
            Annotations(w, annotations);
        }));

        byte[] index = Json(w =>
        {
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", IndexMediaType);
            w.WriteStartArray("manifests");
            Descriptor(w, manifest, new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [CreatedAnnotation] = created,
                [RefNameAnnotation] = options.Tag,
            });
            w.WriteEndArray();
        });

        return new OciImage(config, layers, manifest, index, options.Format);
    }

    /// <summary>The wasm runtime config of solo-io/wasm <c>spec/spec.md</c> ("Envoy WASM Filter Specification"):
    /// type <c>envoy_proxy</c>, the ABI versions the module exports, and the root ids when known.</summary>
    private static byte[] RuntimeConfig(OciImageOptions options) => Json(w =>
    {
        w.WriteString("type", "envoy_proxy");
        w.WriteStartArray("abiVersions");
        foreach (string abi in options.Info.AbiVersions)
        {
            w.WriteStringValue(abi);
        }

        w.WriteEndArray();
        w.WriteStartObject("config");
        w.WriteStartArray("root_ids");
        foreach (string rootId in options.RootIds)
        {
            w.WriteStringValue(rootId);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void Descriptor(Utf8JsonWriter w, OciBlob blob, SortedDictionary<string, string>? annotations)
    {
        w.WriteStartObject();
        w.WriteString("mediaType", blob.MediaType);
        w.WriteString("digest", blob.Digest);
        w.WriteNumber("size", blob.Size);
        if (annotations is not null)
        {
            Annotations(w, annotations);
        }

        w.WriteEndObject();
    }

    private static void Annotations(Utf8JsonWriter w, SortedDictionary<string, string> annotations)
    {
        w.WriteStartObject("annotations");
        foreach ((string key, string value) in annotations)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// gzip (RFC 1952) of <paramref name="data"/> with a fixed header: no file name, MTIME 0 and OS 255 ("unknown"), so
    /// the digest does not depend on the platform (zlib writes its own OS code there).
    /// </summary>
    internal static byte[] Gzip(byte[] data)
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        byte[] result = stream.ToArray();
        if (result.Length < 18 || result[0] != 0x1F || result[1] != 0x8B || result[2] != 8 || result[3] != 0)
        {
            throw new InvalidOperationException("GZipStream wrote an unexpected gzip header.");
        }

        result[4] = result[5] = result[6] = result[7] = 0; // MTIME
        result[9] = 0xFF; // OS: unknown
        return result;
    }
}

/// <summary>A file of a tar archive.</summary>
/// <param name="Name">The path inside the archive (<c>/</c> separators; a name ending in <c>/</c> is a directory).</param>
/// <param name="Content">The bytes (empty for a directory).</param>
internal sealed record TarFile(string Name, byte[] Content);

/// <summary>Reproducible ustar archives: entries sorted by name, mode 0644 (0755 for directories), owner and group 0
/// without names, and one modification time.</summary>
internal static class DeterministicTar
{
    /// <summary>The archive of <paramref name="files"/>.</summary>
    public static byte[] Create(IEnumerable<TarFile> files, DateTimeOffset modified)
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(stream, System.Formats.Tar.TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (TarFile file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                bool directory = file.Name.EndsWith('/');
                var entry = new System.Formats.Tar.UstarTarEntry(
                    directory ? System.Formats.Tar.TarEntryType.Directory : System.Formats.Tar.TarEntryType.RegularFile, file.Name)
                {
                    Mode = directory
                        ? (UnixFileMode)Convert.ToInt32("755", 8)
                        : (UnixFileMode)Convert.ToInt32("644", 8),
                    Uid = 0,
                    Gid = 0,
                    UserName = string.Empty,
                    GroupName = string.Empty,
                    ModificationTime = modified,
                };
                if (!directory)
                {
                    entry.DataStream = new MemoryStream(file.Content, writable: false);
                }

                writer.WriteEntry(entry);
            }
        }

        return stream.ToArray();
    }
}
