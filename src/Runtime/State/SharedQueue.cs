using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// A shared queue: messages (bytes) that any VM on the proxy can enqueue and the VM that registered the queue dequeues
/// (<c>proxy_register_shared_queue</c>, <c>proxy_resolve_shared_queue</c>, <c>proxy_enqueue_shared_queue</c>,
/// <c>proxy_dequeue_shared_queue</c>). Envoy keys a queue by the registering VM's id and the queue's name, and calls
/// <c>proxy_on_queue_ready</c> after each enqueue on the root context that registered it (the latest one, when
/// several register the same name), so a plugin consumes a queue with an <see cref="OnQueueReadyAttribute"/> hook that
/// takes this handle. Nothing allocates.
/// </summary>
public readonly unsafe struct SharedQueue
{
    /// <summary>Creates a handle for queue id <paramref name="id"/> (the glue does, for <c>[OnQueueReady]</c>).</summary>
    public SharedQueue(uint id) => Id = id;

    /// <summary>The host's queue id.</summary>
    public uint Id { get; }

    /// <summary>Registers the queue <paramref name="name"/> of this VM, or finds it if this VM registered it before
    /// (<c>proxy_register_shared_queue</c>; waiting messages are kept). Call it from a plugin hook: the root context that
    /// registers a queue gets its <c>proxy_on_queue_ready</c> calls, and a later registration by another root context
    /// takes them over.</summary>
    /// <param name="name">The queue's name, UTF-8.</param>
    /// <param name="queue">The queue; default when the call failed.</param>
    /// <returns>Ok; InvalidMemoryAccess.</returns>
    public static ProxyStatus Register(ReadOnlySpan<byte> name, out SharedQueue queue)
    {
        uint id = 0;
        ProxyStatus status;
        fixed (byte* nameData = name)
        {
            status = HostCalls.proxy_register_shared_queue(nameData, (nuint)name.Length, &id);
        }

        queue = status == ProxyStatus.Ok ? new SharedQueue(id) : default;
        return status;
    }

    /// <summary>Finds the queue <paramref name="name"/> that the VM <paramref name="vmId"/> registered
    /// (<c>proxy_resolve_shared_queue</c>), to enqueue to it.</summary>
    /// <param name="vmId">The registering VM's id (Envoy <c>vm_config.vm_id</c>), UTF-8.</param>
    /// <param name="name">The queue's name, UTF-8.</param>
    /// <param name="queue">The queue; default when not found.</param>
    /// <returns>Ok; NotFound (no such queue yet: the receiver has not registered it); InvalidMemoryAccess.</returns>
    public static ProxyStatus Resolve(ReadOnlySpan<byte> vmId, ReadOnlySpan<byte> name, out SharedQueue queue)
    {
        uint id = 0;
        ProxyStatus status;
        fixed (byte* vmIdData = vmId)
        fixed (byte* nameData = name)
        {
            status = HostCalls.proxy_resolve_shared_queue(vmIdData, (nuint)vmId.Length, nameData, (nuint)name.Length, &id);
        }

        queue = status == ProxyStatus.Ok ? new SharedQueue(id) : default;
        return status;
    }

    /// <summary>Appends <paramref name="message"/> to the queue (<c>proxy_enqueue_shared_queue</c>); the host copies it.</summary>
    /// <returns>Ok; NotFound (unknown queue id); InvalidMemoryAccess.</returns>
    public ProxyStatus Enqueue(ReadOnlySpan<byte> message)
    {
        fixed (byte* data = message)
        {
            return HostCalls.proxy_enqueue_shared_queue(Id, data, (nuint)message.Length);
        }
    }

    /// <summary>Takes the oldest message (<c>proxy_dequeue_shared_queue</c>).</summary>
    /// <param name="message">The message, a view of host memory valid until the current hook returns; empty unless Ok.</param>
    /// <returns>Ok; Empty (no message); NotFound (unknown queue id); InvalidMemoryAccess. Any VM may dequeue (each
    /// message goes to one taker).</returns>
    public ProxyStatus TryDequeue(out ReadOnlySpan<byte> message)
    {
        byte* data = null;
        nuint size = 0;
        ProxyStatus status = HostCalls.proxy_dequeue_shared_queue(Id, &data, &size);
        message = status == ProxyStatus.Ok ? HostData.AsSpan(data, size) : default;
        return status;
    }
}
