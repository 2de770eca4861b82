#!/usr/bin/env bash
# Measures the compile-time cost of the ProxyWasm hot-path and sandbox analyzers on a large synthetic filter project
# (200 files, 50 filters, each with plugin, three hooks and helpers it calls, plus cold code that allocates freely).
#
#   tests/ProxyWasm.Analyzers.Tests/cost/measure.sh [work-dir]
#
# It builds the project once to warm up (dependencies, restore), then rebuilds only the filter project with
# -p:ReportAnalyzer=true and a detailed file log, and prints the analyzers' time against the Csc task time.
# The method and the last recorded figures are in docs/analyzer-cost.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="${1:-$(mktemp -d /tmp/pxw-cost.XXXXXX)}"
src="$work/CostFilters"
rm -rf "$src"
mkdir -p "$src"

cat > "$src/CostFilters.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <OutputType>Library</OutputType>
    <Nullable>enable</Nullable>
    <LangVersion>latest</LangVersion>
    <ImplicitUsings>disable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <Import Project="$repo/build/ProxyWasm.Filter.props" />
</Project>
EOF

for i in $(seq 1 50); do
  cat > "$src/Filter$i.cs" <<EOF
using System;
using ProxyWasm;

namespace Cost.F$i;

public sealed class Plugin$i
{
    public int Requests;
    public byte[] Prefix = Array.Empty<byte>();

    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration)
    {
        Prefix = configuration.Trim((byte)' ').ToArray();
        return true;
    }
}

[HttpFilter("filter_$i", Plugin = typeof(Plugin$i))]
public partial class Filter$i
{
    private int _score;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, Plugin$i plugin)
    {
        ReadOnlySpan<byte> path = headers.GetValue(":path"u8);
        if (Routes$i.IsBlocked(path, plugin.Prefix))
        {
            HttpStream.SendLocalResponse(403, "blocked\n"u8);
            return FilterHeadersStatus.StopIteration;
        }

        _score += Checks$i.Score(headers.GetValue("user-agent"u8));
        plugin.Requests++;
        return FilterHeadersStatus.Continue;
    }

    [OnResponseHeaders]
    public void OnResponseHeaders(ResponseHeaders headers) => Format$i.Stamp(headers, _score);

    [OnLog]
    public void OnLog(RequestHeaders headers)
    {
        if (Log.IsEnabled(LogLevel.Debug))
        {
            Log.Debug("filter $i done"u8);
        }
    }
}
EOF
  cat > "$src/Routes$i.cs" <<EOF
using System;

namespace Cost.F$i;

internal static class Routes$i
{
    private static ReadOnlySpan<byte> Admin => "/admin"u8;

    public static bool IsBlocked(ReadOnlySpan<byte> path, ReadOnlySpan<byte> prefix)
    {
        if (!prefix.IsEmpty && path.StartsWith(prefix))
        {
            return false;
        }

        int depth = 0;
        foreach (byte b in path)
        {
            if (b == (byte)'/')
            {
                depth++;
            }
        }

        return depth > 8 || path.StartsWith(Admin);
    }

    // Cold code (not called from a hook): allocates freely and must not be reported.
    public static string Describe(string[] routes) => string.Join(", ", routes) + " (" + routes.Length.ToString() + ")";
}
EOF
  cat > "$src/Checks$i.cs" <<EOF
using System;
using System.Collections.Generic;
using System.Linq;

namespace Cost.F$i;

internal static class Checks$i
{
    public static int Score(ReadOnlySpan<byte> userAgent)
    {
        int score = 0;
        for (int i = 0; i < userAgent.Length; i++)
        {
            score = unchecked(score * 31 + userAgent[i]);
        }

        return IsBot(userAgent) ? -score : score;
    }

    private static bool IsBot(ReadOnlySpan<byte> userAgent) =>
        userAgent.IndexOf("bot"u8) >= 0 || userAgent.IndexOf("crawler"u8) >= 0;

    // Cold code.
    public static List<string> Report(IEnumerable<int> scores) =>
        scores.Where(s => s > 0).Select(s => \$"score {s}").ToList();
}
EOF
  cat > "$src/Format$i.cs" <<EOF
using System;
using ProxyWasm;

namespace Cost.F$i;

internal static class Format$i
{
    public static void Stamp(ResponseHeaders headers, int score)
    {
        var value = new Utf8ValueBuilder(stackalloc byte[64]);
        value.Append("f$i-"u8);
        value.Append(score);
        headers.Replace("x-score"u8, value.AsSpan());
        value.Dispose();
    }

    // Cold code.
    public static object Box(int score) => score;
}
EOF
done

echo "generated $(ls "$src"/*.cs | wc -l) files in $src"
art="$work/artifacts"
dotnet build "$src/CostFilters.csproj" --artifacts-path "$art" -nologo -v:q > "$work/warmup.log" 2>&1 || { cat "$work/warmup.log"; exit 1; }

measure() {
  local label="$1"; shift
  touch "$src"/Filter1.cs
  dotnet build "$src/CostFilters.csproj" --artifacts-path "$art" -nologo -p:BuildProjectReferences=false "$@" \
    -p:ReportAnalyzer=true -v:q -flp:"logfile=$work/$label.log;verbosity=detailed;performancesummary" > /dev/null 2>&1 \
    || { grep -E "error" "$work/$label.log" | head; exit 1; }
  local csc ours total
  csc=$(grep -E '^ +[0-9]+ ms +Csc +[0-9]+ calls' "$work/$label.log" | awk '{print $1}' | head -1)
  total=$(grep -m1 -E 'Total analyzer execution time' "$work/$label.log" | grep -oE '[0-9]+([.,][0-9]+)?' | head -1 | tr , .)
  ours=$(grep -E 'ProxyWasm\.Analyzers\.(HotPath\.HotPathAnalyzer|Sandbox\.SandboxAnalyzer|Usage\.UsageAnalyzer)' "$work/$label.log" | awk '{gsub(",", ".", $1); s += $1} END {printf "%.3f", s}')
  echo "$label: Csc ${csc} ms; all analyzers ${total} s; ProxyWasm analyzers (hot path, sandbox, usage) ${ours} s;" \
    "share of compile time: $(awk -v o="$ours" -v c="$csc" 'BEGIN {printf "%.1f%%", 100 * o * 1000 / c}')"
}

for run in 1 2 3; do
  measure "run$run"
done
grep -E 'HotPathAnalyzer|SandboxAnalyzer|UsageAnalyzer|FilterGenerator|Total analyzer execution time|Total generator execution time' "$work/run3.log" | sed 's/^ *//' | head -8
