using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// Shared queues with proxy-wasm-cpp-host's semantics (<c>src/shared_queue.cc</c>): a queue is named by (VM id, name);
/// the first <c>proxy_register_shared_queue</c> creates it and owns it (its root context is the one told, and a later
/// registration of the same name only gets the id); any VM may resolve and enqueue; after each successful enqueue the
/// host posts <c>proxy_on_queue_ready(owner root, queue id)</c> to the owner, which here runs once the running
/// callback has returned (Envoy posts it to the owner's thread), or at once when the test enqueues.
/// </summary>
/// <remarks>cpp-host lets only the registering VM dequeue. One host is one VM (<see cref="HostOptions.VmId"/>), so
/// every dequeue of this module is the owner's: the check cannot fail here, and queues registered by another VM are
/// not modelled beyond <see cref="Enqueue"/> into this VM's queues (and <see cref="RegisterQueue"/> as another VM).</remarks>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly Dictionary<(string VmId, string Name), uint> _queueIds = new();
    private readonly Dictionary<uint, SharedQueueState> _queues = new();

    /// <summary>Every shared queue by id: its VM id, name, owner root context and the messages waiting in it, oldest
    /// first (copies).</summary>
    public IReadOnlyDictionary<uint, SharedQueueInfo> SharedQueues
        => _queues.ToDictionary(q => q.Key, q => new SharedQueueInfo(q.Key, q.Value.VmId, q.Value.Name, q.Value.OwnerContextId, q.Value.Messages.Select(m => (byte[])m.Clone()).ToArray()));

    /// <summary>The number of messages waiting in queue (<paramref name="vmId"/>, <paramref name="name"/>), or
    /// <see langword="null"/> if nobody registered it.</summary>
    public int? GetQueueSize(string vmId, string name)
        => _queueIds.TryGetValue((vmId, name), out uint id) ? _queues[id].Messages.Count : null;

    /// <summary>The messages waiting in queue (<paramref name="vmId"/>, <paramref name="name"/>), oldest first (copies;
    /// empty if nobody registered it).</summary>
    public IReadOnlyList<byte[]> GetQueueContents(string vmId, string name)
        => _queueIds.TryGetValue((vmId, name), out uint id) ? _queues[id].Messages.Select(m => (byte[])m.Clone()).ToArray() : Array.Empty<byte[]>();

    /// <summary>Registers queue (<paramref name="vmId"/>, <paramref name="name"/>) as another VM would (no owner in
    /// this host: nothing is told when data arrives), or returns the id it has.</summary>
    public uint RegisterQueue(string vmId, string name) => RegisterQueueFor(vmId, name, owner: 0);

    /// <summary>
    /// Enqueues <paramref name="message"/> as another VM would (<c>proxy_resolve_shared_queue(vmId, name)</c>, then
    /// <c>proxy_enqueue_shared_queue</c>), then calls <c>proxy_on_queue_ready(owner, id)</c> on the root context that
    /// registered the queue, at once (the test is not inside a callback).
    /// </summary>
    /// <returns>Ok, or NotFound if nobody registered the queue (as resolve answers).</returns>
    public ProxyStatus Enqueue(string vmId, string name, byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfDisposed();
        return _queueIds.TryGetValue((vmId, name), out uint id) ? EnqueueAndNotify(id, (byte[])message.Clone()) : ProxyStatus.NotFound;
    }

    internal IReadOnlyDictionary<string, uint> QueuesOf(PluginContext plugin)
        => _queues.Where(q => plugin.IsStarted && q.Value.OwnerContextId == plugin.ContextId).ToDictionary(q => q.Value.Name, q => q.Key, StringComparer.Ordinal);

    ProxyStatus IProxyHost.proxy_register_shared_queue(byte* nameData, nuint nameSize, uint* returnQueueId)
    {
        *returnQueueId = RegisterQueueFor(Options.VmId, Text(nameData, nameSize), RootOf(CurrentContextId));
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_resolve_shared_queue(byte* vmIdData, nuint vmIdSize, byte* nameData, nuint nameSize, uint* returnQueueId)
    {
        if (!_queueIds.TryGetValue((Text(vmIdData, vmIdSize), Text(nameData, nameSize)), out uint id))
        {
            return ProxyStatus.NotFound;
        }

        *returnQueueId = id;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_enqueue_shared_queue(uint queueId, byte* valueData, nuint valueSize)
        => _queues.ContainsKey(queueId) ? EnqueueAndNotify(queueId, Bytes(valueData, valueSize)) : ProxyStatus.NotFound;

    ProxyStatus IProxyHost.proxy_dequeue_shared_queue(uint queueId, byte** returnValueData, nuint* returnValueSize)
    {
        // cpp-host: NotFound for an unknown queue or one another VM registered (one VM here: never the latter).
        if (!_queues.TryGetValue(queueId, out SharedQueueState? queue))
        {
            return ProxyStatus.NotFound;
        }

        return queue.Messages.TryDequeue(out byte[]? value) ? CopyOut(value, returnValueData, returnValueSize) : ProxyStatus.Empty;
    }

    private uint RegisterQueueFor(string vmId, string name, uint owner)
    {
        if (!_queueIds.TryGetValue((vmId, name), out uint id))
        {
            id = (uint)_queueIds.Count + 1;
            _queueIds[(vmId, name)] = id;
            _queues[id] = new SharedQueueState(vmId, name, owner);
        }

        return id;
    }

    private ProxyStatus EnqueueAndNotify(uint queueId, byte[] message)
    {
        SharedQueueState queue = _queues[queueId];
        queue.Messages.Enqueue(message);
        if (queue.OwnerContextId != 0)
        {
            AfterCall(() => NotifyQueueReady(queue.OwnerContextId, queueId));
        }

        return ProxyStatus.Ok;
    }

    private void NotifyQueueReady(uint owner, uint queueId)
    {
        string export = ProxyCallbacks.QueueReady.Export;
        if (_disposed || PluginById(owner) is not { } plugin || !Exports.Has(export))
        {
            return;
        }

        Invoke(null, export, owner, plugin: plugin, call: () =>
        {
            Exports.Call(export, owner, queueId);
            return null;
        });
    }

    private sealed class SharedQueueState(string vmId, string name, uint owner)
    {
        public string VmId { get; } = vmId;

        public string Name { get; } = name;

        public uint OwnerContextId { get; } = owner;

        public Queue<byte[]> Messages { get; } = new();
    }
}

/// <summary>A shared queue as <see cref="ProxyWasmHost.SharedQueues"/> shows it.</summary>
/// <param name="Id">The queue id (<c>proxy_register_shared_queue</c>'s answer).</param>
/// <param name="VmId">The VM id it was registered in.</param>
/// <param name="Name">Its name.</param>
/// <param name="OwnerContextId">The root context that registered it first (told by <c>proxy_on_queue_ready</c>), 0 for
/// a queue registered by another VM (<see cref="ProxyWasmHost.RegisterQueue"/>).</param>
/// <param name="Messages">The messages waiting, oldest first.</param>
public sealed record SharedQueueInfo(uint Id, string VmId, string Name, uint OwnerContextId, IReadOnlyList<byte[]> Messages);
