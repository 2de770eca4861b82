using System;

namespace ProxyWasm.Cli.Output;

/// <summary>The exit codes of <c>proxywasm run</c> and <c>proxywasm inspect</c> (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Done: the command ran (whatever the filter decided).</summary>
    public const int Ok = 0;

    /// <summary>The plugin was rejected: <c>proxy_on_vm_start</c> or <c>proxy_on_configure</c> returned false, or a
    /// <c>.wasm</c> module's VM failed during start-up; or (<c>run</c> on a <c>.wasm</c>) Envoy would not load the module:
    /// it fails proxy-wasm-cpp-host's load checks.</summary>
    public const int Rejected = 1;

    /// <summary><c>oci</c> and <c>manifests</c>: an input that is not what it should be (not a wasm module, no filter,
    /// configuration that is not JSON) or an I/O failure. Same value as <see cref="Rejected"/>, which only <c>run</c> uses.</summary>
    public const int BadInput = 1;

    /// <summary>A usage error: bad flags, a missing file, an assembly with no filter, an unknown or ambiguous root id.</summary>
    public const int Usage = 2;

    /// <summary>The filter project did not build.</summary>
    public const int BuildFailed = 3;

    /// <summary>The filter failed in a way the host could not contain, or the tool failed.</summary>
    public const int Internal = 4;
}

/// <summary>
/// An error the tool reports as one <c>proxywasm: ...</c> line on stderr and an exit code, never as a stack trace.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    /// <summary>The process exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }

    /// <summary>A usage error (exit 2).</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>An input that is not what it should be (exit 1, <c>oci</c> and <c>manifests</c>).</summary>
    public static CliException BadInput(string message) => new(ExitCodes.BadInput, message);

    /// <summary>A failure the host could not contain, or of the tool itself (exit 4).</summary>
    public static CliException Internal(string message, Exception? inner = null) => new(ExitCodes.Internal, message, inner);
}
