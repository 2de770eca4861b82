using System;
using System.IO;
using System.Runtime.InteropServices;
using ProxyWasm.Cli.Output;
using ProxyWasm.Testing;

namespace ProxyWasm.Cli.Loading;

/// <summary>Loads a <c>.wasm</c> file with ProxyWasm.Testing (Wasmtime) for <c>run</c> and <c>inspect</c>: compiled, and
/// checked as proxy-wasm-cpp-host checks a module before Envoy runs it (<see cref="WasmModule.Report"/>).</summary>
internal static class WasmChecks
{
    /// <summary>
    /// Reads, compiles and checks <paramref name="path"/>. A module that fails the checks is returned with its
    /// report. A file that cannot be read is a usage error (exit 2); a Wasmtime native library missing for this
    /// platform is exit 4.
    /// </summary>
    public static WasmModule Load(string path)
    {
        try
        {
            return WasmModule.Load(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"{FilterTargets.Relative(path)}: {error.Message}");
        }
        catch (Exception error) when (error is DllNotFoundException or TypeInitializationException { InnerException: DllNotFoundException })
        {
            throw CliException.Internal(
                $"cannot load wasm modules here: Wasmtime's native library for {RuntimeInformation.RuntimeIdentifier} is not part of this proxywasm ({(error.InnerException ?? error).Message})",
                error);
        }
    }
}
