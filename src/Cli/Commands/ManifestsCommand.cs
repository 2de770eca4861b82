using System;
using System.CommandLine;

namespace ProxyWasm.Cli.Commands;

/// <summary><c>proxywasm manifests</c> (scaffold: the command is being written; it exits 70 until then).</summary>
internal static class ManifestsCommand
{
    public static Command Create()
    {
        var command = new Command("manifests", "Not written yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("proxywasm manifests: not written yet");
            return 70;
        });
        return command;
    }
}
