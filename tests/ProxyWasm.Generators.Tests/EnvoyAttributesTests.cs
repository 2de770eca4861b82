using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// The attribute table (src/Shared/EnvoyAttributes.cs), which the generator checks <c>[Property("...")]</c> parameters
/// against: every path the runtime's typed getters (src/Runtime/Properties/*.cs) read is a row of the kind their reader
/// decodes, the rows are well-formed, and the lookups behave.
/// </summary>
public sealed class EnvoyAttributesTests
{
    // A call of one of the readers whose arguments hold no parentheses: TryGet("request\0path"u8, out path),
    // TryGetXds("xds\0node"u8, "node"u8, out node), TryGet("request"u8, "headers"u8, name, out value). Declarations
    // match too but have no literal, and are skipped.
    private static readonly Regex Call = new(@"\b(?:Properties\.)?(?<reader>TryGet\w*)\s*\((?<args>[^()]*)\)", RegexOptions.CultureInvariant);

    private static readonly Regex Utf8Literal = new(@"^""(?<text>(?:[^""\\]|\\.)*)""u8$", RegexOptions.CultureInvariant);

    /// <summary>The kinds each reader of src/Runtime/Properties/Properties.cs decodes correctly. TryGetInt64 also reads
    /// timestamps and durations: they are int64 nanoseconds on the wire (Request.TryGetTimeNanoseconds).</summary>
    private static readonly Dictionary<string, AttributeKind[]> ReaderKinds = new(StringComparer.Ordinal)
    {
        ["TryGet"] = new[] { AttributeKind.String, AttributeKind.Bytes, AttributeKind.Message },
        ["TryGetXds"] = new[] { AttributeKind.String, AttributeKind.Bytes, AttributeKind.Message },
        ["TryGetInt64"] = new[] { AttributeKind.Int, AttributeKind.Timestamp, AttributeKind.Duration },
        ["TryGetUInt64"] = new[] { AttributeKind.UInt },
        ["TryGetBool"] = new[] { AttributeKind.Bool },
        ["TryGetTimestamp"] = new[] { AttributeKind.Timestamp },
        ["TryGetDuration"] = new[] { AttributeKind.Duration },
        ["TryGetMap"] = new[] { AttributeKind.Map },
    };

    [Fact]
    public void Every_path_the_runtime_reads_is_a_row_of_the_kind_its_reader_decodes()
    {
        List<PathUse> uses = RuntimePathUses();

        // The parse itself must have found the getters (a regex that matches nothing would pass vacuously).
        Assert.True(uses.Count >= 60, $"Only {uses.Count} property paths found in src/Runtime/Properties/*.cs; the parse is broken.");
        Assert.Contains(uses, u => u.Path == "request.path" && u.Reader == "TryGet" && !u.IsPrefix);
        Assert.Contains(uses, u => u.Path == "request.headers" && u.IsPrefix);

        var problems = new List<string>();
        foreach (PathUse use in uses)
        {
            if (!ReaderKinds.TryGetValue(use.Reader, out AttributeKind[]? kinds))
            {
                problems.Add($"{use.Where}: {use.Path} is read with {use.Reader}, which this test does not know");
                continue;
            }

            if (use.IsPrefix)
            {
                // TryGet("request"u8, "headers"u8, name, ...): the constant segments must be an open prefix.
                if (!EnvoyAttributes.OpenPrefixes.Contains(use.Path, StringComparer.Ordinal))
                {
                    problems.Add($"{use.Where}: {use.Path}.<name> is read, but {use.Path} is not in EnvoyAttributes.OpenPrefixes");
                }

                continue;
            }

            EnvoyAttribute? row = EnvoyAttributes.Find(use.Path.Split('.'));
            if (row is null)
            {
                problems.Add($"{use.Where}: {use.Path} is not in EnvoyAttributes.All");
            }
            else if (!kinds.Contains(row.Kind))
            {
                problems.Add($"{use.Where}: {use.Path} is read with {use.Reader} ({string.Join("/", kinds)}) but its row says {row.Kind}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Paths_are_unique_dotted_and_lower_case()
    {
        var path = new Regex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", RegexOptions.CultureInvariant);
        Assert.All(EnvoyAttributes.All, a => Assert.Matches(path, a.Path));
        Assert.All(EnvoyAttributes.All, a => Assert.Equal(a.Path.Split('.'), a.Segments));
        Assert.All(EnvoyAttributes.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Summary), a.Path));
        Assert.All(EnvoyAttributes.All, a => Assert.True(Enum.IsDefined(a.Kind), a.Path));

        string[] duplicates = EnvoyAttributes.All.GroupBy(a => a.Path, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(duplicates);
        Assert.Equal(EnvoyAttributes.OpenPrefixes.Length, EnvoyAttributes.OpenPrefixes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Open_prefixes_are_exactly_the_map_and_message_rows()
    {
        // A prefix is itself an attribute (request.headers reads the whole map); every map or message has children.
        foreach (string prefix in EnvoyAttributes.OpenPrefixes)
        {
            EnvoyAttribute? row = EnvoyAttributes.Find(prefix.Split('.'));
            Assert.True(row is not null, $"Open prefix {prefix} is not a row of EnvoyAttributes.All");
            Assert.True(row!.Kind is AttributeKind.Map or AttributeKind.Message, $"Open prefix {prefix} is a {row.Kind}, not a map or message");
        }

        string[] structured = EnvoyAttributes.All.Where(a => a.Kind is AttributeKind.Map or AttributeKind.Message).Select(a => a.Path).OrderBy(p => p, StringComparer.Ordinal).ToArray();
        Assert.Equal(structured, EnvoyAttributes.OpenPrefixes.OrderBy(p => p, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Documented_groups_are_all_there()
    {
        foreach (string group in new[] { "request", "response", "source", "destination", "connection", "upstream", "xds" })
        {
            Assert.NotEmpty(EnvoyAttributes.InGroup(group));
        }

        foreach (string single in new[] { "metadata", "filter_state", "upstream_filter_state", "plugin_name", "plugin_root_id", "plugin_vm_id", "node", "cluster_name", "cluster_metadata", "listener_direction", "listener_metadata", "route_name", "route_metadata", "upstream_host_metadata" })
        {
            Assert.NotNull(EnvoyAttributes.Find(new[] { single }));
        }

        Assert.Equal(AttributeKind.Bool, EnvoyAttributes.Find(new[] { "connection", "mtls" })!.Kind);
        Assert.Equal(AttributeKind.String, EnvoyAttributes.Find(new[] { "response", "code_details" })!.Kind);
        Assert.Equal(AttributeKind.String, EnvoyAttributes.Find(new[] { "request", "url_path" })!.Kind);
        Assert.Equal(AttributeKind.Message, EnvoyAttributes.Find(new[] { "xds", "node" })!.Kind);
    }

    [Fact]
    public void Find_and_IsUnderOpenPrefix()
    {
        EnvoyAttribute? path = EnvoyAttributes.Find(new[] { "request", "path" });
        Assert.NotNull(path);
        Assert.Equal("request.path", path!.Path);
        Assert.Equal(AttributeKind.String, path.Kind);
        Assert.False(EnvoyAttributes.IsUnderOpenPrefix(new[] { "request", "path" }));

        Assert.Null(EnvoyAttributes.Find(new[] { "request", "headers", "x-foo" }));
        Assert.True(EnvoyAttributes.IsUnderOpenPrefix(new[] { "request", "headers", "x-foo" }));
        Assert.True(EnvoyAttributes.IsUnderOpenPrefix(new[] { "metadata", "filter_metadata", "envoy.lb" }));
        Assert.True(EnvoyAttributes.IsUnderOpenPrefix(new[] { "xds", "node", "id" }));

        Assert.Null(EnvoyAttributes.Find(new[] { "request", "pth" }));
        Assert.False(EnvoyAttributes.IsUnderOpenPrefix(new[] { "request", "pth" }));

        EnvoyAttribute? headers = EnvoyAttributes.Find(new[] { "request", "headers" });
        Assert.NotNull(headers);
        Assert.Equal(AttributeKind.Map, headers!.Kind);
        Assert.False(EnvoyAttributes.IsUnderOpenPrefix(new[] { "request", "headers" }));

        // Exact, ordinal segments: no dotted segment, no case folding, no empty segment.
        Assert.Null(EnvoyAttributes.Find(new[] { "request.path" }));
        Assert.Null(EnvoyAttributes.Find(new[] { "Request", "Path" }));
        Assert.Null(EnvoyAttributes.Find(Array.Empty<string>()));
        Assert.False(EnvoyAttributes.IsUnderOpenPrefix(new[] { "request", "headers", "" }));
        Assert.False(EnvoyAttributes.IsUnderOpenPrefix(new[] { "request", "headersx", "a" }));

        Assert.All(EnvoyAttributes.InGroup("request"), a => Assert.StartsWith("request.", a.Path, StringComparison.Ordinal));
        Assert.Contains(EnvoyAttributes.InGroup("request"), a => a.Path == "request.path");
        Assert.DoesNotContain(EnvoyAttributes.InGroup("upstream"), a => a.Path == "upstream_host_metadata");
        Assert.Empty(EnvoyAttributes.InGroup("nope"));
    }

    /// <summary>One property path read in src/Runtime/Properties/*.cs: a whole path, or (<see cref="IsPrefix"/>) the
    /// constant segments before a caller-supplied one.</summary>
    private sealed record PathUse(string Path, string Reader, bool IsPrefix, string Where);

    private static List<PathUse> RuntimePathUses()
    {
        string folder = Path.Combine(TestPaths.RepoRoot, "src", "Runtime", "Properties");
        string[] files = Directory.GetFiles(folder, "*.cs");
        Assert.NotEmpty(files);

        var uses = new List<PathUse>();
        foreach (string file in files.OrderBy(f => f, StringComparer.Ordinal))
        {
            // Code only: comment lines hold examples (<code> blocks, cref="TryGetInt64") that are not reads. They are
            // blanked, not dropped, so the line numbers in messages are the file's.
            string code = string.Join("\n", File.ReadAllLines(file).Select(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal) ? string.Empty : l));
            foreach (Match call in Call.Matches(code))
            {
                string reader = call.Groups["reader"].Value;
                string[] args = call.Groups["args"].Value.Split(',').Select(a => a.Trim()).Where(a => a.Length > 0 && !a.StartsWith("out ", StringComparison.Ordinal)).ToArray();
                string[] literals = args.Select(a => Utf8Literal.Match(a)).Where(m => m.Success).Select(m => m.Groups["text"].Value).ToArray();
                if (literals.Length == 0)
                {
                    continue;
                }

                string where = $"{Path.GetFileName(file)}:{1 + code.Take(call.Index).Count(c => c == '\n')}";
                if (reader == "TryGetXds" || literals.Any(l => l.Contains("\\0", StringComparison.Ordinal)))
                {
                    // Each literal is a whole NUL-joined path (TryGetXds: the xds path and its older top-level name).
                    Assert.True(literals.Length == args.Length, $"{where}: a NUL-joined path mixed with other arguments: {call.Value}");
                    uses.AddRange(literals.Select(l => new PathUse(l.Replace("\\0", ".", StringComparison.Ordinal), reader, false, where)));
                }
                else
                {
                    // Segment arguments: all literal, a whole path ("plugin_name"u8); else the literal leading
                    // segments, then caller-supplied ones (TryGet("request"u8, "headers"u8, name, out value)).
                    int leading = args.TakeWhile(a => Utf8Literal.IsMatch(a)).Count();
                    Assert.True(leading == literals.Length, $"{where}: a literal segment after a caller-supplied one: {call.Value}");
                    uses.Add(new PathUse(string.Join(".", literals), reader, leading < args.Length, where));
                }
            }
        }

        return uses;
    }
}
