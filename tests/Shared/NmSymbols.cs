using System;
using System.Collections.Generic;
using System.Linq;

namespace ProxyWasm.Tests.Shared;

/// <summary>One symbol as nm prints it: type letter, name without version, version (after @ or @@), if any.</summary>
internal sealed record Symbol(char Type, string Name, string? Version);

/// <summary>nm's output, parsed: shared by the native and packaging tests, which run nm their own way.</summary>
internal static class NmSymbols
{
    /// <summary>The symbols of nm's standard output; a line that is not <c>[address] type name</c> throws.</summary>
    public static List<Symbol> Parse(string standardOutput)
    {
        var symbols = new List<Symbol>();
        foreach (string raw in standardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
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

            if (type.Length != 1)
            {
                throw new FormatException($"Unexpected nm line: {raw}");
            }

            symbols.Add(new Symbol(type[0], name, version));
        }

        return symbols;
    }

    /// <summary><paramref name="defined"/> (nm -D --defined-only) without the version definition entries the linker adds
    /// for a version script (type A, named like the version, e.g. V1.0).</summary>
    public static List<Symbol> WithoutVersionEntries(List<Symbol> defined)
    {
        var versions = defined.Where(s => s.Version is not null).Select(s => s.Version!).ToHashSet(StringComparer.Ordinal);
        return defined.Where(s => !(s.Type == 'A' && versions.Contains(s.Name))).ToList();
    }
}
