using System;
using System.Threading;

namespace ProxyWasm.Testing;

/// <summary>
/// One in-process host runs at a time in a process. A wasm VM is single-threaded and owns its memory; in-process, every
/// module shares the runtime's statics (the host-memory record of <see cref="HostMemory"/>, the attached host), so
/// hosts take turns, as the VMs of one Envoy worker thread do. Tests that create hosts on several threads simply wait.
/// </summary>
internal static class HostLock
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static int s_owner;

    public static void Enter()
    {
        if (Volatile.Read(ref s_owner) == Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException("This thread already drives an in-process Proxy-Wasm host: dispose it before creating another (one host runs at a time, as one VM thread does).");
        }

        s_gate.Wait();
        Volatile.Write(ref s_owner, Environment.CurrentManagedThreadId);
    }

    public static void Exit()
    {
        Volatile.Write(ref s_owner, 0);
        s_gate.Release();
    }
}
