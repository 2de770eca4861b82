using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ProxyWasm.Abi;
using ProxyWasm.Analyzers;
using ProxyWasm.Generators.Filters;

namespace ProxyWasm.Generators.Diagnostics;

/// <summary>
/// What no SDK checks: a paused stream that nothing can resume, an answer hook for calls nobody makes, and callout
/// headers that Envoy will refuse.
/// <list type="bullet">
/// <item>PXW0016 (compilation end): a stream hook of an [HttpFilter] returns a stop status, while no method of the
/// filter or of its plugin resumes, answers or closes a stream (<c>HttpStream.Resume*</c>, <c>SendLocalResponse</c>,
/// <c>Close*</c>, their <c>HostCalls</c>) or hands an <c>HttpStream</c> to code elsewhere that could.</item>
/// <item>PXW0017 (compilation end): an <c>[OnHttpCallResponse]</c> hook in a compilation that dispatches no HTTP call, or
/// a gRPC answer hook in one that opens no gRPC call or stream.</item>
/// <item>PXW0018: an HTTP call whose headers are written in the same method with literal names lacks <c>:method</c>,
/// <c>:path</c> or <c>:authority</c> (or names <c>:host</c>).</item>
/// </list>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CalloutAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] s_resumers = { "ResumeRequest", "ResumeResponse", "ResumeRequestFromPlugin", "SendLocalResponse", "CloseRequest", "CloseResponse" };
    private static readonly string[] s_rawResumers = { "proxy_continue_stream", "proxy_send_local_response", "proxy_close_stream" };
    private static readonly string[] s_pseudoHeaders = { ":method", ":path", ":authority" };

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        CalloutDescriptors.HungStream, CalloutDescriptors.AnswerWithoutDispatch, CalloutDescriptors.MissingPseudoHeader);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            Compilation compilation = start.Compilation;
            KnownTypes types = KnownTypes.For(compilation);
            INamedTypeSymbol? stream = compilation.GetTypeByMetadataName("ProxyWasm.HttpStream");
            if (types.HttpFilterAttribute is null || stream is null)
            {
                return;
            }

            var state = new State(types, stream, compilation.GetTypeByMetadataName("ProxyWasm.Abi.HostCalls"),
                compilation.GetTypeByMetadataName("ProxyWasm.HttpCall"), compilation.GetTypeByMetadataName("ProxyWasm.PairsWriter"),
                compilation.GetTypeByMetadataName("ProxyWasm.GrpcCall"));
            start.RegisterOperationBlockStartAction(state.StartBlock);
            start.RegisterCompilationEndAction(state.End);
        });
    }

    private sealed class State
    {
        private readonly KnownTypes _types;
        private readonly INamedTypeSymbol _stream;
        private readonly INamedTypeSymbol? _hostCalls;
        private readonly INamedTypeSymbol? _httpCall;
        private readonly INamedTypeSymbol? _pairsWriter;
        private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _canResume = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentBag<(INamedTypeSymbol Type, IMethodSymbol Hook, Location Location, string Status)> _stops = new();
        private readonly ConcurrentBag<(IMethodSymbol Hook, ProxyCallback Callback, Location Location)> _answerHooks = new();
        private readonly INamedTypeSymbol? _grpcCall;
        private int _httpDispatches;
        private int _grpcDispatches;

        public State(KnownTypes types, INamedTypeSymbol stream, INamedTypeSymbol? hostCalls, INamedTypeSymbol? httpCall, INamedTypeSymbol? pairsWriter, INamedTypeSymbol? grpcCall)
        {
            _types = types;
            _stream = stream;
            _hostCalls = hostCalls;
            _httpCall = httpCall;
            _pairsWriter = pairsWriter;
            _grpcCall = grpcCall;
        }

        public void StartBlock(OperationBlockStartAnalysisContext context)
        {
            if (context.OwningSymbol is not IMethodSymbol owner || owner.ContainingType is not { } type)
            {
                return;
            }

            ProxyCallback? hook = _types.TryGetHook(owner, out ProxyCallback callback, out _) ? callback : null;
            if (hook is { Context: CallbackContext.Callout } && owner.Locations.FirstOrDefault() is { } hookLocation)
            {
                _answerHooks.Add((owner, hook, hookLocation));
            }

            var literalNames = new List<string>();
            var httpCalls = new List<IInvocationOperation>();
            context.RegisterOperationAction(op =>
            {
                var invocation = (IInvocationOperation)op.Operation;
                IMethodSymbol target = invocation.TargetMethod;
                if (Resumes(invocation))
                {
                    _canResume[type.OriginalDefinition] = true;
                }

                if (IsHttpDispatch(target))
                {
                    System.Threading.Interlocked.Increment(ref _httpDispatches);
                    httpCalls.Add(invocation);
                }
                else if (IsGrpcDispatch(target))
                {
                    System.Threading.Interlocked.Increment(ref _grpcDispatches);
                }

                if (_pairsWriter is not null && SymbolEqualityComparer.Default.Equals(target.ContainingType, _pairsWriter)
                    && target.Name is "Add" or "TryAdd" && invocation.Arguments.Length == 2 && Utf8Literal(invocation.Arguments[0].Value) is { } name)
                {
                    literalNames.Add(name);
                }
            }, OperationKind.Invocation);

            if (hook is { IsStreamHook: true, StatusType: not null } && !owner.IsStatic)
            {
                context.RegisterOperationAction(op =>
                {
                    if (op.Operation is IReturnOperation { ReturnedValue: { } value } && StopStatus(value) is { } status)
                    {
                        _stops.Add((type.OriginalDefinition, owner, op.Operation.Syntax.GetLocation(), status));
                    }
                }, OperationKind.Return);
            }

            context.RegisterOperationBlockEndAction(end =>
            {
                if (literalNames.Count == 0)
                {
                    return;
                }

                string[] missing = s_pseudoHeaders.Where(p => !literalNames.Contains(p, StringComparer.Ordinal)).ToArray();
                if (missing.Length == 0)
                {
                    return;
                }

                string hint = literalNames.Contains(":host", StringComparer.Ordinal) && missing.Contains(":authority")
                    ? " (':host' is not a pseudo-header: name the host ':authority')"
                    : string.Empty;
                foreach (IInvocationOperation call in httpCalls.Where(c => c.TargetMethod.Name != "Dispatch"))
                {
                    end.ReportDiagnostic(Diagnostic.Create(CalloutDescriptors.MissingPseudoHeader, call.Syntax.GetLocation(), string.Join(", ", missing), hint));
                }
            });
        }

        public void End(CompilationAnalysisContext context)
        {
            foreach (var filter in _stops.GroupBy<(INamedTypeSymbol Type, IMethodSymbol Hook, Location Location, string Status), INamedTypeSymbol>(s => s.Type, SymbolEqualityComparer.Default))
            {
                INamedTypeSymbol type = filter.Key;
                AttributeData? attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _types.HttpFilterAttribute));
                if (attribute is null)
                {
                    continue;
                }

                ITypeSymbol? plugin = FilterAttributeData.Read(attribute, context.CancellationToken).Plugin;
                if (_canResume.ContainsKey(type) || (plugin is INamedTypeSymbol named && _canResume.ContainsKey(named.OriginalDefinition)))
                {
                    continue;
                }

                foreach ((_, IMethodSymbol hook, Location location, string status) in filter.OrderBy(s => s.Location.SourceSpan.Start))
                {
                    context.ReportDiagnostic(Diagnostic.Create(CalloutDescriptors.HungStream, location, hook.Name, status, type.Name));
                }
            }

            foreach ((IMethodSymbol hook, ProxyCallback callback, Location location) in _answerHooks)
            {
                bool http = callback.Callout == "Http";
                if ((http ? _httpDispatches : _grpcDispatches) == 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(CalloutDescriptors.AnswerWithoutDispatch, location,
                        callback.Hook, hook.Name, hook.ContainingType.Name, http ? "an HTTP call" : "a gRPC call", http ? "HttpCall" : "GrpcCall"));
                }
            }
        }

        /// <summary>A call that resumes, answers or closes a stream, or hands a stream to code that could.</summary>
        private bool Resumes(IInvocationOperation invocation)
        {
            IMethodSymbol target = invocation.TargetMethod;
            if (SymbolEqualityComparer.Default.Equals(target.ContainingType, _stream) && s_resumers.Contains(target.Name, StringComparer.Ordinal))
            {
                return true;
            }

            if (_hostCalls is not null && SymbolEqualityComparer.Default.Equals(target.ContainingType, _hostCalls) && s_rawResumers.Contains(target.Name, StringComparer.Ordinal))
            {
                return true;
            }

            return invocation.Arguments.Any(a => SymbolEqualityComparer.Default.Equals(a.Value.Type, _stream));
        }

        private bool IsHttpDispatch(IMethodSymbol target)
            => (_httpCall is not null && SymbolEqualityComparer.Default.Equals(target.ContainingType, _httpCall) && target.Name is "Dispatch" or "DispatchPairs")
               || (_hostCalls is not null && SymbolEqualityComparer.Default.Equals(target.ContainingType, _hostCalls) && target.Name == "proxy_http_call");

        private bool IsGrpcDispatch(IMethodSymbol target)
            => (_grpcCall is not null && SymbolEqualityComparer.Default.Equals(target.ContainingType, _grpcCall) && target.Name is "Dispatch" or "OpenStream")
               || (_hostCalls is not null && SymbolEqualityComparer.Default.Equals(target.ContainingType, _hostCalls) && target.Name is "proxy_grpc_call" or "proxy_grpc_stream");

        /// <summary>The stop status a hook returns, e.g. <c>FilterHeadersStatus.StopIteration</c>; buffering statuses of a
        /// body hook are not stops (the host delivers more data).</summary>
        private static string? StopStatus(IOperation value)
        {
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IConditionalOperation { WhenFalse: { } whenFalse } conditional)
            {
                return StopStatus(conditional.WhenTrue) ?? StopStatus(whenFalse);
            }

            if (value is not IFieldReferenceOperation { Field: { HasConstantValue: true, ContainingType.TypeKind: TypeKind.Enum } field })
            {
                return null;
            }

            string type = field.ContainingType.Name;
            bool stop = type switch
            {
                "FilterHeadersStatus" or "FilterTrailersStatus" => field.Name != "Continue" && field.Name != "ContinueAndEndStream",
                "FilterDataStatus" => field.Name == "StopIterationNoBuffer",
                _ => false,
            };
            return stop ? type + "." + field.Name : null;
        }

        private static string? Utf8Literal(IOperation value)
        {
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            return value is IUtf8StringOperation utf8 ? utf8.Value : value.ConstantValue is { HasValue: true, Value: string s } ? s : null;
        }
    }
}
