using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Oci;

/// <summary>
/// Writes an <see cref="OciImage"/> as an OCI image layout (OCI image-spec v1.0 <c>image-layout.md</c>): the files
/// <c>oci-layout</c> and <c>index.json</c> and the directory <c>blobs/sha256/</c> with one file per blob named by its
/// hex digest; and as a tar archive of that layout (what <c>skopeo</c> calls <c>oci-archive:</c>).
/// </summary>
internal static class OciLayout
{
    /// <summary>
    /// Writes the layout into <paramref name="directory"/>, which must be missing, empty, or an OCI layout (which is
    /// replaced: its <c>index.json</c>, <c>oci-layout</c> and <c>blobs/</c> are removed first, so it holds one image).
    /// </summary>
    /// <exception cref="CliException">The directory holds something else.</exception>
    public static void WriteDirectory(OciImage image, string directory)
    {
        if (File.Exists(directory))
        {
            throw CliException.Usage($"--output {directory}: is a file; give a directory for the OCI image layout");
        }

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            if (!File.Exists(Path.Combine(directory, "oci-layout")))
            {
                throw CliException.Usage($"--output {directory}: the directory is not empty and is not an OCI image layout (no oci-layout file); give a new or empty directory");
            }

            File.Delete(Path.Combine(directory, "index.json"));
            File.Delete(Path.Combine(directory, "oci-layout"));
            string blobs = Path.Combine(directory, "blobs");
            if (Directory.Exists(blobs))
            {
                Directory.Delete(blobs, recursive: true);
            }
        }

        string sha256 = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(sha256);
        foreach (OciBlob blob in image.Blobs)
        {
            File.WriteAllBytes(Path.Combine(sha256, blob.Hex), blob.Content);
        }

        File.WriteAllBytes(Path.Combine(directory, "index.json"), image.Index);
        File.WriteAllBytes(Path.Combine(directory, "oci-layout"), OciImage.LayoutFile);
    }

    /// <summary>The files of the layout, as tar entries (directories included), in archive order.</summary>
    public static IReadOnlyList<TarFile> Files(OciImage image)
    {
        var files = new List<TarFile>
        {
            new("blobs/", Array.Empty<byte>()),
            new("blobs/sha256/", Array.Empty<byte>()),
            new("index.json", image.Index),
            new("oci-layout", OciImage.LayoutFile),
        };
        files.AddRange(image.Blobs.Select(b => new TarFile("blobs/sha256/" + b.Hex, b.Content)));
        return files.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Writes the layout as one tar archive at <paramref name="path"/> (replaced if it exists).</summary>
    public static void WriteTar(OciImage image, string path, DateTimeOffset modified)
    {
        if (Directory.Exists(path))
        {
            throw CliException.Usage($"--tar {path}: is a directory; give the archive's file name");
        }

        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
        }

        File.WriteAllBytes(path, DeterministicTar.Create(Files(image), modified));
    }
}
