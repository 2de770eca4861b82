using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ProxyWasm.Native.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Native.Tests;

/// <summary>
/// No export reads the stack-guard cookie (<c>__security_cookie</c>) before its reverse P/Invoke starts the runtime.
/// An export with a stack buffer loads the cookie in its prologue; if it is the first export a host calls, runtime
/// start-up then changes the cookie and the check on return fails fast (SIGABRT: found by the floor benchmark,
/// docs/benchmarks.md). The generated exports keep stack buffers in the hooks they call, which are not inlined into
/// them; this checks that on every published sample, and that the check sees a cookie read where there is one (the
/// HeaderAuthorization hook, which has a stackalloc).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class ExportPrologueTests(NativeBuild build)
{
    public static IEnumerable<object[]> Samples() => Repo.SampleNames();

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void No_export_reads_the_stack_cookie_before_the_runtime_starts(string sample)
    {
        PublishedSample published = build.Published(sample);
        string cookie = Address(published.DebugSymbols, "__security_cookie", dynamic: false);
        foreach ((string name, string address) in Exports(published.Library))
        {
            IReadOnlyList<string> entry = UntilFirstReturn(published.Library, address);
            Assert.True(entry.Count > 2, $"{name}: no code at {address}.");
            Assert.DoesNotContain(entry, line => line.Contains("# " + cookie + " ", StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public void The_check_sees_the_cookie_read_of_a_method_with_a_stack_buffer()
    {
        PublishedSample published = build.Published("HeaderAuthorization");
        string cookie = Address(published.DebugSymbols, "__security_cookie", dynamic: false);
        string hook = Address(published.DebugSymbols, "HeaderAuthorization_ProxyWasm_Samples_HeaderAuthorization__OnRequestHeaders", dynamic: false);
        Assert.Contains(UntilFirstReturn(published.Library, hook), line => line.Contains("# " + cookie + " ", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Name, string Address)> Exports(string library)
        => NmLines(["-D", "--defined-only", library])
            .Where(p => p.Type == "T")
            .Select(p => (p.Name.Split('@')[0], p.Address));

    private static string Address(string file, string symbol, bool dynamic)
    {
        var found = NmLines(dynamic ? ["-D", file] : [file]).Where(p => p.Name == symbol).ToList();
        Assert.True(found.Count == 1, $"{symbol} is not (once) in {file}.");
        return found[0].Address;
    }

    /// <summary>nm's (address without leading zeros, type, name) lines.</summary>
    private static List<(string Address, string Type, string Name)> NmLines(string[] arguments)
    {
        ProcessResult result = Tools.Run(NativeBuild.Nm(), arguments, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3))
            .Where(parts => parts.Length == 3 && parts[0].Length > 0)
            .Select(parts => (parts[0].TrimStart('0'), parts[1], parts[2]))
            .ToList();
    }

    /// <summary>The disassembly (objdump, AT&amp;T syntax, with objdump's <c># address</c> comments on RIP-relative
    /// operands) of the function at <paramref name="address"/> up to its first <c>ret</c>: its prologue and main path.</summary>
    private static IReadOnlyList<string> UntilFirstReturn(string library, string address)
    {
        string? objdump = Tools.Find("objdump");
        Skip.If(objdump is null, "objdump (binutils) was not found on PATH: the exports cannot be disassembled.");
        long start = long.Parse(address, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        ProcessResult result = Tools.Run(objdump!, ["-d", "--no-show-raw-insn", $"--start-address=0x{start:x}", $"--stop-address=0x{start + 4096:x}", library], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe());
        var lines = new List<string>();
        foreach (string line in result.StandardOutput.Split('\n').SkipWhile(l => !l.TrimEnd().EndsWith(">:", StringComparison.Ordinal)).Skip(1))
        {
            lines.Add(line);
            if (line.TrimEnd().EndsWith("ret", StringComparison.Ordinal))
            {
                break;
            }
        }

        return lines;
    }
}
