using System;
using System.CommandLine;

namespace ProxyWasm.Cli.Commands;

/// <summary><c>proxywasm inspect</c> (scaffold: the command is being written; it exits 70 until then).</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var command = new Command("inspect", "Not written yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("proxywasm inspect: not written yet");
            return 70;
        });
        return command;
    }
}
