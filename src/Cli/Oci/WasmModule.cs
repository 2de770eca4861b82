using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Oci;

/// <summary>What <see cref="WasmModule.Read"/> found in a module: its size and export names.</summary>
/// <param name="Size">The module's size in bytes.</param>
/// <param name="Exports">The export names, in module order.</param>
internal sealed record WasmModuleInfo(long Size, IReadOnlyList<string> Exports)
{
    /// <summary>The Proxy-Wasm ABI versions the module declares (<c>proxy_abi_version_*</c> exports), e.g.
    /// <c>proxy_abi_version_0_2_1</c>.</summary>
    public IReadOnlyList<string> AbiVersions =>
        Exports.Where(e => e.StartsWith("proxy_abi_version_", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
}

/// <summary>
/// Checks that a file is a WebAssembly core module before it is packaged: the magic <c>\0asm</c>, version 1, and
/// sections that each fit in the file (WebAssembly core specification, 5.5 "Modules": magic, version, then sections of
/// one id byte and a u32 LEB128 size). The export section is read for the ABI version exports; nothing else is decoded.
/// </summary>
internal static class WasmModule
{
    private static ReadOnlySpan<byte> Magic => "\0asm"u8;

    /// <summary>Validates <paramref name="bytes"/> (read from <paramref name="path"/>, named in errors).</summary>
    /// <exception cref="CliException">The bytes are not a WebAssembly core module.</exception>
    public static WasmModuleInfo Read(string path, ReadOnlySpan<byte> bytes)
    {
        string name = System.IO.Path.GetFileName(path);
        if (bytes.Length < 8 || !bytes[..4].SequenceEqual(Magic))
        {
            string start = bytes.Length == 0 ? "the file is empty" : $"it starts with {Hex(bytes[..Math.Min(4, bytes.Length)])}";
            throw CliException.BadInput($"{name}: not a WebAssembly module: {start}, not the magic 00 61 73 6D (\"\\0asm\") and version 01 00 00 00");
        }

        uint version = BitConverter.ToUInt32(bytes[4..8]);
        if (!BitConverter.IsLittleEndian)
        {
            version = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(version);
        }

        if (version != 1)
        {
            string what = (version & 0xFFFF0000) == 0x00010000
                ? "a WebAssembly component (component model), not a core module: Envoy loads core modules only"
                : $"WebAssembly version {version}, not 1 (bytes {Hex(bytes[4..8])})";
            throw CliException.BadInput($"{name}: {what}");
        }

        var exports = new List<string>();
        int offset = 8;
        while (offset < bytes.Length)
        {
            int sectionStart = offset;
            byte id = bytes[offset++];
            uint size = ReadU32(bytes, ref offset, name, sectionStart);
            if (size > bytes.Length - offset)
            {
                throw CliException.BadInput($"{name}: not a valid WebAssembly module: section {id} at offset {sectionStart} is {size} bytes long, past the end of the file ({bytes.Length} bytes); was it truncated?");
            }

            if (id == 7)
            {
                ReadExports(bytes.Slice(offset, (int)size), exports, name, offset);
            }

            offset += (int)size;
        }

        return new WasmModuleInfo(bytes.Length, exports);
    }

    private static void ReadExports(ReadOnlySpan<byte> section, List<string> exports, string name, int baseOffset)
    {
        int offset = 0;
        uint count = ReadU32(section, ref offset, name, baseOffset);
        for (uint i = 0; i < count; i++)
        {
            uint length = ReadU32(section, ref offset, name, baseOffset);
            if (length > section.Length - offset)
            {
                throw CliException.BadInput($"{name}: not a valid WebAssembly module: export {i} at offset {baseOffset + offset} has a name past the end of the export section");
            }

            exports.Add(Encoding.UTF8.GetString(section.Slice(offset, (int)length)));
            offset += (int)length;
            if (offset >= section.Length)
            {
                throw CliException.BadInput($"{name}: not a valid WebAssembly module: the export section ends inside export {i}");
            }

            offset++; // export kind
            ReadU32(section, ref offset, name, baseOffset);
        }
    }

    private static uint ReadU32(ReadOnlySpan<byte> bytes, ref int offset, string name, int at)
    {
        uint result = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (offset >= bytes.Length)
            {
                throw CliException.BadInput($"{name}: not a valid WebAssembly module: the data at offset {at} ends inside a LEB128 number; was it truncated?");
            }

            byte b = bytes[offset++];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw CliException.BadInput($"{name}: not a valid WebAssembly module: a LEB128 number at offset {at} is longer than 5 bytes");
    }

    private static string Hex(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}
