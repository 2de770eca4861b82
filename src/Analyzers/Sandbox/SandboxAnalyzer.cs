using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ProxyWasm.Analyzers.HotPath;

namespace ProxyWasm.Analyzers.Sandbox;

/// <summary>
/// Reports APIs that cannot work inside a Proxy-Wasm VM (PXW2001..PXW2008): threads, timers and the thread pool,
/// blocking waits, sockets/HttpClient/DNS, the file system, processes, the console, <c>Environment.Exit</c>,
/// Reflection.Emit and <c>dynamic</c>.
/// </summary>
/// <remarks>Scope: the whole filter project, i.e. a compilation that references ProxyWasm.Runtime and declares a type
/// with <c>[HttpFilter]</c>. Test projects and libraries that only reference the runtime are not checked. When the
/// generated <c>ProxyWasmModule</c> is in the compilation, uses are reported as operations are analyzed (live in the
/// IDE); otherwise they are collected and reported at compilation end, once a filter declaration has been seen.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SandboxAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        SandboxDescriptors.ApiRules.AddRange(SandboxDescriptors.ApiRules.Select(DiagnosticHelp.Live));

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? httpFilter = start.Compilation.GetTypeByMetadataName("ProxyWasm.HttpFilterAttribute");
            if (httpFilter is null || SymbolEqualityComparer.Default.Equals(httpFilter.ContainingAssembly, start.Compilation.Assembly))
            {
                return; // not a filter project, or the runtime itself
            }

            // The generator's module class is in the compilation the analyzers see (at build and in the IDE) as soon as a
            // filter exists: then it is a filter project from the start, and uses are reported as they are analyzed.
            // Otherwise (generators not run yet) uses wait for a filter declaration and are reported at compilation end.
            bool knownFilterProject = start.Compilation.Assembly.GetTypeByMetadataName("ProxyWasm.Generated.ProxyWasmModule") is not null;
            INamedTypeSymbol? networkFilter = start.Compilation.GetTypeByMetadataName("ProxyWasm.NetworkFilterAttribute");
            var state = new State(httpFilter, networkFilter, knownFilterProject);
            start.RegisterSymbolAction(state.AnalyzeType, SymbolKind.NamedType);
            start.RegisterOperationAction(state.AnalyzeOperation,
                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.PropertyReference,
                OperationKind.DynamicInvocation, OperationKind.DynamicMemberReference, OperationKind.DynamicObjectCreation,
                OperationKind.DynamicIndexerAccess);
            start.RegisterCompilationEndAction(state.Report);
        });
    }

    private enum Area
    {
        None,
        Thread,
        Task,
        Threads,
        Blocking,
        Awaiter,
        Networking,
        FileSystem,
        StreamWithPath,
        Path,
        Process,
        Console,
        Environment,
        Emit,
    }

    private static readonly Dictionary<string, Area> s_types = new()
    {
        ["System.Threading.Thread"] = Area.Thread,
        ["System.Threading.ThreadPool"] = Area.Threads,
        ["System.Threading.Timer"] = Area.Threads,
        ["System.Threading.PeriodicTimer"] = Area.Threads,
        ["System.Timers.Timer"] = Area.Threads,
        ["System.ComponentModel.BackgroundWorker"] = Area.Threads,
        ["System.Threading.Tasks.Parallel"] = Area.Threads,
        ["System.Threading.Tasks.TaskFactory"] = Area.Threads,
        ["System.Threading.Tasks.TaskFactory`1"] = Area.Threads,
        ["System.Threading.Tasks.Task"] = Area.Task,
        ["System.Threading.Tasks.Task`1"] = Area.Task,
        ["System.Threading.Tasks.ValueTask`1"] = Area.Task,
        ["System.Threading.WaitHandle"] = Area.Blocking,
        ["System.Threading.ManualResetEventSlim"] = Area.Blocking,
        ["System.Threading.SemaphoreSlim"] = Area.Blocking,
        ["System.Threading.CountdownEvent"] = Area.Blocking,
        ["System.Threading.Barrier"] = Area.Blocking,
        ["System.Threading.Monitor"] = Area.Blocking,
        ["System.Threading.SpinWait"] = Area.Blocking,
        ["System.Net.Http.HttpClient"] = Area.Networking,
        ["System.Net.Http.HttpMessageInvoker"] = Area.Networking,
        ["System.Net.Http.HttpClientHandler"] = Area.Networking,
        ["System.Net.Http.SocketsHttpHandler"] = Area.Networking,
        ["System.Net.Dns"] = Area.Networking,
        ["System.Net.WebClient"] = Area.Networking,
        ["System.Net.WebRequest"] = Area.Networking,
        ["System.Net.HttpWebRequest"] = Area.Networking,
        ["System.Net.NetworkInformation.Ping"] = Area.Networking,
        ["System.Net.WebSockets.ClientWebSocket"] = Area.Networking,
        ["System.IO.File"] = Area.FileSystem,
        ["System.IO.Directory"] = Area.FileSystem,
        ["System.IO.FileInfo"] = Area.FileSystem,
        ["System.IO.DirectoryInfo"] = Area.FileSystem,
        ["System.IO.FileSystemInfo"] = Area.FileSystem,
        ["System.IO.FileStream"] = Area.FileSystem,
        ["System.IO.FileSystemWatcher"] = Area.FileSystem,
        ["System.IO.DriveInfo"] = Area.FileSystem,
        ["System.IO.RandomAccess"] = Area.FileSystem,
        ["System.IO.StreamReader"] = Area.StreamWithPath,
        ["System.IO.StreamWriter"] = Area.StreamWithPath,
        ["System.IO.Path"] = Area.Path,
        ["System.Diagnostics.Process"] = Area.Process,
        ["System.Diagnostics.ProcessStartInfo"] = Area.Process,
        ["System.Console"] = Area.Console,
        ["System.Environment"] = Area.Environment,
    };

    private static readonly Dictionary<string, Area> s_namespaces = new()
    {
        ["System.Net.Sockets"] = Area.Networking,
        ["System.Net.Quic"] = Area.Networking,
        ["System.IO.MemoryMappedFiles"] = Area.FileSystem,
        ["System.Reflection.Emit"] = Area.Emit,
    };

    private sealed class State
    {
        private readonly INamedTypeSymbol _httpFilter;
        private readonly INamedTypeSymbol? _networkFilter;
        private readonly ConcurrentDictionary<INamedTypeSymbol, Area> _areas = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentQueue<Diagnostic> _found = new();
        private readonly bool _immediate;
        private int _hasFilter;

        public State(INamedTypeSymbol httpFilter, INamedTypeSymbol? networkFilter, bool immediate)
        {
            _httpFilter = httpFilter;
            _networkFilter = networkFilter;
            _immediate = immediate;
        }

        public void AnalyzeType(SymbolAnalysisContext context)
        {
            if (_hasFilter != 0)
            {
                return;
            }

            foreach (AttributeData attribute in context.Symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _httpFilter)
                    || (_networkFilter is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _networkFilter)))
                {
                    System.Threading.Interlocked.Exchange(ref _hasFilter, 1);
                    return;
                }
            }
        }

        public void Report(CompilationAnalysisContext context)
        {
            if (_immediate || _hasFilter == 0)
            {
                return;
            }

            foreach (Diagnostic diagnostic in _found)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }

        public void AnalyzeOperation(OperationAnalysisContext context)
        {
            IOperation op = context.Operation;
            switch (op)
            {
                case IInvocationOperation invocation:
                    Member(context, invocation.TargetMethod, invocation, isCreation: false);
                    break;
                case IObjectCreationOperation { Constructor: { } constructor } creation:
                    Member(context, constructor, creation, isCreation: true);
                    break;
                case IPropertyReferenceOperation property:
                    Member(context, property.Property, property, isCreation: false);
                    break;
                default:
                    if (op.Parent is not (IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation))
                    {
                        Emit(context, SandboxDescriptors.CodeGeneration, op.Syntax.GetLocation(), null, "'dynamic' binding");
                    }

                    break;
            }
        }

        /// <summary>Reports a use now (known filter project) or keeps it for compilation end.</summary>
        private void Emit(OperationAnalysisContext context, DiagnosticDescriptor descriptor, Location location, ImmutableDictionary<string, string?>? properties, string display)
        {
            if (_immediate)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticHelp.Live(descriptor), location, properties, display));
            }
            else
            {
                _found.Enqueue(Diagnostic.Create(descriptor, location, properties, display));
            }
        }

        private void Member(OperationAnalysisContext context, ISymbol member, IOperation operation, bool isCreation)
        {
            if (member.ContainingType is null)
            {
                return;
            }

            INamedTypeSymbol type = member.ContainingType.OriginalDefinition;
            Area area = _areas.GetOrAdd(type, Classify);
            if (area == Area.None)
            {
                return;
            }

            string name = member.Name;
            DiagnosticDescriptor? descriptor = area switch
            {
                Area.Thread => isCreation || name is "Start" or "UnsafeStart" ? SandboxDescriptors.Threads
                    : name is "Sleep" or "Join" or "SpinWait" ? SandboxDescriptors.Blocking : null,
                Area.Task => name is "Run" or "Delay" or "Start" or "ContinueWith" or "RunSynchronously" ? SandboxDescriptors.Threads
                    : name is "Wait" or "WaitAll" or "WaitAny" or "Result" ? SandboxDescriptors.Blocking : null,
                Area.Threads => SandboxDescriptors.Threads,
                Area.Blocking => name is "Wait" or "WaitOne" or "WaitAll" or "WaitAny" or "SignalAndWait" or "SpinUntil" ? SandboxDescriptors.Blocking : null,
                Area.Awaiter => name == "GetResult" ? SandboxDescriptors.Blocking : null,
                Area.Networking => SandboxDescriptors.Networking,
                Area.FileSystem => SandboxDescriptors.FileSystem,
                Area.StreamWithPath => isCreation && member is IMethodSymbol { Parameters.Length: > 0 } ctor && ctor.Parameters[0].Type.SpecialType == SpecialType.System_String ? SandboxDescriptors.FileSystem : null,
                Area.Path => name is "GetTempFileName" or "GetTempPath" or "GetFullPath" ? SandboxDescriptors.FileSystem : null,
                Area.Process => SandboxDescriptors.Processes,
                Area.Console => SandboxDescriptors.Console,
                Area.Environment => name is "Exit" or "FailFast" ? SandboxDescriptors.Exit : null,
                Area.Emit => SandboxDescriptors.CodeGeneration,
                _ => null,
            };
            if (descriptor is null)
            {
                return;
            }

            string display = isCreation ? "new " + type.Name : type.Name + "." + name;
            if (descriptor == SandboxDescriptors.CodeGeneration)
            {
                display = "'" + display + "'";
            }

            if (area == Area.Console)
            {
                ConsoleUse(context, member, operation, display);
                return;
            }

            Emit(context, descriptor, operation.Syntax.GetLocation(), null, display);
        }

        /// <summary>Console.WriteLine(string) / Console.Write(string) and Console.Out/Error.WriteLine(string) get the fix
        /// to ProxyWasm.Log.Info / Log.Error; every other Console use is reported without one.</summary>
        private void ConsoleUse(OperationAnalysisContext context, ISymbol member, IOperation operation, string display)
        {
            string? logMethod = null;
            IOperation reported = operation;
            if (operation is IInvocationOperation { TargetMethod.Name: "WriteLine" or "Write" } invocation && HasOneStringArgument(invocation))
            {
                logMethod = "Info";
            }
            else if (member.Name is "Out" or "Error" &&
                operation.Parent is IInvocationOperation { TargetMethod.Name: "WriteLine" or "Write" } write && HasOneStringArgument(write) &&
                write.Instance == operation)
            {
                logMethod = member.Name == "Error" ? "Error" : "Info";
                reported = write;
                display += "." + write.TargetMethod.Name;
            }

            ImmutableDictionary<string, string?>? properties = logMethod is null
                ? null
                : ImmutableDictionary<string, string?>.Empty.Add(FixKeys.Fix, FixKeys.ConsoleToLog).Add(FixKeys.Value, logMethod);
            Emit(context, SandboxDescriptors.Console, reported.Syntax.GetLocation(), properties, display);
        }

        private static bool HasOneStringArgument(IInvocationOperation invocation) =>
            invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String &&
            invocation.TargetMethod.Parameters.Length == 1 && invocation.TargetMethod.Parameters[0].Type.SpecialType == SpecialType.System_String;

        private static Area Classify(INamedTypeSymbol type)
        {
            string ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
            if (s_namespaces.TryGetValue(ns, out Area byNamespace))
            {
                return byNamespace;
            }

            if (type.ContainingType is null && s_types.TryGetValue(ns + "." + type.MetadataName, out Area area))
            {
                return area;
            }

            return ns == "System.Runtime.CompilerServices" && type.Name.EndsWith("Awaiter", System.StringComparison.Ordinal) ? Area.Awaiter : Area.None;
        }
    }
}
