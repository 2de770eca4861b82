using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ProxyWasm.Analyzers.Sandbox;

/// <summary>
/// The sandbox rules PXW2001..PXW2099: APIs that cannot work inside a Proxy-Wasm VM (single-threaded, no sockets,
/// no file system, no processes, no runtime code generation) and state that leaks between streams.
/// </summary>
/// <remarks>They apply to the whole filter project (a compilation that references ProxyWasm.Runtime and declares an
/// [HttpFilter]), which is only known at compilation end, so the descriptors carry
/// <see cref="WellKnownDiagnosticTags.CompilationEnd"/>.</remarks>
internal static class SandboxDescriptors
{
    private static DiagnosticDescriptor Rule(string id, string title, string message, DiagnosticSeverity severity, string description) =>
        new(id, title, message, DiagnosticHelp.Sandbox, severity, isEnabledByDefault: true,
            description: description, helpLinkUri: DiagnosticHelp.HelpLink(id), customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>PXW2001: threads, the thread pool and timers.</summary>
    public static readonly DiagnosticDescriptor Threads = Rule("PXW2001",
        "Threads are not available in a Proxy-Wasm VM",
        "'{0}' runs work on another thread or a timer, but a Proxy-Wasm VM has one thread; use the plugin tick (Plugin.SetTickPeriod and [OnTick]) or the host's callbacks",
        DiagnosticSeverity.Error,
        "A wasm VM has a single thread that the host lends for each callback; threads, the thread pool and timers do not exist.");

    /// <summary>PXW2002: blocking waits.</summary>
    public static readonly DiagnosticDescriptor Blocking = Rule("PXW2002",
        "Blocking call in a Proxy-Wasm VM",
        "'{0}' blocks the VM's only thread, and with it the proxy worker; return Pause/StopIteration and resume the stream from the host's callback",
        DiagnosticSeverity.Error,
        "Nothing else can run while a callback blocks: a wait either returns at once or deadlocks the worker thread.");

    /// <summary>PXW2003: HttpClient, sockets and DNS.</summary>
    public static readonly DiagnosticDescriptor Networking = Rule("PXW2003",
        "Network API is not available in a Proxy-Wasm VM",
        "'{0}' opens network connections, which the sandbox does not allow; call an upstream cluster through the host (proxy_http_call)",
        DiagnosticSeverity.Error,
        "A filter reaches the network only through the host: HTTP and gRPC calls to configured clusters.");

    /// <summary>PXW2004: file system.</summary>
    public static readonly DiagnosticDescriptor FileSystem = Rule("PXW2004",
        "File system is not available in a Proxy-Wasm VM",
        "'{0}' accesses the file system, which the proxy does not give the VM; pass data through the plugin or VM configuration",
        DiagnosticSeverity.Warning,
        "Envoy preopens no directories for a wasm VM, so file APIs fail at run time.");

    /// <summary>PXW2005: processes.</summary>
    public static readonly DiagnosticDescriptor Processes = Rule("PXW2005",
        "Processes are not available in a Proxy-Wasm VM",
        "'{0}' starts or inspects processes, which the sandbox does not allow",
        DiagnosticSeverity.Error,
        "A wasm VM cannot start or inspect processes.");

    /// <summary>PXW2006: Console.</summary>
    public static readonly DiagnosticDescriptor Console = Rule("PXW2006",
        "Console output is lost in a Proxy-Wasm VM",
        "'{0}' writes to the console, which the proxy does not show with the filter's logs; log through ProxyWasm.Log",
        DiagnosticSeverity.Warning,
        "Standard output of a wasm VM is not part of the proxy's logging; ProxyWasm.Log writes through proxy_log at a log level.");

    /// <summary>PXW2007: Environment.Exit / FailFast.</summary>
    public static readonly DiagnosticDescriptor Exit = Rule("PXW2007",
        "Exiting terminates the whole VM",
        "'{0}' would terminate the VM and every stream it serves; send a local response or return an error status instead",
        DiagnosticSeverity.Error,
        "A VM serves every stream of its worker thread; exiting it fails all of them.");

    /// <summary>PXW2008: Reflection.Emit and dynamic.</summary>
    public static readonly DiagnosticDescriptor CodeGeneration = Rule("PXW2008",
        "Runtime code generation is not available in a Proxy-Wasm VM",
        "{0} needs runtime code generation, which a NativeAOT-compiled wasm module does not have; use generics, static code or a source generator",
        DiagnosticSeverity.Error,
        "The filter is compiled ahead of time to wasm; System.Reflection.Emit and the dynamic binder cannot generate code there.");

    /// <summary>PXW2009: static field written on a hot path.</summary>
    public static readonly DiagnosticDescriptor StaticWrite = Rule("PXW2009",
        "Hook writes static state shared by every stream",
        "Writing static '{0}' {1} shares the value with every stream this VM serves (one VM per worker thread); keep per-stream state in filter fields and shared state in the plugin",
        DiagnosticSeverity.Warning,
        "A VM is shared by all streams of a worker thread: a static written by one request is seen by the next ones.");

    /// <summary>Descriptors the sandbox analyzer reports (PXW2009 comes with the hot-path call graph).</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> ApiRules = ImmutableArray.Create(
        Threads, Blocking, Networking, FileSystem, Processes, Console, Exit, CodeGeneration);
}
