using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ProxyWasm.Tests.Shared;
using Xunit;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>The direct calls of each function of a native library, read with objdump (the machine code of the .so) and
/// nm (the function addresses of its .dbg companion, which has the full symbol table).</summary>
internal static class Disassembly
{
    private static readonly Regex Call = new(@"^\s*([0-9a-f]+):\s+call\s+([0-9a-f]+) <([^>]+)>", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Each function that makes a direct call, with the names of what it calls: a function of the image by its
    /// symbol (e.g. RhpPInvoke), an imported one by its name without <c>@plt</c> (e.g. proxy_log).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> CallsByFunction(string library, string debugSymbols)
    {
        var functions = Symbols.WithAddresses(debugSymbols, "-n", "--defined-only")
            .Where(s => s.Type is "t" or "T")
            .Select(s => (s.Address, s.Name))
            .ToList();

        Assert.True(functions.Count > 100, $"{debugSymbols} lists only {functions.Count} functions.");
        ulong[] starts = functions.Select(f => f.Address).ToArray();
        var byAddress = functions.GroupBy(f => f.Address).ToDictionary(g => g.Key, g => g.First().Name);

        string? objdump = Tools.Find("objdump");
        Skip.If(objdump is null, "objdump (binutils) was not found on PATH: the machine code cannot be read.");
        ProcessResult disassembly = Tools.Run(objdump!, ["-d", "--no-show-raw-insn", library], TimeSpan.FromMinutes(5));
        Assert.True(disassembly.ExitCode == 0, disassembly.Describe());

        var calls = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match match in Call.Matches(disassembly.StandardOutput))
        {
            ulong at = ulong.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong target = ulong.Parse(match.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int index = Array.BinarySearch(starts, at);
            index = index >= 0 ? index : ~index - 1;
            if (index < 0)
            {
                continue;
            }

            string label = match.Groups[3].Value;
            string callee = label.EndsWith("@plt", StringComparison.Ordinal) ? label[..^4]
                : byAddress.TryGetValue(target, out string? name) ? name
                : label;
            string caller = functions[index].Name;
            if (!calls.TryGetValue(caller, out HashSet<string>? set))
            {
                calls[caller] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(callee);
        }

        return calls.ToDictionary(c => c.Key, c => (IReadOnlySet<string>)c.Value, StringComparer.Ordinal);
    }
}
