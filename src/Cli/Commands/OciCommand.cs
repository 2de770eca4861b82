using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ProxyWasm.Cli.Oci;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Commands;

/// <summary>
/// <c>proxywasm oci &lt;plugin.wasm&gt; --image &lt;name:tag&gt; --output &lt;dir&gt; [--tar &lt;file&gt;] [--format docker|wasm]</c>:
/// packages a Proxy-Wasm module as an OCI image that Istio's WasmPlugin pulls (<c>url: oci://…</c>), written as an OCI
/// image layout directory and optionally a tar of it, without Docker. docs/deploy-istio.md.
/// </summary>
internal static partial class OciCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        Argument<string> module = CommandInput.File("plugin.wasm", "The Proxy-Wasm module (a WebAssembly core module: \\0asm, version 1).");
        Option<string> image = CommandInput.Text("--image", "name:tag", "The image reference name:tag, e.g. registry.example.com/filters/hello:1.0 (the tag goes into index.json as org.opencontainers.image.ref.name; no tag means 'latest'). Required.");
        Option<string> output = CommandInput.Text("--output", "dir", "The OCI image layout directory to write (new, empty, or an OCI layout, which is replaced). Required.");
        Option<string> tar = CommandInput.Text("--tar", "file", "Also write the layout as one tar archive (skopeo: oci-archive:<file>:<tag>).");
        Option<string> format = CommandInput.Text("--format", "docker|wasm", "docker (default): an OCI image with one tar+gzip layer holding plugin.wasm, the compat variant Istio's fetcher tries first. wasm: the Wasm OCI artifact (config application/vnd.module.wasm.config.v1+json, layer application/vnd.module.wasm.content.layer.v1+wasm).");
        Option<string[]> rootIds = CommandInput.Repeated("--root-id", "id", "A root id the module serves, listed in runtime-config.json (repeatable; metadata only).");

        var command = new Command("oci", "Package plugin.wasm as an OCI image for Istio's WasmPlugin (OCI image layout directory, optional tar); no Docker needed.")
        {
            module, image, output, tar, format, rootIds,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => CommandInput.Run(parse, (stdout, _) =>
        {
            string modulePath = CommandInput.ExistingFile(parse, module, "wasm module");
            (string repository, string tag) = ParseReference(CommandInput.Required(parse, image, "registry.example.com/filters/hello:1.0"));
            string outputDirectory = Path.GetFullPath(CommandInput.Required(parse, output, "./oci"));
            string? tarPath = CommandInput.Optional(parse, tar) is { } t ? Path.GetFullPath(t) : null;
            OciFormat imageFormat = CommandInput.OneOf(CommandInput.Optional(parse, format) ?? "docker", "--format", "docker", "wasm") == "docker"
                ? OciFormat.Docker
                : OciFormat.Wasm;
            IReadOnlyList<string> ids = CommandInput.All(parse, rootIds);
            if (ids.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
            {
                throw CliException.Usage("--root-id needs a value");
            }

            byte[] bytes = File.ReadAllBytes(modulePath);
            WasmModuleInfo info = WasmModule.Read(modulePath, bytes);
            DateTimeOffset created = CreationTime();
            OciImage built = OciImage.Build(new OciImageOptions(bytes, info, tag, imageFormat, created, ids));
            OciLayout.WriteDirectory(built, outputDirectory);
            if (tarPath is not null)
            {
                OciLayout.WriteTar(built, tarPath, created);
            }

            Report(stdout, modulePath, info, built, outputDirectory, tarPath, repository, tag);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The fixed creation time: <c>SOURCE_DATE_EPOCH</c> (seconds since 1970, the reproducible-builds convention) when
    /// set, else 1970-01-01T00:00:00Z.
    /// </summary>
    internal static DateTimeOffset CreationTime()
    {
        string? epoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (string.IsNullOrWhiteSpace(epoch))
        {
            return DateTimeOffset.UnixEpoch;
        }

        if (!long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > 253402300799)
        {
            throw CliException.Usage($"SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds since 1970-01-01");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>
    /// Splits <c>[oci://][registry/]repository[:tag]</c> into the repository and the tag (default <c>latest</c>),
    /// checked against the OCI distribution-spec grammar (lower-case path components, tags of at most 128 characters).
    /// </summary>
    internal static (string Repository, string Tag) ParseReference(string reference)
    {
        string text = reference.StartsWith("oci://", StringComparison.OrdinalIgnoreCase) ? reference[6..] : reference;
        if (text.Contains('@'))
        {
            throw CliException.Usage($"--image '{reference}': give a tag (name:tag), not a digest: the digest is computed from the content");
        }

        int slash = text.LastIndexOf('/');
        int colon = text.LastIndexOf(':');
        string repository = colon > slash ? text[..colon] : text;
        string tag = colon > slash ? text[(colon + 1)..] : "latest";
        if (!TagPattern().IsMatch(tag))
        {
            throw CliException.Usage($"--image '{reference}': the tag '{tag}' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]{{0,127}})");
        }

        string[] parts = repository.Split('/');
        bool hasRegistry = parts.Length > 1 && (parts[0].Contains('.') || parts[0].Contains(':') || parts[0] == "localhost");
        foreach (string part in hasRegistry ? parts[1..] : parts)
        {
            if (!ComponentPattern().IsMatch(part))
            {
                throw CliException.Usage($"--image '{reference}': '{part}' is not a valid repository name component (lower-case letters, digits, and . _ - between them)");
            }
        }

        return (repository, tag);
    }

    private static void Report(TextWriter stdout, string modulePath, WasmModuleInfo info, OciImage image, string directory, string? tarPath, string repository, string tag)
    {
        string abi = info.AbiVersions.Count == 0 ? "no proxy_abi_version_* export" : string.Join(", ", info.AbiVersions);
        string format = image.Format == OciFormat.Docker
            ? "docker: OCI image, one tar+gzip layer with plugin.wasm (compat variant)"
            : "wasm: Wasm OCI artifact (runtime-config.json and plugin.wasm layers)";
        stdout.WriteLine($"{Path.GetFileName(modulePath)} ({info.Size} bytes, {abi}) -> {directory}");
        stdout.WriteLine($"  format    {format}");
        stdout.WriteLine($"  tag       {tag}");
        stdout.WriteLine($"  manifest  {image.Manifest.Digest} ({image.Manifest.Size} bytes)");
        stdout.WriteLine($"  config    {image.Config.Digest} {image.Config.MediaType}");
        foreach (OciBlob layer in image.Layers)
        {
            stdout.WriteLine($"  layer     {layer.Digest} {layer.MediaType} ({layer.Size} bytes)");
        }

        if (tarPath is not null)
        {
            stdout.WriteLine($"  archive   {tarPath}");
        }

        stdout.WriteLine($"WasmPlugin sha256 (the manifest digest Istio checks for oci:// urls): {image.Manifest.Hex}");
        stdout.WriteLine($"push: skopeo copy oci:{directory}:{tag} docker://{repository}:{tag}");
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();
}
