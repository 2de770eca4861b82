using System;
using System.CommandLine;

namespace ProxyWasm.Cli.Commands;

/// <summary><c>proxywasm oci</c> (scaffold: the command is being written; it exits 70 until then).</summary>
internal static class OciCommand
{
    public static Command Create()
    {
        var command = new Command("oci", "Not written yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("proxywasm oci: not written yet");
            return 70;
        });
        return command;
    }
}
