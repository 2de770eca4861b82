using System;
using System.Collections.Generic;
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
        string cookie = Comment(Address(published.DebugSymbols, "__security_cookie"));
        foreach ((string name, ulong address) in Exports(published.Library))
        {
            IReadOnlyList<string> entry = UntilFirstReturn(published.Library, address);
            Assert.True(entry.Count > 2, $"{name}: no code at {address:x}.");
            Assert.DoesNotContain(entry, line => line.Contains(cookie, StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public void The_check_sees_the_cookie_read_of_a_method_with_a_stack_buffer()
    {
        PublishedSample published = build.Published("HeaderAuthorization");
        string cookie = Comment(Address(published.DebugSymbols, "__security_cookie"));
        ulong hook = Address(published.DebugSymbols, "HeaderAuthorization_ProxyWasm_Samples_HeaderAuthorization__OnRequestHeaders");
        Assert.Contains(UntilFirstReturn(published.Library, hook), line => line.Contains(cookie, StringComparison.Ordinal));
    }

    private static IEnumerable<(string Name, ulong Address)> Exports(string library)
        => Symbols.WithAddresses(library, "-D", "--defined-only")
            .Where(s => s.Type == "T")
            .Select(s => (s.Name.Split('@')[0], s.Address));

    private static ulong Address(string file, string symbol)
    {
        var found = Symbols.WithAddresses(file).Where(s => s.Name == symbol).ToList();
        Assert.True(found.Count == 1, $"{symbol} is not (once) in {file}.");
        return found[0].Address;
    }

    /// <summary>How objdump writes <paramref name="address"/> in its <c># address &lt;symbol&gt;</c> comments.</summary>
    private static string Comment(ulong address) => $"# {address:x} ";

    /// <summary>The disassembly (objdump, AT&amp;T syntax, with objdump's <c># address</c> comments on RIP-relative
    /// operands) of the function at <paramref name="start"/> up to its first <c>ret</c>: its prologue and main path.</summary>
    private static IReadOnlyList<string> UntilFirstReturn(string library, ulong start)
    {
        string? objdump = Tools.Find("objdump");
        Skip.If(objdump is null, "objdump (binutils) was not found on PATH: the exports cannot be disassembled.");
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
