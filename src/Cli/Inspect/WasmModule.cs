using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ProxyWasm.Cli.Inspect;

/// <summary>An import of a wasm module.</summary>
/// <param name="Module">The module it is imported from (<c>env</c> for the Proxy-Wasm host functions).</param>
/// <param name="Name">The field name (<c>proxy_log</c>).</param>
/// <param name="Kind"><c>func</c>, <c>table</c>, <c>memory</c>, <c>global</c> or <c>tag</c>.</param>
/// <param name="Signature">For a function, <c>(i32, i32) -> i32</c>, when the type section could be read.</param>
internal sealed record WasmImport(string Module, string Name, string Kind, string? Signature);

/// <summary>An export of a wasm module.</summary>
/// <param name="Name">The export name (<c>proxy_on_request_headers</c>).</param>
/// <param name="Kind"><c>func</c>, <c>table</c>, <c>memory</c>, <c>global</c> or <c>tag</c>.</param>
/// <param name="Signature">For a function, its signature, when known.</param>
internal sealed record WasmExport(string Name, string Kind, string? Signature);

/// <summary>
/// Reads the imports (section 2) and exports (section 7) of a wasm binary, with function signatures from the type
/// (1) and function (3) sections (WebAssembly core specification, binary format). Custom sections are skipped.
/// </summary>
internal sealed class WasmModule
{
    private static readonly string[] Kinds = ["func", "table", "memory", "global", "tag"];

    private WasmModule(IReadOnlyList<WasmImport> imports, IReadOnlyList<WasmExport> exports)
    {
        Imports = imports;
        Exports = exports;
    }

    /// <summary>The imports, in order.</summary>
    public IReadOnlyList<WasmImport> Imports { get; }

    /// <summary>The exports, in order.</summary>
    public IReadOnlyList<WasmExport> Exports { get; }

    /// <summary>Whether <paramref name="bytes"/> start with the wasm magic <c>\0asm</c>.</summary>
    public static bool IsWasm(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[0] == 0 && bytes[1] == (byte)'a' && bytes[2] == (byte)'s' && bytes[3] == (byte)'m';

    /// <exception cref="InvalidDataException">Not a wasm binary, or a malformed one.</exception>
    public static WasmModule Read(byte[] bytes)
    {
        if (!IsWasm(bytes) || bytes.Length < 8)
        {
            throw new InvalidDataException("not a wasm binary (no \\0asm magic)");
        }

        uint version = BitConverter.ToUInt32(bytes, 4);
        if (version != 1)
        {
            throw new InvalidDataException($"wasm binary version {version}, not 1");
        }

        var types = new List<string?>();
        var functionTypes = new List<uint>();
        var imports = new List<(string Module, string Name, int Kind, uint Type)>();
        var exports = new List<(string Name, int Kind, uint Index)>();
        var reader = new Reader(bytes, 8);
        while (!reader.AtEnd)
        {
            byte id = reader.Byte();
            int size = checked((int)reader.U32());
            int end = checked(reader.Position + size);
            if (end > bytes.Length)
            {
                throw new InvalidDataException($"section {id} runs past the end of the file");
            }

            var section = new Reader(bytes, reader.Position, end);
            switch (id)
            {
                case 1:
                    ReadTypes(ref section, types);
                    break;
                case 2:
                    for (uint count = section.U32(), i = 0; i < count; i++)
                    {
                        string module = section.Name();
                        string name = section.Name();
                        byte kind = section.Byte();
                        uint type = 0;
                        switch (kind)
                        {
                            case 0: type = section.U32(); break;
                            case 1: section.Byte(); section.Limits(); break;
                            case 2: section.Limits(); break;
                            case 3: section.Byte(); section.Byte(); break;
                            case 4: section.Byte(); type = section.U32(); break;
                            default: throw new InvalidDataException($"import {module}.{name} has unknown kind {kind}");
                        }

                        imports.Add((module, name, kind, type));
                    }

                    break;
                case 3:
                    for (uint count = section.U32(), i = 0; i < count; i++)
                    {
                        functionTypes.Add(section.U32());
                    }

                    break;
                case 7:
                    for (uint count = section.U32(), i = 0; i < count; i++)
                    {
                        string name = section.Name();
                        byte kind = section.Byte();
                        exports.Add((name, kind, section.U32()));
                    }

                    break;
            }

            reader.Position = end;
        }

        string? Signature(uint type) => type < types.Count ? types[(int)type] : null;
        var importedFunctions = imports.Where(i => i.Kind == 0).Select(i => i.Type).ToList();
        string? FunctionSignature(uint index) => index < importedFunctions.Count
            ? Signature(importedFunctions[(int)index])
            : index - importedFunctions.Count < functionTypes.Count ? Signature(functionTypes[(int)(index - importedFunctions.Count)]) : null;

        return new WasmModule(
            imports.Select(i => new WasmImport(i.Module, i.Name, KindName(i.Kind), i.Kind == 0 ? Signature(i.Type) : null)).ToList(),
            exports.Select(e => new WasmExport(e.Name, KindName(e.Kind), e.Kind == 0 ? FunctionSignature(e.Index) : null)).ToList());
    }

    private static string KindName(int kind) => kind < Kinds.Length ? Kinds[kind] : "kind " + kind;

    /// <summary>Function types (<c>0x60 params results</c>); a type of another form (GC proposal) ends the list.</summary>
    private static void ReadTypes(ref Reader section, List<string?> types)
    {
        for (uint count = section.U32(), i = 0; i < count; i++)
        {
            if (section.Byte() != 0x60)
            {
                return;
            }

            var parameters = new List<string>();
            for (uint n = section.U32(), j = 0; j < n; j++)
            {
                parameters.Add(ValueType(section.Byte()));
            }

            var results = new List<string>();
            for (uint n = section.U32(), j = 0; j < n; j++)
            {
                results.Add(ValueType(section.Byte()));
            }

            types.Add($"({string.Join(", ", parameters)})" + (results.Count == 0 ? string.Empty : " -> " + string.Join(", ", results)));
        }
    }

    private static string ValueType(byte code) => code switch
    {
        0x7F => "i32",
        0x7E => "i64",
        0x7D => "f32",
        0x7C => "f64",
        0x7B => "v128",
        0x70 => "funcref",
        0x6F => "externref",
        _ => $"0x{code:x2}",
    };

    /// <summary>LEB128 and names over a slice of the binary.</summary>
    private struct Reader(byte[] bytes, int position, int end)
    {
        public Reader(byte[] bytes, int position)
            : this(bytes, position, bytes.Length)
        {
        }

        public int Position { readonly get; set; } = position;

        public readonly bool AtEnd => Position >= end;

        public byte Byte() => Position < end ? bytes[Position++] : throw new InvalidDataException("the wasm binary is truncated");

        public ulong U64()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException("a LEB128 number is too long");
        }

        public uint U32() => checked((uint)U64());

        public string Name()
        {
            int length = checked((int)U32());
            if (Position + length > end)
            {
                throw new InvalidDataException("a name runs past its section");
            }

            string name = Encoding.UTF8.GetString(bytes, Position, length);
            Position += length;
            return name;
        }

        /// <summary>Limits: a flags byte (bit 0: a maximum follows), the minimum and the maximum.</summary>
        public void Limits()
        {
            byte flags = Byte();
            U64();
            if ((flags & 1) != 0)
            {
                U64();
            }
        }
    }
}
