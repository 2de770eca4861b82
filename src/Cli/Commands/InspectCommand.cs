using System.CommandLine;
using ProxyWasm.Cli.Inspect;

namespace ProxyWasm.Cli.Commands;

/// <summary>
/// <c>proxywasm inspect &lt;target&gt;</c>: the ABI manifest of a filter assembly or project (filters, hooks, exports,
/// host functions it can call), or the exports and imports of a built native (.so) or wasm module, with Envoy's verdict on
/// a wasm module (docs/cli.md).
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target")
        {
            Description = "A filter assembly (.dll), a project (.csproj, or a directory holding one; built with `dotnet build -c Debug` first), a native module (.so) or a wasm module (.wasm).",
        };
        var json = new Option<bool>("--json") { Description = "Print the manifest as one JSON object." };
        var command = new Command("inspect", "Prints the ABI manifest of a filter: its filters (kind, root id, failure policy, plugin, configuration), hooks and the proxy_on_* exports they map to, the module's exports and the proxy_* host functions it can call; for a .so or .wasm, its exports and imports, and for a .wasm whether Envoy would load it (proxy-wasm-cpp-host's load checks; a module it would refuse still exits 0). Exit codes: 0 done, 2 usage error, 3 build failed, 4 internal error.")
        {
            target,
            json,
        };
        command.SetAction(parse => InspectSession.Execute(parse.GetValue(target)!, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
