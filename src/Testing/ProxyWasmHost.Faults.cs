using System;
using System.Linq;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>Callback orders a host should not use but some do (<see cref="ProxyWasmHost.RunOddOrder"/>).</summary>
public enum OddOrder
{
    /// <summary><c>proxy_on_response_headers</c> before <c>proxy_on_request_headers</c>, then the stream completes.</summary>
    ResponseBeforeRequest,

    /// <summary>A stream completes (<c>proxy_on_done</c>, <c>proxy_on_log</c>, <c>proxy_on_delete</c>), then
    /// <c>proxy_on_delete</c> again for the same id.</summary>
    DeleteTwice,

    /// <summary>Every exported stream and root callback for context ids that were never created.</summary>
    UnknownIds,

    /// <summary><c>proxy_on_context_create</c> again for a live stream id and for the live root id, then the stream
    /// runs its request and completes.</summary>
    LiveIdReused,

    /// <summary><c>proxy_on_context_create(root, root)</c>: a stream with its own root context's id, then the request
    /// callbacks for that id.</summary>
    StreamWithRootId,

    /// <summary>A second plugin's stream is created, the plugin is deleted (<c>proxy_on_done</c>, <c>proxy_on_delete</c>
    /// of its root), a third plugin is created (it may take the freed plugin slot), then the orphaned stream runs its
    /// request and response and completes.</summary>
    PluginDeletedBeforeStreams,
}

/// <summary>The fault-injecting mode (<see cref="Faults"/>) and odd callback orders (<see cref="RunOddOrder"/>).</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private FaultPlan? _faults;
    private FaultInjectingHost? _faultHost;

    /// <summary>
    /// The fault plan, or <see langword="null"/> (the default) for a well-behaved host. While set, every host function the
    /// module calls goes through the plan: the calls in <see cref="FaultPlan.FailingCalls"/> fail, and what the others
    /// serve may be corrupted (<see cref="DataFault"/>). Can be set and cleared between callbacks.
    /// </summary>
    public FaultPlan? Faults
    {
        get => _faults;
        set
        {
            _faults = value;
            _faultHost ??= new FaultInjectingHost(this);
        }
    }

    /// <summary>The id of the context the running callback acts on, for the fault-injecting front.</summary>
    internal uint ContextIdForFaults => CurrentContextId;

    /// <summary>Called after each callback: with a plan set, an outermost callback must leave no host memory behind.</summary>
    private void ObserveCallback(CallbackRecord record)
    {
        if (_faults is { } plan && _depth == 0)
        {
            plan.AfterCallback(record, HostMemory.LiveBlocks);
        }
    }

    /// <summary>What the module's host calls reach during a callback: this host, or its fault-injecting front.</summary>
    private IProxyHost ModuleHost => _faults is null ? this : _faultHost!;

    /// <summary>
    /// Calls export <paramref name="export"/> (e.g. <c>proxy_on_context_create</c>) with exactly
    /// <paramref name="arguments"/> (i32 words, the context id first), whatever the order or ids, as a buggy host
    /// would. Host functions act on the host's stream with that id, if there is one.
    /// </summary>
    /// <returns>The export's i32 result, <see langword="null"/> for a void export or one the module does not export.</returns>
    /// <exception cref="ArgumentException">Not a Proxy-Wasm callback, or the wrong number of arguments for it.</exception>
    public uint? CallExport(string export, params uint[] arguments)
    {
        ThrowIfDisposed();
        ProxyCallback callback = ProxyCallbacks.ForExport(export) ?? throw new ArgumentException("Not a Proxy-Wasm callback: " + export, nameof(export));
        if (arguments.Length != callback.Arity || arguments.Length == 0)
        {
            throw new ArgumentException($"{export}{callback.Signature} takes {callback.Arity} arguments.", nameof(arguments));
        }

        if (!Exports.Has(export))
        {
            return null;
        }

        bool isVoid = callback.Result == CallbackResult.Void;
        uint[] a = arguments;
        _streams.TryGetValue(a[0], out HttpStreamContext? stream);
        return Invoke(stream, export, a[0], () =>
        {
            uint result = Exports.Invoke(export, a, returnsWord: !isVoid);
            return isVoid ? null : result;
        });
    }

    /// <summary>Deletes <paramref name="plugin"/>'s root context (<c>proxy_on_done</c>, <c>proxy_on_delete</c>) while its
    /// streams may still be live, as a host tearing down a plugin early does.</summary>
    public void DeletePlugin(PluginContext plugin)
    {
        ThrowIfDisposed();
        CallRoot(plugin, ProxyCallbacks.Done.Export, null);
        CallRoot(plugin, ProxyCallbacks.Delete.Export, null);
    }

    /// <summary>
    /// Drives the module through <paramref name="order"/>, using <paramref name="request"/>'s headers for the request
    /// callbacks. The default plugin is started first.
    /// </summary>
    /// <returns>The stream the scenario drove through its callbacks (for <see cref="OddOrder.PluginDeletedBeforeStreams"/>
    /// the orphaned one), or <see langword="null"/> when it drove only raw ids.</returns>
    public HttpStreamContext? RunOddOrder(OddOrder order, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        StartPlugin();
        HttpStreamContext stream;
        switch (order)
        {
            case OddOrder.ResponseBeforeRequest:
                stream = CreateHttpStream();
                stream.OnResponseHeaders(HttpResponse.Ok().Headers.Clone(), endOfStream: true);
                stream.OnRequestHeaders(request.Headers.Clone(), endOfStream: true);
                stream.Complete();
                return stream;
            case OddOrder.DeleteTwice:
                stream = CreateHttpStream();
                stream.OnRequestHeaders(request.Headers.Clone(), endOfStream: true);
                stream.Complete();
                CallExport(ProxyCallbacks.Delete.Export, stream.ContextId);
                return stream;
            case OddOrder.UnknownIds:
                CallUnknownIds();
                return null;
            case OddOrder.LiveIdReused:
                stream = CreateHttpStream();
                CallExport(ProxyCallbacks.ContextCreate.Export, stream.ContextId, RootContextId);
                CallExport(ProxyCallbacks.ContextCreate.Export, RootContextId, 0);
                stream.OnRequestHeaders(request.Headers.Clone(), endOfStream: true);
                stream.Complete();
                return stream;
            case OddOrder.StreamWithRootId:
                CallExport(ProxyCallbacks.ContextCreate.Export, RootContextId, RootContextId);
                CallExport(ProxyCallbacks.RequestHeaders.Export, RootContextId, (uint)request.Headers.Count, 1);
                CallExport(ProxyCallbacks.ResponseHeaders.Export, RootContextId, 1, 1);
                return null;
            case OddOrder.PluginDeletedBeforeStreams:
                var options = new PluginOptions { RootId = Options.RootId, PluginConfiguration = Options.PluginConfiguration, VmConfiguration = Options.VmConfiguration };
                PluginContext doomed = AddPlugin(options);
                doomed.Start();
                stream = doomed.CreateHttpStream();
                DeletePlugin(doomed);
                AddPlugin(options).Start();
                stream.OnRequestHeaders(request.Headers.Clone(), endOfStream: true);
                stream.OnResponseHeaders(HttpResponse.Ok().Headers.Clone(), endOfStream: true);
                stream.Complete();
                return stream;
            default:
                throw new ArgumentOutOfRangeException(nameof(order), order, null);
        }
    }

    private void CallUnknownIds()
    {
        uint id = 0x7FFF_0000;
        foreach (ProxyCallback callback in ProxyCallbacks.All.Where(c => c.Context != CallbackContext.Module && c != ProxyCallbacks.ContextCreate && Exports.Has(c.Export)))
        {
            uint[] arguments = new uint[callback.Arity];
            arguments[0] = id++;
            CallExport(callback.Export, arguments);
        }
    }
}
