using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// An in-process Proxy-Wasm host for one filter module (an assembly with generated glue). It calls the module's exports
/// in the order proxy-wasm-cpp-host (Envoy) does — root: <c>proxy_on_context_create(root, 0)</c>,
/// <c>proxy_on_vm_start</c>, <c>proxy_on_configure</c>; stream: <c>proxy_on_context_create(id, root)</c>, headers, body,
/// trailers, <c>proxy_on_done</c>, <c>proxy_on_log</c>, <c>proxy_on_delete</c> — and implements every
/// <c>env.proxy_*</c> host function (<see cref="IProxyHost"/>) with Envoy's semantics, returning data through the
/// module's <c>proxy_on_memory_allocate</c> like a wasm host.
/// </summary>
/// <remarks>
/// The same host runs a <c>.wasm</c> module (<see cref="LoadWasm(string, HostOptions?, WasmHostOptions?)"/>): the host
/// functions below, bound to the module's linear memory by Wasmtime. Such hosts share nothing and may run in parallel.
/// An assembly's state is static, like a wasm instance's, and the runtime's host-memory record is shared by every module
/// in the process, so one in-process host runs at a time: the constructor waits for the previous host (on another thread) to be
/// disposed, and throws if this thread still holds one. Dispose completes every live stream and deletes the root context;
/// HTTP calls still unanswered then are dropped (the module forgets their routes) and never answered.
/// </remarks>
public sealed unsafe partial class ProxyWasmHost : IProxyHost, IDisposable
{
    private readonly List<LogEntry> _logs = new();
    private readonly List<CallbackRecord> _callbacks = new();
    private readonly Dictionary<uint, HttpStreamContext> _streams = new();
    private HttpStreamContext? _current;
    private WasmModule? _ownedModule;
    private uint _nextContextId;
    private bool _disposed;

    /// <summary>Creates a host for the filter module <paramref name="module"/>.</summary>
    /// <exception cref="ArgumentException">The assembly has no generated Proxy-Wasm exports.</exception>
    public ProxyWasmHost(Assembly module, HostOptions? options = null)
        : this(ModuleExports.Load(module), options)
    {
    }

    private ProxyWasmHost(ModuleExports exports, HostOptions? options)
    {
        Exports = exports;
        Options = options ?? new HostOptions();
        _nextContextId = Options.FirstContextId == 0
            ? throw new ArgumentOutOfRangeException(nameof(options), "FirstContextId must not be 0: context id 0 means \"no parent\" in proxy_on_context_create.")
            : Options.FirstContextId;
        exports.Acquire();
    }

    /// <summary>
    /// Creates a host for the <c>.wasm</c> module at <paramref name="path"/>, run with Wasmtime: the same host, host
    /// functions and test API as for an assembly, bound to the module's linear memory. The module must pass
    /// proxy-wasm-cpp-host's load checks (<see cref="WasmModule.Report"/>); then its start-up functions run
    /// (<c>_initialize</c>, then <c>main</c> or <c>__main_void</c>, else <c>_start</c>). A trap there, or in any later
    /// callback, fails the VM (<see cref="VmFailure"/>): later streams follow <see cref="HostOptions.FailOpen"/>.
    /// Hosts of <c>.wasm</c> modules do not share state, so they may run in parallel.
    /// </summary>
    /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
    /// <exception cref="WasmLoadException">Envoy would refuse to load the module; the message says why, with cpp-host's words.</exception>
    public static ProxyWasmHost LoadWasm(string path, HostOptions? options = null, WasmHostOptions? wasm = null)
    {
        WasmModule module = WasmModule.Load(path);
        try
        {
            ProxyWasmHost host = LoadWasm(module, options, wasm);
            host._ownedModule = module;
            return host;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Creates a host that runs a new instance of <paramref name="module"/>; see <see cref="LoadWasm(string, HostOptions?, WasmHostOptions?)"/>.
    /// The module is not disposed with the host.</summary>
    /// <exception cref="WasmLoadException">Envoy would refuse to load the module.</exception>
    public static ProxyWasmHost LoadWasm(WasmModule module, HostOptions? options = null, WasmHostOptions? wasm = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var binding = new WasmBinding(module, wasm ?? new WasmHostOptions());
        var host = new ProxyWasmHost(ModuleExports.Bind(binding), options);
        try
        {
            binding.Start(host);
        }
        catch (WasmTrapException trap)
        {
            host.Fail(trap);
        }

        return host;
    }

    /// <summary>The options.</summary>
    public HostOptions Options { get; }

    /// <summary>The module's exports.</summary>
    public ModuleExports Exports { get; }

    /// <summary>The default plugin's root context id, 0 before <see cref="StartPlugin"/>.</summary>
    public uint RootContextId => DefaultPlugin.ContextId;

    /// <summary>What <c>proxy_on_vm_start</c> returned for the default plugin, or <see langword="null"/> if not exported.</summary>
    public bool? VmStartResult => DefaultPlugin.VmStartResult;

    /// <summary>What <c>proxy_on_configure</c> returned for the default plugin, or <see langword="null"/> if not exported.</summary>
    public bool? ConfigureResult => DefaultPlugin.ConfigureResult;

    /// <summary>The tick period the default plugin set, in milliseconds (0: no timer).</summary>
    public uint TickPeriodMilliseconds => DefaultPlugin.TickPeriodMilliseconds;

    /// <summary>Every log line, in order.</summary>
    public IReadOnlyList<LogEntry> Logs => _logs;

    /// <summary>Every callback, in order.</summary>
    public IReadOnlyList<CallbackRecord> Callbacks => _callbacks;

    /// <summary>
    /// Starts the plugin (root context): <c>proxy_on_context_create(root, 0)</c>, then <c>proxy_on_vm_start</c> and
    /// <c>proxy_on_configure</c> when exported. Called by <see cref="CreateHttpStream"/> if needed.
    /// </summary>
    /// <returns>Whether the VM and the configuration were accepted.</returns>
    public bool StartPlugin() => DefaultPlugin.Start();

    /// <summary>Fires the default plugin's timer once (<c>proxy_on_tick</c>), if exported.</summary>
    public void Tick() => DefaultPlugin.Tick();

    /// <summary>Creates a stream context under the default plugin (<c>proxy_on_context_create(id, root)</c>).</summary>
    public HttpStreamContext CreateHttpStream() => CreateHttpStreamOn(DefaultPlugin);

    internal HttpStreamContext CreateHttpStreamOn(PluginContext plugin)
    {
        ThrowIfDisposed();
        plugin.Start();
        var stream = new HttpStreamContext(this, _nextContextId++, plugin);
        _streams[stream.ContextId] = stream;
        // cpp-host treats a missing proxy_on_context_create as a no-op.
        if (Exports.Has(ProxyCallbacks.ContextCreate.Export))
        {
            Invoke(stream, ProxyCallbacks.ContextCreate.Export, stream.ContextId, () =>
            {
                Exports.Call(ProxyCallbacks.ContextCreate.Export, stream.ContextId, plugin.ContextId);
                return null;
            });
        }
        return stream;
    }

    /// <summary>
    /// Runs one request through the filter as Envoy would and returns what happened. Request headers, body and
    /// trailers pass the request hooks; if the filter sent a local response, the request stops there and the local
    /// response (with <c>:status</c>) passes the response hooks; otherwise <paramref name="upstreamResponse"/>
    /// (default 200, no body) passes the response hooks. A hook that pauses the stream (a Stop status) holds it until
    /// the module resumes it (<c>proxy_continue_stream</c>) or answers it: while it is paused, the HTTP calls the stream
    /// made are answered, oldest first, by <paramref name="callouts"/> (each answer runs
    /// <c>proxy_on_http_call_response</c>); a stream nobody resumes stays paused (no upstream, no response). The
    /// stream is then completed.
    /// </summary>
    public HttpExchange Send(HttpRequest request, HttpResponse? upstreamResponse = null, Func<HttpCallRecord, HttpCallAnswer>? callouts = null)
        => SendOn(DefaultPlugin, request, upstreamResponse, callouts);

    internal HttpExchange SendOn(PluginContext plugin, HttpRequest request, HttpResponse? upstreamResponse, Func<HttpCallRecord, HttpCallAnswer>? callouts)
    {
        int firstLog = _logs.Count;
        int firstCall = _httpCalls.Count;
        HttpStreamContext stream = CreateHttpStreamOn(plugin);
        HeaderList requestHeaders = request.Headers.Clone();
        bool hasBody = request.Body.Length != 0;
        bool hasTrailers = request.Trailers is { Count: > 0 };

        bool proceed = Passes(stream, request: true, null, callouts, () => stream.OnRequestHeaders(requestHeaders, endOfStream: !hasBody && !hasTrailers) == FilterHeadersStatus.Continue);
        if (proceed && hasBody)
        {
            proceed = Passes(stream, request: true, null, callouts, () => stream.OnRequestBody(request.Body, endOfStream: !hasTrailers) == FilterDataStatus.Continue);
        }

        if (proceed && hasTrailers)
        {
            proceed = Passes(stream, request: true, null, callouts, () => stream.OnRequestTrailers(request.Trailers!.Clone()) == FilterTrailersStatus.Continue);
        }

        HttpRequest? upstream = null;
        HttpResponse? response = null;
        if (stream.LocalResponse is { } local)
        {
            response = RunResponse(stream, FromLocal(local), callouts);
        }
        else if (proceed)
        {
            upstream = new HttpRequest(requestHeaders, hasBody ? stream.RequestBody : Array.Empty<byte>(), stream.RequestTrailers);
            response = RunResponse(stream, upstreamResponse ?? HttpResponse.Ok(), callouts);
        }

        stream.Complete();
        return new HttpExchange(request, upstream, response, stream.LocalResponse, stream.Callbacks.ToList(), _logs.Skip(firstLog).ToList())
        {
            HttpCalls = _httpCalls.Skip(firstCall).Where(c => c.ContextId == stream.ContextId).ToList(),
        };
    }

    /// <summary>Runs one hook of <paramref name="stream"/> and says whether the stream goes on: the hook continued, or it
    /// paused the stream and the module resumed that direction (in the hook or in an answer to one of its calls),
    /// with no local response sent since <paramref name="localBefore"/>.</summary>
    private bool Passes(HttpStreamContext stream, bool request, LocalResponse? localBefore, Func<HttpCallRecord, HttpCallAnswer>? callouts, Func<bool> hook)
    {
        int Resumes() => request ? stream.RequestResumeCount : stream.ResponseResumeCount;
        int resumes = Resumes();
        bool continued = hook();
        if (!continued)
        {
            AnswerWhilePaused(stream, () => Resumes() == resumes && stream.LocalResponse == localBefore, callouts);
        }

        return stream.LocalResponse == localBefore && (continued || Resumes() > resumes);
    }

    /// <summary>Completes every live stream and deletes the root context, then lets the next host drive the module.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            foreach (HttpStreamContext stream in _streams.Values.ToList())
            {
                stream.Complete();
                if (stream.DonePending)
                {
                    // The module kept the stream (proxy_on_done answered false) and never called proxy_done: the host is
                    // going away, so it ends it (the module's state outlives this host, unlike a VM's).
                    stream.Finish();
                }
            }

            CompleteConnections();
            foreach (PluginContext plugin in _plugins)
            {
                if (plugin.IsStarted)
                {
                    CallRoot(plugin, ProxyCallbacks.Done.Export, null);
                    CallRoot(plugin, ProxyCallbacks.Delete.Export, null);
                }
            }
        }
        finally
        {
            // Calls nobody answered are never answered now. The module's state (its token -> context routes) outlives
            // this host, unlike a wasm VM's, so drop their routes: the next host starts with none in flight.
            foreach (HttpCallRecord call in Exports.InProcess ? _pendingHttpCalls : [])
            {
                Generated.Callouts.Forget(Generated.CalloutKind.Http, call.CalloutId);
            }

            foreach (GrpcCallRecord call in Exports.InProcess ? _pendingGrpcCalls : [])
            {
                Generated.Callouts.Forget(Generated.CalloutKind.Grpc, call.Token);
            }

            _pendingHttpCalls.Clear();
            _pendingGrpcCalls.Clear();
            _disposed = true;
            Exports.Release();
            _ownedModule?.Dispose();
        }
    }

    /// <summary>Calls a stream callback <c>(context_id, a[, b]) -> i32</c>; Continue (0) when not exported.</summary>
    internal uint CallStreamAction(HttpStreamContext stream, string export, uint a, uint? b = null)
    {
        ThrowIfDisposed();
        if (!Exports.Has(export))
        {
            return 0;
        }

        return Invoke(stream, export, stream.ContextId, () => b is { } second
            ? Exports.CallWord(export, stream.ContextId, a, second)
            : Exports.CallWord(export, stream.ContextId, a))!.Value;
    }

    /// <summary>Calls <c>proxy_on_done(context_id) -> i32</c>; 1 (done) when not exported.</summary>
    internal uint CallStreamDone(HttpStreamContext stream)
    {
        ThrowIfDisposed();
        return Exports.Has(ProxyCallbacks.Done.Export)
            ? Invoke(stream, ProxyCallbacks.Done.Export, stream.ContextId, () => Exports.CallWord(ProxyCallbacks.Done.Export, stream.ContextId))!.Value
            : 1;
    }

    internal void CallStreamVoid(HttpStreamContext stream, string export)
    {
        ThrowIfDisposed();
        if (Exports.Has(export))
        {
            Invoke(stream, export, stream.ContextId, () =>
            {
                Exports.Call(export, stream.ContextId);
                return null;
            });
        }
    }

    internal void Forget(HttpStreamContext stream) => _streams.Remove(stream.ContextId);

    private static HttpResponse FromLocal(LocalResponse local)
    {
        var headers = new HeaderList();
        headers.Add(":status", local.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (Header header in local.Headers)
        {
            headers.Add(header.Name, header.Value);
        }

        return new HttpResponse(headers, local.Body);
    }

    private HttpResponse? RunResponse(HttpStreamContext stream, HttpResponse response, Func<HttpCallRecord, HttpCallAnswer>? callouts)
    {
        LocalResponse? before = stream.LocalResponse;
        HeaderList headers = response.Headers.Clone();
        bool hasBody = response.Body.Length != 0;
        bool hasTrailers = response.Trailers is { Count: > 0 };
        bool proceed = Passes(stream, request: false, before, callouts, () => stream.OnResponseHeaders(headers, endOfStream: !hasBody && !hasTrailers) == FilterHeadersStatus.Continue);
        if (proceed && hasBody)
        {
            proceed = Passes(stream, request: false, before, callouts, () => stream.OnResponseBody(response.Body, endOfStream: !hasTrailers) == FilterDataStatus.Continue);
        }

        if (proceed && hasTrailers)
        {
            proceed = Passes(stream, request: false, before, callouts, () => stream.OnResponseTrailers(response.Trailers!.Clone()) == FilterTrailersStatus.Continue);
        }

        if (stream.LocalResponse != before && stream.LocalResponse is { } replacement)
        {
            // A local response sent while the response was being filtered replaces it (Envoy sends the local reply
            // instead); it does not pass the response hooks again.
            return FromLocal(replacement);
        }

        return proceed
            ? new HttpResponse(headers, hasBody ? stream.ResponseBody : Array.Empty<byte>(), stream.ResponseTrailers)
            : null;
    }

    internal uint? CallRoot(PluginContext plugin, string export, uint? argument)
    {
        uint contextId = plugin.ContextId;
        ThrowIfDisposed();
        if (!Exports.Has(export))
        {
            return null;
        }

        // The call's shape (arity, result) is the export's row in the callback table.
        ProxyCallback callback = ProxyCallbacks.ForExport(export) ?? throw new ArgumentException("Not a Proxy-Wasm callback: " + export, nameof(export));
        return Invoke(null, export, contextId, plugin: plugin, call: () => (callback.Arity, callback.Result == CallbackResult.Void) switch
        {
            (1, true) => Void(() => Exports.Call(export, contextId)),
            (2, true) => Void(() => Exports.Call(export, contextId, argument!.Value)),
            (1, false) => Exports.CallWord(export, contextId),
            (2, false) => Exports.CallWord(export, contextId, argument!.Value),
            _ => throw new NotSupportedException($"The in-process host does not call {export}{callback.Signature} on a root context yet."),
        });

        static uint? Void(Action call)
        {
            call();
            return null;
        }
    }

    private uint? Invoke(HttpStreamContext? stream, string export, uint contextId, Func<uint?> call, HttpStreamContext? alsoRecordOn = null,
        TcpConnectionContext? connection = null, PluginContext? plugin = null)
    {
        if (VmFailure is not null)
        {
            return FailedCall(stream, connection, export);
        }

        HttpStreamContext? previous = _current;
        TcpConnectionContext? previousConnection = _currentConnection;
        PluginContext? previousPlugin = _currentPlugin;
        _current = stream;
        _currentConnection = connection;
        _currentPlugin = plugin ?? stream?.Plugin ?? connection?.Plugin ?? DefaultPlugin;
        _depth++;
        uint? result;
        try
        {
            // The module's host calls reach this host, or the fault-injecting host in front of it (ProxyWasmHost.Faults.cs).
            result = Exports.Run(ModuleHost, call);
        }
        catch (WasmTrapException trap)
        {
            Fail(trap);
            result = null;
        }
        finally
        {
            _depth--;
            _current = previous;
            _currentConnection = previousConnection;
            _currentPlugin = previousPlugin;
        }

        if (Exports.Failure is { } nested && VmFailure is null)
        {
            Fail(nested);
        }

        if (VmFailure is not null)
        {
            result = FailedCall(stream, connection, export);
        }

        var record = new CallbackRecord(export, contextId, result);
        _callbacks.Add(record);
        ObserveCallback(record);
        (stream ?? alsoRecordOn)?.Record(record);
        connection?.Record(record);

        // Streams the module completed with proxy_done during that callback finish now: log, then delete.
        while (_finishing.Count != 0)
        {
            HttpStreamContext done = _finishing[0];
            _finishing.RemoveAt(0);
            done.Finish();
        }

        RunAfterCallActions();
        return result;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Reads module memory; a (null, 0) pair is the empty string, as a wasm host reads 0 bytes at address 0.</summary>
    private static string Text(byte* data, nuint size) => size == 0 ? string.Empty : Encoding.UTF8.GetString(data, checked((int)size));

    private static byte[] Bytes(byte* data, nuint size) => size == 0 ? Array.Empty<byte>() : new ReadOnlySpan<byte>(data, checked((int)size)).ToArray();
}
