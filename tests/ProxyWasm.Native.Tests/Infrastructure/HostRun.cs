using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>One output record of the host: its kind and fields, unescaped (UTF-8).</summary>
internal sealed record HostRecord(string Kind, IReadOnlyList<string> Fields)
{
    public override string ToString() => Kind + "\t" + string.Join('\t', Fields);
}

/// <summary>An HTTP call the host accepted (records <c>http_call</c>, <c>http_call_header</c>, <c>http_call_body</c>,
/// <c>http_call_trailer</c>).</summary>
internal sealed record HostHttpCall(
    uint Context,
    uint Token,
    string Cluster,
    uint TimeoutMilliseconds,
    IReadOnlyList<(string Name, string Value)> Headers,
    string Body,
    IReadOnlyList<(string Name, string Value)> Trailers);

/// <summary>A gRPC call or stream the host accepted (records <c>grpc_call</c> or <c>grpc_stream</c>,
/// <c>grpc_call_metadata</c>, <c>grpc_call_message</c>, <c>grpc_send</c>, <c>grpc_ended</c>).</summary>
internal sealed record HostGrpcCall(
    uint Context,
    uint Token,
    bool IsStream,
    string Cluster,
    string Service,
    string Method,
    uint TimeoutMilliseconds,
    IReadOnlyList<(string Name, string Value)> Metadata,
    string Message,
    IReadOnlyList<(bool EndOfStream, string Message)> Sends,
    string? EndedBy);

/// <summary>The records of one run of the C host against a module.</summary>
internal sealed class HostRun
{
    private HostRun(ProcessResult process, IReadOnlyList<HostRecord> records)
    {
        Process = process;
        Records = records;
    }

    public ProcessResult Process { get; }

    public IReadOnlyList<HostRecord> Records { get; }

    /// <summary>Runs the host against <paramref name="library"/> and asserts it exited cleanly (status 0: no protocol error).</summary>
    public static HostRun Execute(NativeBuild build, string library, HostInput input)
    {
        string host = build.Host();
        string inputFile = Path.Combine(build.TemporaryDirectory, "input-" + Guid.NewGuid().ToString("N") + ".tsv");
        File.WriteAllText(inputFile, input.Render(), new UTF8Encoding(false));
        ProcessResult process = Tools.Run(host, [library, inputFile], TimeSpan.FromMinutes(2));
        File.Delete(inputFile);
        var records = process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t').Select(Unescape).ToArray())
            .Select(fields => new HostRecord(fields[0], fields[1..]))
            .ToList();
        var run = new HostRun(process, records);
        Assert.True(process.ExitCode == 0, "The host reported a failure.\n" + process.Describe());
        Assert.DoesNotContain(records, r => r.Kind == "error");
        return run;
    }

    public IEnumerable<HostRecord> OfKind(string kind) => Records.Where(r => r.Kind == kind);

    /// <summary>Callback calls (context, name, args, result) in call order.</summary>
    public IReadOnlyList<(uint Context, string Callback, string Arguments, string Result)> Calls() =>
        OfKind("call").Select(r => (uint.Parse(r.Fields[0], CultureInfo.InvariantCulture), r.Fields[1], r.Fields[2], r.Fields[3])).ToList();

    /// <summary>The action a callback returned on <paramref name="context"/>.</summary>
    public string Result(uint context, string callback)
    {
        var calls = Calls().Where(c => c.Context == context && c.Callback == callback).ToList();
        Assert.True(calls.Count == 1, $"Expected one call of {callback} on context {context}, found {calls.Count}.\n{Dump()}");
        return calls[0].Result;
    }

    public IReadOnlyList<(string Name, string Value)> Headers(string kind, uint context) =>
        OfKind(kind).Where(r => r.Fields[0] == context.ToString(CultureInfo.InvariantCulture)).Select(r => (r.Fields[1], r.Fields[2])).ToList();

    public IReadOnlyList<(string Name, string Value)> Upstream(uint context) => Headers("upstream_header", context);

    public IReadOnlyList<(string Name, string Value)> Downstream(uint context) => Headers("downstream_header", context);

    public IReadOnlyList<(string Name, string Value)> LocalResponseHeaders(uint context) => Headers("local_response_header", context);

    public IReadOnlyList<HostRecord> LocalResponses(uint context) =>
        OfKind("local_response").Where(r => r.Fields[0] == context.ToString(CultureInfo.InvariantCulture)).ToList();

    /// <summary>Host functions the module called, with the status each returned.</summary>
    public IReadOnlyList<(string Function, int Status)> HostCalls() =>
        OfKind("hostcall").Select(r => (r.Fields[1], int.Parse(r.Fields[2], CultureInfo.InvariantCulture))).ToList();

    /// <summary>Log lines (<c>proxy_log</c>): the context they were written on (the effective one), level, message.</summary>
    public IReadOnlyList<(uint Context, int Level, string Message)> Logs() =>
        OfKind("log").Select(r => (Number(r.Fields[0]), int.Parse(r.Fields[1], CultureInfo.InvariantCulture), r.Fields[2])).ToList();

    /// <summary>The properties the module set (<c>set_property</c>): effective context, NUL-joined path, value.</summary>
    public IReadOnlyList<(uint Context, string Path, string Value)> SetProperties() =>
        OfKind("set_property").Select(r => (Number(r.Fields[0]), r.Fields[1], r.Fields[2])).ToList();

    /// <summary>The HTTP calls proxy_http_call accepted, in dispatch order, each with what it sent.</summary>
    public IReadOnlyList<HostHttpCall> HttpCalls()
    {
        IReadOnlyList<(string Name, string Value)> Of(string kind, string token) =>
            OfKind(kind).Where(r => r.Fields[0] == token).Select(r => (r.Fields[1], r.Fields[2])).ToList();

        return OfKind("http_call").Select(r => new HostHttpCall(
                Number(r.Fields[0]),
                Number(r.Fields[1]),
                r.Fields[2],
                Number(r.Fields[3]),
                Of("http_call_header", r.Fields[1]),
                OfKind("http_call_body").Where(b => b.Fields[0] == r.Fields[1]).Select(b => b.Fields[1]).SingleOrDefault() ?? "",
                Of("http_call_trailer", r.Fields[1])))
            .ToList();
    }

    /// <summary>Tokens of the HTTP calls the host never answered.</summary>
    public IReadOnlyList<uint> PendingHttpCalls() => OfKind("http_call_pending").Select(r => Number(r.Fields[1])).ToList();

    /// <summary>The gRPC calls and streams the host accepted, in dispatch order, each with what the module sent and how
    /// the module ended it (<c>close</c>, <c>cancel</c>, or null).</summary>
    public IReadOnlyList<HostGrpcCall> GrpcCalls() =>
        Records.Where(r => r.Kind is "grpc_call" or "grpc_stream").Select(r =>
            {
                string token = r.Fields[1];
                return new HostGrpcCall(
                    Number(r.Fields[0]),
                    Number(token),
                    r.Kind == "grpc_stream",
                    r.Fields[2],
                    r.Fields[3],
                    r.Fields[4],
                    r.Kind == "grpc_call" ? Number(r.Fields[5]) : 0,
                    OfKind("grpc_call_metadata").Where(m => m.Fields[0] == token).Select(m => (m.Fields[1], m.Fields[2])).ToList(),
                    OfKind("grpc_call_message").Where(m => m.Fields[0] == token).Select(m => m.Fields[1]).SingleOrDefault() ?? "",
                    OfKind("grpc_send").Where(s => s.Fields[0] == token).Select(s => (s.Fields[1] == "1", s.Fields[2])).ToList(),
                    OfKind("grpc_ended").Where(e => e.Fields[1] == token).Select(e => e.Fields[2]).SingleOrDefault());
            })
            .ToList();

    /// <summary>Tokens of the gRPC calls and streams the host never answered and the module did not end.</summary>
    public IReadOnlyList<uint> PendingGrpcCalls() => OfKind("grpc_pending").Select(r => Number(r.Fields[1])).ToList();

    /// <summary>The gRPC answer callbacks (<c>proxy_on_grpc_*</c>), in order: context, callback, arguments.</summary>
    public IReadOnlyList<(uint Context, string Callback, string Arguments)> GrpcAnswers() =>
        Calls().Where(c => c.Callback.StartsWith("proxy_on_grpc_", StringComparison.Ordinal)).Select(c => (c.Context, c.Callback, c.Arguments)).ToList();

    /// <summary>The metrics defined in the run, in definition order, with their final values (records <c>metric</c>).</summary>
    public IReadOnlyList<(uint Id, string Type, string Name, ulong Value)> Metrics() =>
        OfKind("metric").Select(r => (Number(r.Fields[0]), r.Fields[1], r.Fields[3], ulong.Parse(r.Fields[2], CultureInfo.InvariantCulture))).ToList();

    /// <summary>The shared data at the end of the run, by key in creation order (records <c>shared_data</c>), each value
    /// as bytes (exact for bytes below 0x80: the host's fields are read as UTF-8).</summary>
    public IReadOnlyList<(string Key, byte[] Value, uint Cas)> SharedData() =>
        OfKind("shared_data").Select(r => (r.Fields[0], Encoding.Latin1.GetBytes(r.Fields[1]), Number(r.Fields[2]))).ToList();

    /// <summary>Records of <paramref name="kind"/> whose first field is <paramref name="context"/>, without that field.</summary>
    public IReadOnlyList<string> On(string kind, uint context) =>
        OfKind(kind).Where(r => r.Fields[0] == context.ToString(CultureInfo.InvariantCulture)).Select(r => string.Join('\t', r.Fields.Skip(1))).ToList();

    /// <summary>The callbacks called on <paramref name="context"/>, in order (name only).</summary>
    public IReadOnlyList<string> CallbacksOn(uint context) => Calls().Where(c => c.Context == context).Select(c => c.Callback).ToList();

    /// <summary>The log messages written on <paramref name="context"/>, in order.</summary>
    public IReadOnlyList<string> LogsOn(uint context) => Logs().Where(l => l.Context == context).Select(l => l.Message).ToList();

    public string Dump() => string.Join('\n', Records) + "\n--- stderr ---\n" + Process.StandardError;

    private static uint Number(string field) => uint.Parse(field, CultureInfo.InvariantCulture);

    private static string Unescape(string field)
    {
        var bytes = new List<byte>(field.Length);
        byte[] utf8 = Encoding.UTF8.GetBytes(field);
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != (byte)'\\')
            {
                bytes.Add(utf8[i]);
                continue;
            }

            char next = (char)utf8[++i];
            switch (next)
            {
                case '\\': bytes.Add((byte)'\\'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'x':
                    bytes.Add(byte.Parse(Encoding.ASCII.GetString(utf8, i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default:
                    throw new FormatException($"Bad escape \\{next} in host output field '{field}'.");
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
