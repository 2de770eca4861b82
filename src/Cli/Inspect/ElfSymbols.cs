using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ProxyWasm.Cli.Inspect;

/// <summary>One dynamic symbol of an ELF shared library.</summary>
/// <param name="Name">The name (without a version suffix).</param>
/// <param name="Defined">Whether the library defines it (an export); otherwise it is undefined (an import the loading
/// process must provide).</param>
/// <param name="IsFunction">Whether its type is STT_FUNC (for an undefined symbol, often STT_NOTYPE).</param>
internal sealed record ElfSymbol(string Name, bool Defined, bool IsFunction);

/// <summary>
/// Reads the dynamic symbol table (<c>.dynsym</c>, the one <c>nm -D</c> prints) of an ELF file: the section headers,
/// the SHT_DYNSYM section and its string table. ELF32 and ELF64, either byte order. Only global and weak symbols are
/// returned (local ones are not part of the library's interface).
/// </summary>
internal static class ElfSymbols
{
    private const uint ShtDynsym = 11;
    private const byte StbGlobal = 1;
    private const byte StbWeak = 2;
    private const ushort ShnAbs = 0xFFF1;
    private const byte SttNoType = 0;
    private const byte SttObject = 1;
    private const byte SttFunc = 2;
    private const byte SttGnuIfunc = 10;

    /// <summary>Whether <paramref name="bytes"/> start with the ELF magic.</summary>
    public static bool IsElf(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    /// <summary>The global and weak dynamic symbols, in table order.</summary>
    /// <exception cref="InvalidDataException">Not an ELF file, or a malformed one.</exception>
    public static IReadOnlyList<ElfSymbol> Read(byte[] file)
    {
        if (!IsElf(file) || file.Length < 0x34)
        {
            throw new InvalidDataException("not an ELF file");
        }

        bool is64 = file[4] switch
        {
            1 => false,
            2 => true,
            _ => throw new InvalidDataException($"unknown ELF class {file[4]}"),
        };
        bool little = file[5] switch
        {
            1 => true,
            2 => false,
            _ => throw new InvalidDataException($"unknown ELF data encoding {file[5]}"),
        };
        var elf = new Reader(file, little);

        ulong sectionOffset = is64 ? elf.U64(0x28) : elf.U32(0x20);
        int sectionSize = is64 ? elf.U16(0x3A) : elf.U16(0x2E);
        int sectionCount = is64 ? elf.U16(0x3C) : elf.U16(0x30);
        if (sectionOffset == 0 || sectionCount == 0)
        {
            throw new InvalidDataException("the ELF file has no section headers");
        }

        var symbols = new List<ElfSymbol>();
        for (int i = 0; i < sectionCount; i++)
        {
            int header = checked((int)sectionOffset + i * sectionSize);
            if (elf.U32(header + 4) != ShtDynsym)
            {
                continue;
            }

            uint link = elf.U32(header + (is64 ? 0x28 : 0x18));
            ulong offset = is64 ? elf.U64(header + 0x18) : elf.U32(header + 0x10);
            ulong size = is64 ? elf.U64(header + 0x20) : elf.U32(header + 0x14);
            ulong entrySize = is64 ? elf.U64(header + 0x38) : elf.U32(header + 0x24);
            if (link >= sectionCount || entrySize == 0)
            {
                throw new InvalidDataException("malformed .dynsym section header");
            }

            int strings = checked((int)sectionOffset + (int)link * sectionSize);
            ulong stringsOffset = is64 ? elf.U64(strings + 0x18) : elf.U32(strings + 0x10);
            ulong stringsSize = is64 ? elf.U64(strings + 0x20) : elf.U32(strings + 0x14);

            // Entry 0 is the null symbol.
            for (ulong entry = 1; entry < size / entrySize; entry++)
            {
                int at = checked((int)(offset + entry * entrySize));
                uint nameOffset = elf.U32(at);
                byte info = is64 ? elf.Byte(at + 4) : elf.Byte(at + 12);
                ushort sectionIndex = is64 ? elf.U16(at + 6) : elf.U16(at + 14);
                ulong symbolSize = is64 ? elf.U64(at + 16) : elf.U32(at + 8);
                byte binding = (byte)(info >> 4);
                byte type = (byte)(info & 0xF);
                if (binding is not (StbGlobal or StbWeak) || nameOffset >= stringsSize
                    || (sectionIndex == ShnAbs && symbolSize == 0 && type is SttNoType or SttObject))
                {
                    // Local symbols are not the library's interface; an absolute empty symbol is a version
                    // definition's name (V1.0 in ILC's version script), not an export.
                    continue;
                }

                string name = elf.String(checked((int)(stringsOffset + nameOffset)), checked((int)(stringsOffset + stringsSize)));
                symbols.Add(new ElfSymbol(name, sectionIndex != 0, type is SttFunc or SttGnuIfunc));
            }
        }

        return symbols;
    }

    private readonly struct Reader(byte[] bytes, bool little)
    {
        public byte Byte(int at) => Slice(at, 1)[0];

        public ushort U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(Slice(at, 2)) : BinaryPrimitives.ReadUInt16BigEndian(Slice(at, 2));

        public uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(Slice(at, 4)) : BinaryPrimitives.ReadUInt32BigEndian(Slice(at, 4));

        public ulong U64(int at) => little ? BinaryPrimitives.ReadUInt64LittleEndian(Slice(at, 8)) : BinaryPrimitives.ReadUInt64BigEndian(Slice(at, 8));

        public string String(int at, int end)
        {
            if (at < 0 || end > bytes.Length || at >= end)
            {
                throw new InvalidDataException("a symbol name lies outside its string table");
            }

            int length = Array.IndexOf(bytes, (byte)0, at, end - at);
            return Encoding.UTF8.GetString(bytes, at, (length < 0 ? end : length) - at);
        }

        private ReadOnlySpan<byte> Slice(int at, int length)
            => at >= 0 && (long)at + length <= bytes.Length ? bytes.AsSpan(at, length) : throw new InvalidDataException("the ELF file is truncated");
    }
}
