using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using ProxyWasm.Abi;
using ProxyWasm.Cli.Loading;
using ProxyWasm.Cli.Output;
using ProxyWasm.Testing;

namespace ProxyWasm.Cli.Run;

/// <summary>What <c>proxywasm run</c> prints: the request before and after the filter, each callback and what it
/// returned, the local response, the response to the client and the log; as text, or as one JSON object.</summary>
internal static class RunReport
{
    /// <summary>The text report (the format of the former src/Runner, plus bodies).</summary>
    public static void WriteText(RunOutcome outcome, TextWriter output)
    {
        RunModule module = outcome.Module;
        output.WriteLine(module.IsWasm
            ? $"wasm module {module.Name} (Proxy-Wasm ABI {module.Abi}, run with Wasmtime), root id \"{module.RootId}\""
            : $"module {module.Name}, root id \"{module.RootId}\"");
        output.WriteLine($"exports: {string.Join(", ", Text.Sorted(outcome.Exports))}");
        output.WriteLine($"plugin started: vm_start={Show(outcome.VmStart)}, configure={Show(outcome.Configure)}{(outcome.Accepted ? string.Empty : "  (rejected)")}");

        if (outcome.Exchange is not { } exchange)
        {
            output.WriteLine();
            output.WriteLine($"the plugin was rejected ({outcome.RejectedBecause}): Envoy would not use it, no request was sent");
            WriteLog(outcome, output);
            return;
        }

        output.WriteLine();
        output.WriteLine("request from the client:");
        WriteHeaders(output, exchange.Request.Headers, null);
        WriteBody(output, exchange.Request.Body, null);

        output.WriteLine();
        output.WriteLine(exchange.Callbacks.Count == 0 ? "callbacks: (none)" : "callbacks:");
        foreach (CallbackRecord call in exchange.Callbacks)
        {
            output.WriteLine($"  {call.Export}({call.ContextId}) -> {Describe(call)}");
        }

        if (outcome.VmFailure is { } failure)
        {
            // cpp-host fails the VM on a trap: the module is not called again, and each stream follows the failure policy.
            output.WriteLine();
            output.WriteLine($"vm failed: {failure.Message}");
            output.WriteLine(outcome.FailOpen
                ? "  failure policy: fail open (--fail-open): the stream goes on without the filter, later streams too"
                : $"  failure policy: fail closed: the stream gets a local 503 ({ProxyWasmHost.FailStreamDetails}), later streams too");
        }

        output.WriteLine();
        if (exchange.Upstream is { } upstream)
        {
            output.WriteLine("request sent upstream (+ added or changed, - removed):");
            WriteHeaders(output, upstream.Headers, exchange.Request.Headers);
            WriteBody(output, upstream.Body, exchange.Request.Body);
        }
        else
        {
            output.WriteLine(exchange.LocalResponse is null && exchange.Response is null
                ? "request sent upstream: none, the filter paused the request and did not resume it"
                : FailedClosed(outcome, exchange.LocalResponse)
                    ? "request sent upstream: none, the VM failed and the host failed the stream closed"
                    : "request sent upstream: none, the filter stopped it");
        }

        foreach (HttpCallRecord call in exchange.HttpCalls)
        {
            output.WriteLine();
            output.WriteLine($"http call {call.CalloutId} to \"{call.Upstream}\" (timeout {call.TimeoutMilliseconds} ms), not answered by proxywasm run:");
            WriteHeaders(output, call.Headers, null);
            WriteBody(output, call.Body, null);
        }

        output.WriteLine();
        if (exchange.LocalResponse is { } local)
        {
            output.WriteLine($"local response from {(FailedClosed(outcome, local) ? "the host (the VM failed, fail closed)" : "the filter")}: {local.StatusCode}{(local.Details.Length == 0 ? string.Empty : " (" + local.Details + ")")}");
        }

        if (exchange.Response is { } response)
        {
            output.WriteLine("response to the client (+ added or changed by the filter):");
            bool fromUpstream = exchange.LocalResponse is null;
            WriteHeaders(output, response.Headers, fromUpstream ? outcome.UpstreamResponse.Headers : null);
            WriteBody(output, response.Body, fromUpstream ? outcome.UpstreamResponse.Body : null);
        }
        else
        {
            output.WriteLine("response to the client: none, the stream stayed paused");
        }

        WriteLog(outcome, output);
    }

    /// <summary>The JSON report: one object with every part of the exchange.</summary>
    public static JsonObject ToJson(RunOutcome outcome)
    {
        HttpExchange? exchange = outcome.Exchange;
        var json = new JsonObject
        {
            ["module"] = new JsonObject
            {
                ["kind"] = outcome.Module.Kind,
                ["name"] = outcome.Module.Name,
                ["path"] = outcome.Module.Path,
                ["project"] = outcome.Module.Project,
                ["runtime"] = outcome.Module.Runtime?.ToString(),
                ["toolRuntime"] = FilterModule.ToolRuntime.ToString(),
                ["abi"] = outcome.Module.Abi,
            },
            ["rootId"] = outcome.Module.RootId,
            ["filter"] = outcome.Module.FilterType,
            ["exports"] = Text.Names(Text.Sorted(outcome.Exports)),
            ["plugin"] = new JsonObject
            {
                ["vmStart"] = outcome.VmStart,
                ["configure"] = outcome.Configure,
                ["accepted"] = outcome.Accepted,
                ["callbacks"] = Callbacks(outcome.PluginCallbacks),
            },
            ["request"] = Message(outcome.Request.Headers, outcome.Request.Body),
            ["callbacks"] = exchange is null ? new JsonArray() : Callbacks(exchange.Callbacks),
            ["upstream"] = exchange?.Upstream is { } upstream ? Message(upstream.Headers, upstream.Body) : null,
            ["upstreamResponse"] = Message(outcome.UpstreamResponse.Headers, outcome.UpstreamResponse.Body),
            ["httpCalls"] = exchange is null ? new JsonArray() : new JsonArray(exchange.HttpCalls.Select(call =>
            {
                JsonObject message = Message(call.Headers, call.Body);
                message["calloutId"] = call.CalloutId;
                message["upstream"] = call.Upstream;
                message["timeoutMilliseconds"] = call.TimeoutMilliseconds;
                return (JsonNode)message;
            }).ToArray()),
            ["localResponse"] = exchange?.LocalResponse is { } local ? LocalResponse(local) : null,
            ["response"] = exchange?.Response is { } response ? Message(response.Headers, response.Body) : null,
            ["vmFailure"] = outcome.VmFailure is { } failure
                ? new JsonObject { ["function"] = failure.Function, ["reason"] = failure.Reason, ["message"] = failure.Message }
                : null,
            ["failOpen"] = outcome.FailOpen,
            ["logs"] = new JsonArray(outcome.Logs.Select(l => (JsonNode)new JsonObject { ["level"] = l.Level.ToString(), ["message"] = l.Message }).ToArray()),
            ["exitCode"] = outcome.ExitCode,
        };
        return json;
    }

    private static JsonObject LocalResponse(LocalResponse local)
    {
        var json = new JsonObject
        {
            ["status"] = local.StatusCode,
            ["details"] = local.Details,
            ["grpcStatus"] = local.GrpcStatus,
            ["headers"] = Text.Headers(local.Headers),
        };
        Text.AddBody(json, local.Body);
        return json;
    }

    private static JsonObject Message(HeaderList headers, byte[] body)
    {
        var json = new JsonObject { ["headers"] = Text.Headers(headers) };
        Text.AddBody(json, body);
        return json;
    }

    private static JsonArray Callbacks(System.Collections.Generic.IEnumerable<CallbackRecord> calls)
        => new(calls.Select(call => (JsonNode)new JsonObject
        {
            ["export"] = call.Export,
            ["contextId"] = call.ContextId,
            ["result"] = call.Result,
            ["status"] = Status(call),
        }).ToArray());

    private static void WriteLog(RunOutcome outcome, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(outcome.Logs.Count == 0 ? "log: (nothing)" : "log:");
        foreach (LogEntry entry in outcome.Logs)
        {
            output.WriteLine($"  {entry}");
        }
    }

    /// <summary>Whether <paramref name="local"/> is the 503 the host sends for a failed VM (fail closed), not the filter's.</summary>
    private static bool FailedClosed(RunOutcome outcome, LocalResponse? local)
        => outcome.VmFailure is not null && local?.Details == ProxyWasmHost.FailStreamDetails;

    private static string Show(bool? value) => value is null ? "not exported" : value.Value ? "true" : "false";

    private static string Describe(CallbackRecord call) => call.Result is not { } result
        ? "void"
        : Status(call) is { } status ? $"{status} ({result})" : result.ToString(CultureInfo.InvariantCulture);

    /// <summary>The status name of a stream callback's result, or null.</summary>
    private static string? Status(CallbackRecord call) => call.Result is not { } result ? null : ProxyCallbacks.ForExport(call.Export)?.Result switch
    {
        CallbackResult.HeadersStatus => ((FilterHeadersStatus)result).ToString(),
        CallbackResult.DataStatus => ((FilterDataStatus)result).ToString(),
        CallbackResult.TrailersStatus => ((FilterTrailersStatus)result).ToString(),
        CallbackResult.NetworkStatus => ((FilterStatus)result).ToString(),
        CallbackResult.Bool => result != 0 ? "true" : "false",
        _ => null,
    };

    private static void WriteHeaders(TextWriter output, HeaderList headers, HeaderList? before)
    {
        foreach (Header header in headers)
        {
            bool changed = before is not null && !before.Any(h => h.Name.AsSpan().SequenceEqual(header.Name) && h.Value.AsSpan().SequenceEqual(header.Value));
            output.WriteLine($"{(changed ? "+ " : "  ")}{header}");
        }

        if (before is null)
        {
            return;
        }

        foreach (Header old in before)
        {
            if (!headers.Any(h => h.Name.AsSpan().SequenceEqual(old.Name)))
            {
                output.WriteLine($"- {old}");
            }
        }
    }

    /// <summary>The body, marked <c>+</c> when the filter changed it and <c>-</c> (the old one) when it emptied it.</summary>
    private static void WriteBody(TextWriter output, byte[] body, byte[]? before)
    {
        bool changed = before is not null && !body.AsSpan().SequenceEqual(before);
        if (body.Length != 0)
        {
            output.WriteLine($"{(changed ? "+ " : "  ")}body: {Text.Quote(System.Text.Encoding.UTF8.GetString(body))}");
        }
        else if (changed)
        {
            output.WriteLine($"- body: {Text.Quote(System.Text.Encoding.UTF8.GetString(before!))}");
        }
    }
}
