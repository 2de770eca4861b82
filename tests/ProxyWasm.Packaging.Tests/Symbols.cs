using ProxyWasm.Tests.Shared;
using Xunit;

namespace ProxyWasm.Packaging.Tests;

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
        return NmSymbols.WithoutVersionEntries(Read(["-D", "--defined-only", library]));
    }

    /// <summary>The dynamic symbols the library needs from its loader.</summary>
    public static IReadOnlyList<Symbol> DynamicUndefined(string library) => Read(["-D", "--undefined-only", library]);

    private static List<Symbol> Read(string[] arguments)
    {
        ProcessResult result = ProcessRunner.Run(Nm(), arguments, Path.GetDirectoryName(arguments[^1])!, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe());
        return NmSymbols.Parse(result.StandardOutput);
    }
}
