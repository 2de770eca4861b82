using System;

namespace ProxyWasm;

/// <summary>
/// Marks a <see langword="partial"/> class or struct as a Proxy-Wasm HTTP filter. The generator
/// (ProxyWasm.Generators) emits the ABI v0.2.1 exports for it: one instance of the type serves one HTTP stream
/// (stream context); its hook methods are bound to the <c>proxy_on_*</c> callbacks by their attributes.
/// </summary>
/// <remarks>
/// <para>A module with one filter serves whatever root id the host configures. With several filters the host's
/// <c>plugin_root_id</c> property selects the filter whose <see cref="RootId"/> is equal to it (byte-wise).</para>
/// <para>Per-stream state: a struct filter lives in a slot table and is reset to <c>new T()</c> for each stream; a class
/// filter is pooled and its instance fields are reset to their initializers, so creating and deleting streams does not
/// allocate. A class with an explicit constructor or <see langword="readonly"/> instance fields is created with
/// <see langword="new"/> for each stream instead.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class HttpFilterAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="rootId">The root id (Envoy <c>root_id</c>, Istio <c>WasmPlugin</c> plugin name) this filter serves.</param>
    public HttpFilterAttribute(string rootId) => RootId = rootId;

    /// <summary>The root id this filter serves; compared with the host property <c>plugin_root_id</c>.</summary>
    public string RootId { get; }

    /// <summary>
    /// The plugin (root context) type: a class with a public parameterless constructor. One instance is created per
    /// root context (<c>proxy_on_context_create</c> with parent 0); its <see cref="OnVmStartAttribute"/>,
    /// <see cref="OnConfigureAttribute"/> and <see cref="OnTickAttribute"/> methods are bound to the plugin callbacks,
    /// and a stream hook receives it through a parameter of this type.
    /// </summary>
    public Type? Plugin { get; set; }

    /// <summary>What the stream gets when a hook throws. Default: <see cref="FailurePolicy.FailClosed"/>.</summary>
    public FailurePolicy OnError { get; set; }

    /// <summary>
    /// The plugin configuration type, for a filter whose configuration is only read (a plugin with an
    /// <see cref="OnConfigureAttribute"/> hook can declare it instead as that hook's parameter). The glue reads the
    /// <c>PLUGIN_CONFIGURATION</c> buffer in <c>proxy_on_configure</c>, deserializes it as JSON (UTF-8) with the
    /// <c>JsonSerializerContext</c> of this project that has <c>[JsonSerializable(typeof(T))]</c> (System.Text.Json source
    /// generation: no reflection), and passes the value to every hook with a parameter of this type, without a lookup
    /// per stream. Empty configuration deserializes <c>{}</c> (or <c>[]</c> for a collection): the type's defaults.
    /// Configuration that is not JSON, or does not match the type, makes <c>proxy_on_configure</c> return false (Envoy
    /// rejects the plugin) and logs one error line with the JSON path. See docs/configuration.md.
    /// </summary>
    public Type? Configuration { get; set; }
}

/// <summary>What the generated glue does with a stream whose hook threw an exception.</summary>
/// <remarks>In both cases the exception is logged at <see cref="LogLevel.Critical"/> through <c>proxy_log</c>, never
/// escapes the export, and the VM keeps serving other streams.</remarks>
public enum FailurePolicy
{
    /// <summary>Answer the stream with a local <c>500</c> response (details <c>proxy_wasm_filter_exception</c>) and stop it.</summary>
    FailClosed = 0,
    /// <summary>Let the stream continue as if the hook had returned <c>Continue</c>.</summary>
    FailOpen = 1,
}

/// <summary>Base class of the hook attributes. Every hook is a hot path for the ProxyWasm analyzers.</summary>
public abstract class HookAttribute : Attribute
{
    private protected HookAttribute() { }

    /// <summary>Hot-path analyzer rules this hook opts out of (see <see cref="HotPathAllow"/>).</summary>
    public HotPathAllow Allow { get; set; }
}

/// <summary>Binds a method to <c>proxy_on_request_headers(context_id, num_headers, end_of_stream)</c>.</summary>
/// <remarks>Parameters, in any order, each optional: <see cref="RequestHeaders"/>, <see cref="int"/> (number of headers),
/// <see cref="bool"/> (end of stream), the filter's plugin type, <see cref="HttpStream"/>. Returns
/// <see cref="FilterHeadersStatus"/> or <see langword="void"/> (Continue).</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnRequestHeadersAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_request_body(context_id, body_size, end_of_stream)</c>.</summary>
/// <remarks>Parameters: <see cref="RequestBody"/>, <see cref="int"/> (bytes buffered so far), <see cref="bool"/> (end of
/// stream), the plugin type, <see cref="HttpStream"/>. Returns <see cref="FilterDataStatus"/> or <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnRequestBodyAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_request_trailers(context_id, num_trailers)</c>.</summary>
/// <remarks>Parameters: <see cref="RequestTrailers"/>, <see cref="int"/> (number of trailers), the plugin type,
/// <see cref="HttpStream"/>. Returns <see cref="FilterTrailersStatus"/> or <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnRequestTrailersAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_response_headers(context_id, num_headers, end_of_stream)</c>.</summary>
/// <remarks>Parameters: <see cref="ResponseHeaders"/>, <see cref="int"/>, <see cref="bool"/>, the plugin type,
/// <see cref="HttpStream"/>. Returns <see cref="FilterHeadersStatus"/> or <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnResponseHeadersAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_response_body(context_id, body_size, end_of_stream)</c>.</summary>
/// <remarks>Parameters: <see cref="ResponseBody"/>, <see cref="int"/>, <see cref="bool"/>, the plugin type,
/// <see cref="HttpStream"/>. Returns <see cref="FilterDataStatus"/> or <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnResponseBodyAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_response_trailers(context_id, num_trailers)</c>.</summary>
/// <remarks>Parameters: <see cref="ResponseTrailers"/>, <see cref="int"/>, the plugin type, <see cref="HttpStream"/>.
/// Returns <see cref="FilterTrailersStatus"/> or <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnResponseTrailersAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_done(context_id)</c> for the stream: the stream is finished.</summary>
/// <remarks>Parameters: the plugin type, <see cref="HttpStream"/>. Returns <see cref="bool"/> (<see langword="true"/>:
/// the host may finalize the context now; <see langword="false"/>: the filter calls <c>proxy_done</c> later) or
/// <see langword="void"/> (true).</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnStreamDoneAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_log(context_id)</c>: access logging after the stream is done; the headers
/// are still readable.</summary>
/// <remarks>Parameters: <see cref="RequestHeaders"/>, <see cref="ResponseHeaders"/>, the plugin type,
/// <see cref="HttpStream"/>. Returns <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnLogAttribute : HookAttribute { }

/// <summary>Binds a plugin method to <c>proxy_on_vm_start(root_context_id, vm_configuration_size)</c>.</summary>
/// <remarks>Declared on the plugin type (<see cref="HttpFilterAttribute.Plugin"/>). Parameters:
/// <see cref="System.ReadOnlySpan{T}"/> of <see cref="byte"/> (the VM configuration bytes, valid during the call), or one
/// parameter of a JSON configuration type that the glue deserializes as for <see cref="OnConfigureAttribute"/> (bad VM
/// configuration: the hook is not called, <c>proxy_on_vm_start</c> returns false and one error line is logged).
/// Returns <see cref="bool"/> (<see langword="false"/>: the host must not use this VM) or <see langword="void"/> (true).</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnVmStartAttribute : HookAttribute { }

/// <summary>Binds a plugin method to <c>proxy_on_configure(root_context_id, plugin_configuration_size)</c>.</summary>
/// <remarks>Declared on the plugin type. Parameters: <see cref="System.ReadOnlySpan{T}"/> of <see cref="byte"/> (the
/// plugin configuration bytes, valid during the call), or one parameter of a JSON configuration type: the glue
/// deserializes the configuration first (as for <see cref="HttpFilterAttribute.Configuration"/>) and calls the hook only
/// when that succeeds; when the hook returns true (or void) the value is kept for the stream hooks that take it. Returns <see cref="bool"/> (<see langword="false"/>: reject the
/// configuration) or <see langword="void"/> (true).</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnConfigureAttribute : HookAttribute { }

/// <summary>Binds a plugin method to <c>proxy_on_tick(root_context_id)</c>, the timer set with
/// <see cref="Plugin.SetTickPeriod"/>.</summary>
/// <remarks>Declared on the plugin type. Parameters: the typed plugin configuration (a parameter of the type the
/// <see cref="OnConfigureAttribute"/> hook takes), and <see cref="PropertyAttribute"/> parameters (no
/// <see cref="HeaderAttribute"/>: the root context has no stream). Returns <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnTickAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_http_call_response(root_context_id, token, num_headers, body_size,
/// num_trailers)</c>: the answer to an HTTP call made with <see cref="HttpCall"/>.</summary>
/// <remarks>
/// <para>Declared on the filter type, it receives the answers to calls its stream made; declared on the plugin type,
/// the answers to calls a plugin hook made. The glue routes each answer by its token to the context that made the
/// call and makes that context the effective one (proxy-wasm-cpp-host delivers every answer on the root context), so
/// <c>stream.ResumeRequest()</c> or <c>stream.SendLocalResponse(...)</c> act on the paused stream. An answer that
/// arrives after its stream ended is dropped (logged at debug).</para>
/// <para>Parameters: <see cref="HttpCallResponse"/> (token, headers, body, trailers, whether the call failed), and on
/// the filter type <see cref="HttpStream"/> and the plugin type. Returns <see langword="void"/>.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnHttpCallResponseAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_grpc_receive(root_context_id, token, message_size)</c>: a message on a gRPC
/// call or stream made with <see cref="GrpcCall"/>; for a unary call, its answer.</summary>
/// <remarks>Declared on the filter type (calls its stream made) or the plugin type (calls a plugin hook made); routed
/// by token with the dispatching context made effective, as <see cref="OnHttpCallResponseAttribute"/>. Parameters:
/// <see cref="GrpcMessage"/>, and on the filter type the header maps, <see cref="HttpStream"/> and the plugin type.
/// Returns <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnGrpcReceiveAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_grpc_close(root_context_id, token, status_code)</c>: a gRPC call or stream
/// ended; a failed unary call ends here instead of in <see cref="OnGrpcReceiveAttribute"/>.</summary>
/// <remarks>Parameters: <see cref="GrpcClose"/> (status code and message), and on the filter type the header maps,
/// <see cref="HttpStream"/> and the plugin type. Returns <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnGrpcCloseAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_grpc_receive_initial_metadata(root_context_id, token, num_elements)</c>.</summary>
/// <remarks>Parameters: <see cref="GrpcMetadata"/> (read <see cref="GrpcMetadata.Initial"/>), and on the filter type the
/// header maps, <see cref="HttpStream"/> and the plugin type. Returns <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnGrpcReceiveInitialMetadataAttribute : HookAttribute { }

/// <summary>Binds a method to <c>proxy_on_grpc_receive_trailing_metadata(root_context_id, token, num_elements)</c>
/// (that export name: proxy-wasm-cpp-host looks up no other).</summary>
/// <remarks>Parameters: <see cref="GrpcMetadata"/> (read <see cref="GrpcMetadata.Trailing"/>), and on the filter type the
/// header maps, <see cref="HttpStream"/> and the plugin type. Returns <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnGrpcReceiveTrailingMetadataAttribute : HookAttribute { }

/// <summary>Binds a plugin method to <c>proxy_on_queue_ready(root_context_id, queue_id)</c>: a shared queue that this
/// root context registered (<see cref="SharedQueue.Register"/>) has messages.</summary>
/// <remarks>Declared on the plugin type. Parameters: <see cref="SharedQueue"/> (the queue; dequeue with
/// <see cref="SharedQueue.TryDequeue"/>). Returns <see langword="void"/>. Envoy calls it once per enqueue, later, on the
/// registering VM's thread; a hook may find the queue already empty.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnQueueReadyAttribute : HookAttribute { }

/// <summary>Binds a plugin method to <c>proxy_on_foreign_function(root_context_id, function_id, arguments_size)</c>:
/// the host called a function of the module.</summary>
/// <remarks>Declared on the plugin type. Parameters: <see cref="int"/> (the host's function id),
/// <see cref="System.ReadOnlySpan{T}"/> of <see cref="byte"/> (the arguments, buffer <c>FOREIGN_FUNCTION_ARGUMENTS</c>,
/// valid during the call). Returns <see langword="void"/>.</remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OnForeignFunctionAttribute : HookAttribute { }
