using System;
using System.CommandLine;

namespace ProxyWasm.Cli.Commands;

/// <summary><c>proxywasm run</c> (scaffold: the command is being written; it exits 70 until then).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Not written yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("proxywasm run: not written yet");
            return 70;
        });
        return command;
    }
}
