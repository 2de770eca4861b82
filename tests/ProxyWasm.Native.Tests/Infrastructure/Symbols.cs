using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>One symbol as nm prints it: type letter, name without version, version (after @ or @@), if any.</summary>
internal sealed record Symbol(char Type, string Name, string? Version);

/// <summary>Reads ELF symbol tables with nm.</summary>
internal static class Symbols
{
    /// <summary>The dynamic symbols the library defines (nm -D --defined-only), without the version definition
    /// entries the linker adds for its version script (type A, named like the version, e.g. V1.0).</summary>
    public static IReadOnlyList<Symbol> DynamicDefined(string library)
    {
        List<Symbol> all = Read(NativeBuild.Nm(), ["-D", "--defined-only", library]);
        var versions = all.Where(s => s.Version is not null).Select(s => s.Version!).ToHashSet(StringComparer.Ordinal);
        return all.Where(s => !(s.Type == 'A' && versions.Contains(s.Name))).ToList();
    }

    /// <summary>The dynamic symbols the library needs from its loader (nm -D --undefined-only).</summary>
    public static IReadOnlyList<Symbol> DynamicUndefined(string library) => Read(NativeBuild.Nm(), ["-D", "--undefined-only", library]);

    /// <summary>The full static symbol table (of a .dbg companion or an executable).</summary>
    public static IReadOnlyList<Symbol> All(string file) => Read(NativeBuild.Nm(), [file]);

    /// <summary>Defined symbols of an executable (nm --defined-only).</summary>
    public static IReadOnlyList<Symbol> Defined(string file) => Read(NativeBuild.Nm(), ["--defined-only", file]);

    private static List<Symbol> Read(string nm, string[] arguments)
    {
        ProcessResult result = Tools.Run(nm, arguments, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe());
        var symbols = new List<Symbol>();
        foreach (string raw in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "0000000000084df0 T proxy_on_log@@V1.0" or "                 U proxy_log"
            string[] parts = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                continue;
            }

            string type = parts[^2];
            string name = parts[^1];
            string? version = null;
            int at = name.IndexOf('@', StringComparison.Ordinal);
            if (at > 0)
            {
                version = name[(at + 1)..].TrimStart('@');
                name = name[..at];
            }

            Assert.True(type.Length == 1, $"Unexpected nm line: {raw}");
            symbols.Add(new Symbol(type[0], name, version));
        }

        return symbols;
    }
}
