using System;
using System.Collections.Generic;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>What <see cref="FaultPlan"/> can do to a (pointer, size) pair a host call returns to the module, or to the
/// call itself.</summary>
public enum DataFault
{
    /// <summary>Report fewer bytes than were written (a size from 0 to size − 1); the pointer stays valid.</summary>
    Truncate,

    /// <summary>Report 1 to 64 bytes more than the block the module allocated for the data: a reader that trusts the
    /// size reads past the block.</summary>
    OversizeLength,

    /// <summary>Return a pointer the module never allocated (a host-owned 64 KiB buffer) with a size inside it.</summary>
    WildPointer,

    /// <summary>Return a null pointer with the size over 0.</summary>
    NullWithSize,

    /// <summary>Overwrite the served bytes with random bytes (NULs and 0x80–0xFF included); sizes stay right, so a
    /// header-map pairs buffer becomes malformed.</summary>
    RandomBytes,

    /// <summary>Serve a huge value instead (from 1 MiB up to <see cref="FaultPlan.HugeValueBytes"/> bytes, allocated
    /// through the module's <c>proxy_on_memory_allocate</c>, mostly <c>a</c> with NULs and 0x80–0xFF bytes).</summary>
    HugeValue,

    /// <summary>Return an error status (NotFound, BadArgument, InternalFailure or InvalidMemoryAccess) instead of Ok.</summary>
    ErrorStatus,

    /// <summary>Behave as when the module's allocator fails: ask <c>proxy_on_memory_allocate</c> for an impossible size
    /// (4 GiB), which must return 0 without throwing, then fail the call with InvalidMemoryAccess.</summary>
    AllocateFail,
}

/// <summary>One fault a <see cref="FaultPlan"/> injected: the host function (e.g. <c>proxy_get_header_map_value</c>)
/// and the fault, or <see langword="null"/> for a call failed by <see cref="FaultPlan.FailingCalls"/>.</summary>
public sealed record InjectedFault(string Function, DataFault? Kind, ProxyStatus Status);

/// <summary>
/// The fault-injecting mode of <see cref="ProxyWasmHost"/>: set <see cref="ProxyWasmHost.Faults"/> to a plan and the
/// host corrupts what its host functions serve to the module and fails the calls you choose, drawing every choice from
/// <see cref="Seed"/>, so a failing run replays exactly with the same seed. Use it to check that a filter survives a
/// buggy or hostile host: no exception escapes an export, no stream is left paused without a way out, and
/// <see cref="HostMemory.LiveBlocks"/> is 0 after every callback (docs/reliability.md).
/// </summary>
/// <remarks>
/// <para>Faults are drawn only while <see cref="Enabled"/> is <see langword="true"/>, so a test can corrupt one request
/// and send the next one clean. Everything injected is listed in <see cref="Injected"/>.</para>
/// <para>Odd callback orders (response before request, delete twice, unknown ids, id reuse, plugin deleted before
/// its streams) are methods of the host: <see cref="ProxyWasmHost.RunOddOrder"/>.</para>
/// </remarks>
public sealed class FaultPlan
{
    private static readonly ProxyStatus[] ErrorStatuses =
        { ProxyStatus.NotFound, ProxyStatus.BadArgument, ProxyStatus.InternalFailure, ProxyStatus.InvalidMemoryAccess };

    private readonly Random _random;
    private readonly List<InjectedFault> _injected = new();
    private readonly List<string> _violations = new();
    private readonly HashSet<uint> _resets = new();

    /// <summary>Creates a plan whose every random choice comes from <paramref name="seed"/>.</summary>
    public FaultPlan(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed: the same seed, filter and calls give the same faults.</summary>
    public int Seed { get; }

    /// <summary>Probability (0 to 1) that a (pointer, size) pair a host call serves gets one of <see cref="Kinds"/>.
    /// Default 0.25.</summary>
    public double Rate { get; init; } = 0.25;

    /// <summary>The data faults to draw from (default: all of <see cref="DataFault"/>).</summary>
    public IReadOnlyList<DataFault> Kinds { get; init; } = Enum.GetValues<DataFault>();

    /// <summary>Host functions (ABI names, e.g. <c>proxy_send_local_response</c>) that always fail with
    /// <see cref="FailureStatus"/> while the plan is enabled; the real host does not run them.</summary>
    public IReadOnlyCollection<string> FailingCalls { get; init; } = Array.Empty<string>();

    /// <summary>The status <see cref="FailingCalls"/> return. Default InternalFailure (what cpp-host's stubs return).</summary>
    public ProxyStatus FailureStatus { get; init; } = ProxyStatus.InternalFailure;

    /// <summary>The largest <see cref="DataFault.HugeValue"/>, in bytes (default 16 MiB).</summary>
    public int HugeValueBytes { get; init; } = 16 << 20;

    /// <summary>Whether faults are injected now (default <see langword="true"/>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every fault injected so far, in order.</summary>
    public IReadOnlyList<InjectedFault> Injected => _injected;

    /// <summary>What the host saw go wrong in the module while the plan was set (whether or not
    /// <see cref="Enabled"/>): host memory still allocated after a callback returned
    /// (<see cref="HostMemory.LiveBlocks"/> not 0). Empty for a module that survives the plan.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>The context ids of the streams the module reset (<c>proxy_close_stream</c> answered Ok) while the plan was
    /// set: a stream that is reset is not left paused.</summary>
    public IReadOnlyCollection<uint> ResetContexts => _resets;

    /// <summary>A plan that only refuses local responses (<c>proxy_send_local_response</c> returns InternalFailure).</summary>
    public static FaultPlan RefusingLocalResponses(int seed = 0) => new(seed) { Rate = 0, FailingCalls = new[] { "proxy_send_local_response" } };

    /// <inheritdoc/>
    public override string ToString() => $"FaultPlan(seed {Seed}, rate {Rate}, {Injected.Count} injected)";

    internal bool Fails(string function, out ProxyStatus status)
    {
        status = FailureStatus;
        if (!Enabled || FailingCalls.Count == 0 || !Contains(FailingCalls, function))
        {
            return false;
        }

        _injected.Add(new InjectedFault(function, null, status));
        return true;
    }

    internal bool Draw(out DataFault kind)
    {
        kind = default;
        if (!Enabled || Rate <= 0 || Kinds.Count == 0 || _random.NextDouble() >= Rate)
        {
            return false;
        }

        kind = Kinds[_random.Next(Kinds.Count)];
        return true;
    }

    internal void RecordReset(uint contextId) => _resets.Add(contextId);

    internal void AfterCallback(CallbackRecord callback, int liveBlocks)
    {
        if (liveBlocks != 0)
        {
            _violations.Add($"{callback.Export}({callback.ContextId}): {liveBlocks} host memory blocks still allocated after the callback returned");
        }
    }

    internal void Record(string function, DataFault kind, ProxyStatus status) => _injected.Add(new InjectedFault(function, kind, status));

    internal int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    internal ProxyStatus NextError() => ErrorStatuses[_random.Next(ErrorStatuses.Length)];

    internal void Scribble(Span<byte> bytes)
    {
        _random.NextBytes(bytes);
    }

    private static bool Contains(IReadOnlyCollection<string> names, string name)
    {
        foreach (string candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
