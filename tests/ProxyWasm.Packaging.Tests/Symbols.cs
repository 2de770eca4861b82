using Xunit;

namespace ProxyWasm.Packaging.Tests;

/// <summary>One symbol as nm prints it: type letter, name without version, version (after @ or @@), if any.</summary>
internal sealed record Symbol(char Type, string Name, string? Version);

/// <summary>Reads an ELF shared library's dynamic symbol table with nm (binutils), as tests/ProxyWasm.Native.Tests does.</summary>
internal static class Symbols
{
    public static string Nm()
    {
        string? nm = ProcessRunner.Find("nm");
        Skip.If(nm is null, "nm (binutils) was not found on PATH: the published library's symbol table cannot be read.");
        return nm!;
    }

    /// <summary>The dynamic symbols the library defines, without the version definitions of its version script
    /// (type A, named like the version, e.g. V1.0).</summary>
    public static IReadOnlyList<Symbol> DynamicDefined(string library)
    {
        List<Symbol> all = Read(["-D", "--defined-only", library]);
        var versions = all.Where(s => s.Version is not null).Select(s => s.Version!).ToHashSet(StringComparer.Ordinal);
        return all.Where(s => !(s.Type == 'A' && versions.Contains(s.Name))).ToList();
    }

    /// <summary>The dynamic symbols the library needs from its loader.</summary>
    public static IReadOnlyList<Symbol> DynamicUndefined(string library) => Read(["-D", "--undefined-only", library]);

    private static List<Symbol> Read(string[] arguments)
    {
        ProcessResult result = ProcessRunner.Run(Nm(), arguments, Path.GetDirectoryName(arguments[^1])!, TimeSpan.FromMinutes(2));
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

            string name = parts[^1];
            string? version = null;
            int at = name.IndexOf('@', StringComparison.Ordinal);
            if (at > 0)
            {
                version = name[(at + 1)..].TrimStart('@');
                name = name[..at];
            }

            Assert.True(parts[^2].Length == 1, $"Unexpected nm line: {raw}");
            symbols.Add(new Symbol(parts[^2][0], name, version));
        }

        return symbols;
    }
}
