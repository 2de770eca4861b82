using System;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// The <see cref="IProxyHost"/> a <see cref="ProxyWasmHost"/> attaches while <see cref="ProxyWasmHost.Faults"/> is set:
/// every host function asks the plan whether to fail, runs on the real host otherwise, and what it serves through
/// (byte** data, nuint* size) may be corrupted (<see cref="DataFault"/>); a successful <c>proxy_close_stream</c> is recorded
/// as a reset. The forwarding members are generated from the host-call declarations (<see cref="HostFunctionInterceptor"/>).
/// </summary>
internal sealed unsafe class FaultInjectingHost : HostFunctionInterceptor
{
    /// <summary>Host-owned memory a <see cref="DataFault.WildPointer"/> points into: readable, never the module's.</summary>
    private static readonly byte[] s_wild = CreateWild();

    private static readonly int CloseStream = IndexOf("proxy_close_stream");

    private readonly ProxyWasmHost _host;

    public FaultInjectingHost(ProxyWasmHost host)
        : base(host)
    {
        _host = host;
    }

    private FaultPlan? Plan => _host.Faults;

    /// <summary>The plan's chosen failure for this function, if any.</summary>
    protected override ProxyStatus? Before(int index)
        => Plan is { } plan && plan.Fails(HostFunctionTable.Functions[index].Name, out ProxyStatus status) ? status : null;

    /// <summary>Records a reset (a successful <c>proxy_close_stream</c>), and lets the plan corrupt what a call serves.</summary>
    protected override ProxyStatus After(int index, ProxyStatus status, byte** data, nuint* size)
    {
        if (index == CloseStream)
        {
            if (status == ProxyStatus.Ok && Plan is { } resets)
            {
                resets.RecordReset(_host.ContextIdForFaults);
            }

            return status;
        }

        if (data is null || status != ProxyStatus.Ok || *size == 0 || Plan is not { } plan || !plan.Draw(out DataFault kind))
        {
            return status;
        }

        ProxyStatus result = Corrupt(plan, kind, data, size);
        plan.Record(HostFunctionTable.Functions[index].Name, kind, result);
        return result;
    }

    private static int IndexOf(string name)
    {
        for (int i = 0; i < HostFunctionTable.Functions.Count; i++)
        {
            if (HostFunctionTable.Functions[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{name} is not a host function.");
    }

    private ProxyStatus Corrupt(FaultPlan plan, DataFault kind, byte** data, nuint* size)
    {
        int length = (int)Math.Min(*size, (nuint)int.MaxValue);
        switch (kind)
        {
            case DataFault.Truncate:
                *size = (nuint)plan.Next(0, length);
                return ProxyStatus.Ok;
            case DataFault.OversizeLength:
                *size += (nuint)plan.Next(1, 65);
                return ProxyStatus.Ok;
            case DataFault.WildPointer:
                fixed (byte* wild = s_wild)
                {
                    int served = Math.Min(length, s_wild.Length);
                    *data = wild + plan.Next(0, s_wild.Length - served + 1);
                    *size = (nuint)served;
                }

                return ProxyStatus.Ok;
            case DataFault.NullWithSize:
                *data = null;
                return ProxyStatus.Ok;
            case DataFault.RandomBytes:
                if (*data is not null)
                {
                    plan.Scribble(new Span<byte>(*data, length));
                }

                return ProxyStatus.Ok;
            case DataFault.HugeValue:
                return Huge(plan, data, size);
            case DataFault.ErrorStatus:
                return plan.NextError();
            case DataFault.AllocateFail:
                // The module's allocator must refuse an impossible size by returning 0, without throwing.
                if (_host.Exports.Allocate(unchecked((nuint)uint.MaxValue + 1)) is not null)
                {
                    throw new InvalidOperationException("proxy_on_memory_allocate returned a block for an impossible size (4 GiB).");
                }

                *data = null;
                *size = 0;
                return ProxyStatus.InvalidMemoryAccess;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private ProxyStatus Huge(FaultPlan plan, byte** data, nuint* size)
    {
        int length = plan.Next(1 << 20, Math.Max(plan.HugeValueBytes, 1 << 20) + 1);
        byte* block = _host.Exports.Allocate((nuint)length);
        if (block is null)
        {
            return ProxyStatus.InvalidMemoryAccess;
        }

        var bytes = new Span<byte>(block, length);
        bytes.Fill((byte)'a');
        for (int i = 0; i < 64; i++)
        {
            bytes[plan.Next(0, length)] = (byte)(i % 2 == 0 ? 0 : plan.Next(0x80, 0x100));
        }

        *data = block;
        *size = (nuint)length;
        return ProxyStatus.Ok;
    }

    private static byte[] CreateWild()
    {
        byte[] wild = GC.AllocateArray<byte>(64 * 1024, pinned: true);
        wild.AsSpan().Fill((byte)'W');
        return wild;
    }
}
