using System;
using System.Collections.Generic;
using System.Globalization;
using ProxyWasm.Tests.Shared;
using Xunit;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>Reads ELF symbol tables with nm.</summary>
internal static class Symbols
{
    /// <summary>The dynamic symbols the library defines (nm -D --defined-only), without the version definition
    /// entries the linker adds for its version script (type A, named like the version, e.g. V1.0).</summary>
    public static IReadOnlyList<Symbol> DynamicDefined(string library)
        => NmSymbols.WithoutVersionEntries(Read(NativeBuild.Nm(), ["-D", "--defined-only", library]));

    /// <summary>The dynamic symbols the library needs from its loader (nm -D --undefined-only).</summary>
    public static IReadOnlyList<Symbol> DynamicUndefined(string library) => Read(NativeBuild.Nm(), ["-D", "--undefined-only", library]);

    /// <summary>The full static symbol table (of a .dbg companion or an executable).</summary>
    public static IReadOnlyList<Symbol> All(string file) => Read(NativeBuild.Nm(), [file]);

    /// <summary>Defined symbols of an executable (nm --defined-only).</summary>
    public static IReadOnlyList<Symbol> Defined(string file) => Read(NativeBuild.Nm(), ["--defined-only", file]);

    /// <summary>nm's lines of <paramref name="file"/> with their addresses: (address, type, name as nm prints it,
    /// with any <c>@version</c>). <paramref name="options"/> are nm's, e.g. <c>-D</c>, <c>--defined-only</c>.</summary>
    public static List<(ulong Address, string Type, string Name)> WithAddresses(string file, params string[] options)
    {
        ProcessResult result = Tools.Run(NativeBuild.Nm(), [.. options, file], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe());
        var symbols = new List<(ulong, string, string)>();
        foreach (string line in result.StandardOutput.Split('\n'))
        {
            string[] parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address))
            {
                symbols.Add((address, parts[1], parts[2].Trim()));
            }
        }

        return symbols;
    }

    private static List<Symbol> Read(string nm, string[] arguments)
    {
        ProcessResult result = Tools.Run(nm, arguments, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe());
        return NmSymbols.Parse(result.StandardOutput);
    }
}
