using System;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// The <see cref="IProxyHost"/> a <see cref="ProxyWasmHost"/> attaches while <see cref="ProxyWasmHost.Faults"/> is set:
/// every host function asks the plan whether to fail, runs on the real host otherwise, and what it serves through
/// (byte** data, nuint* size) may be corrupted (<see cref="DataFault"/>). The forwarding members are in
/// FaultInjectingHost.Forwarding.cs.
/// </summary>
internal sealed unsafe partial class FaultInjectingHost : IProxyHost
{
    /// <summary>Host-owned memory a <see cref="DataFault.WildPointer"/> points into: readable, never the module's.</summary>
    private static readonly byte[] s_wild = CreateWild();

    private readonly ProxyWasmHost _host;
    private readonly IProxyHost _inner;

    public FaultInjectingHost(ProxyWasmHost host)
    {
        _host = host;
        _inner = host;
    }

    private FaultPlan? Plan => _host.Faults;

    private ProxyStatus? Fail(string function) => Plan is { } plan && plan.Fails(function, out ProxyStatus status) ? status : null;

    private ProxyStatus Reset(ProxyStatus status)
    {
        if (status == ProxyStatus.Ok && Plan is { } plan)
        {
            plan.RecordReset(_host.ContextIdForFaults);
        }

        return status;
    }

    private ProxyStatus Served(ProxyStatus status, string function, byte** data, nuint* size)
    {
        if (status != ProxyStatus.Ok || *size == 0 || Plan is not { } plan || !plan.Draw(out DataFault kind))
        {
            return status;
        }

        ProxyStatus result = Corrupt(plan, kind, data, size);
        plan.Record(function, kind, result);
        return result;
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
