using Microsoft.CodeAnalysis;
using ProxyWasm.Analyzers;

namespace ProxyWasm.Generators.Diagnostics;

/// <summary>The callout rules PXW0016..PXW0018 (<see cref="CalloutAnalyzer"/>): streams that hang, answers nobody
/// asked for, callouts Envoy refuses.</summary>
internal static class CalloutDescriptors
{
    /// <summary>PXW0016. Args: hook name, the stop status, filter type name.</summary>
    public static readonly DiagnosticDescriptor HungStream = new(
        "PXW0016",
        "Paused stream is never resumed",
        "'{0}' returns {1}, but nothing in '{2}' or its plugin resumes, answers or closes a stream, so the request hangs until Envoy times it out: resume it (stream.ResumeRequest() from [OnHttpCallResponse] or [OnTick]), answer it (stream.SendLocalResponse(...)), or return Continue",
        DiagnosticHelp.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A stop status pauses the stream in Envoy until the filter resumes it (proxy_continue_stream), answers it (proxy_send_local_response) or closes it. A filter that can do none of these leaves every such request hanging.",
        helpLinkUri: DiagnosticHelp.HelpLink("PXW0016"),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>PXW0017. Args: attribute name, hook name, type name, "an HTTP call" or "a gRPC call", the API to use.</summary>
    public static readonly DiagnosticDescriptor AnswerWithoutDispatch = new(
        "PXW0017",
        "Callout answer hook without any callout",
        "[{0}] method '{1}' of '{2}' never runs: nothing in this module dispatches {3}; dispatch one with {4}.Dispatch(...) or remove the hook",
        DiagnosticHelp.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "proxy_on_http_call_response answers calls made with proxy_http_call, and the gRPC callbacks calls made with proxy_grpc_call or proxy_grpc_stream; without a call there is no answer.",
        helpLinkUri: DiagnosticHelp.HelpLink("PXW0017"),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>PXW0018. Args: the missing pseudo-headers, an extra hint.</summary>
    public static readonly DiagnosticDescriptor MissingPseudoHeader = new(
        "PXW0018",
        "HTTP callout headers lack a pseudo-header",
        "The HTTP call's headers, written here with literal names, lack {0}{1}, so Envoy refuses the call with BadArgument: add them, or use HttpCall.Dispatch(cluster, method, path, authority, ...)",
        DiagnosticHelp.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Envoy's proxy_http_call needs ':method', ':path' and ':authority' in the headers and refuses the call otherwise.",
        helpLinkUri: DiagnosticHelp.HelpLink("PXW0018"));
}
