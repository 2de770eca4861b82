using System.CommandLine;
using ProxyWasm.Cli.Commands;

var root = new RootCommand("proxywasm: run, inspect, package and deploy C# Proxy-Wasm filters (docs/cli.md).")
{
    RunCommand.Create(),
    InspectCommand.Create(),
    OciCommand.Create(),
    ManifestsCommand.Create(),
};

return root.Parse(args).Invoke();
