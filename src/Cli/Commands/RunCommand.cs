using System;
using System.CommandLine;
using ProxyWasm.Cli.Run;

namespace ProxyWasm.Cli.Commands;

/// <summary>
/// <c>proxywasm run &lt;filter&gt;</c>: one HTTP request through a filter assembly (or a project, built first) in the
/// in-process Proxy-Wasm host, or through a <c>.wasm</c> module (<c>run FILE.wasm</c>, <c>run --wasm FILE</c>) under
/// Wasmtime, printing what the filter did (docs/cli.md).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var filter = new Argument<string?>("filter")
        {
            Description = "The filter: an assembly (.dll), a project (.csproj, or a directory holding one) that is built with `dotnet build -c Debug` first, or a wasm module (.wasm) run with Wasmtime.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var wasm = new Option<string?>("--wasm") { HelpName = "file", Description = "Run this wasm module with Wasmtime, whatever its file name (instead of <filter>). It must pass proxy-wasm-cpp-host's load checks (exit 1 says why not)." };
        var failOpen = new Option<bool>("--fail-open") { Description = "A .wasm module's failure policy: when its VM fails (a trap), streams go on without the filter. Default: fail closed (a local 503)." };
        var rootId = new Option<string?>("--root-id") { Description = "The root id of the filter to run. Default: the module's only root id (required when it has several); for a .wasm module, empty (Envoy's default)." };
        var header = new Option<string[]>("--header", "-H")
        {
            Description = "A request header 'name: value' (repeatable). It replaces the default header of that name; 'name:' removes it, 'name;' sends it empty.",
            AllowMultipleArgumentsPerToken = false,
        };
        var method = new Option<string?>("--method", "-X") { Description = "The request method (:method). Default GET, or POST with a body." };
        var path = new Option<string?>("--path") { Description = "The request path (:path). Default /get." };
        var authority = new Option<string?>("--authority") { Description = "The request authority (:authority). Default example.com." };
        var scheme = new Option<string?>("--scheme") { Description = "The request scheme (:scheme). Default http." };
        var data = new Option<string?>("--data", "-d") { Description = "The request body (text); adds content-length and content-type: application/x-www-form-urlencoded, as curl does." };
        var dataFile = new Option<string?>("--data-file") { Description = "The request body, read from a file." };
        var responseStatus = new Option<string?>("--response-status") { Description = "The upstream's response status. Default 200." };
        var responseHeader = new Option<string[]>("--response-header")
        {
            Description = "A header of the upstream's response 'name: value' (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var responseBody = new Option<string?>("--response-body") { Description = "The upstream's response body (text); adds content-length." };
        var config = new Option<string?>("--config") { Description = "The plugin configuration (Envoy's `configuration` value), read in proxy_on_configure." };
        var configFile = new Option<string?>("--config-file") { Description = "The plugin configuration, read from a file." };
        var vmConfig = new Option<string?>("--vm-config") { Description = "The VM configuration (Envoy's vm_config.configuration), read in proxy_on_vm_start." };
        var vmConfigFile = new Option<string?>("--vm-config-file") { Description = "The VM configuration, read from a file." };
        var json = new Option<bool>("--json") { Description = "Print the whole exchange as one JSON object." };

        var command = new Command("run", "Runs one HTTP request through a filter in the in-process Proxy-Wasm host (or a .wasm module under Wasmtime) and prints what the filter did. Exit codes: 0 done, 1 plugin rejected (or a .wasm module Envoy would not load), 2 usage error, 3 build failed, 4 internal error.")
        {
            filter, wasm, failOpen, rootId, header, method, path, authority, scheme, data, dataFile,
            responseStatus, responseHeader, responseBody, config, configFile, vmConfig, vmConfigFile, json,
        };

        command.SetAction(parse => RunSession.Execute(
            new RunSettings
            {
                Filter = parse.GetValue(filter),
                Wasm = parse.GetValue(wasm),
                FailOpen = parse.GetValue(failOpen),
                RootId = parse.GetValue(rootId),
                Flags = new RequestFlags
                {
                    Headers = parse.GetValue(header) ?? [],
                    Method = parse.GetValue(method),
                    Path = parse.GetValue(path),
                    Authority = parse.GetValue(authority),
                    Scheme = parse.GetValue(scheme),
                    Data = parse.GetValue(data),
                    DataFile = parse.GetValue(dataFile),
                    ResponseStatus = parse.GetValue(responseStatus),
                    ResponseHeaders = parse.GetValue(responseHeader) ?? [],
                    ResponseBody = parse.GetValue(responseBody),
                },
                Config = parse.GetValue(config),
                ConfigFile = parse.GetValue(configFile),
                VmConfig = parse.GetValue(vmConfig),
                VmConfigFile = parse.GetValue(vmConfigFile),
                Json = parse.GetValue(json),
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }
}
