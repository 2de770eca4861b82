using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ProxyWasm.Abi;
using Wasmtime;

namespace ProxyWasm.Testing;

/// <summary>
/// One instance (one VM) of a <see cref="WasmModule"/>, bound to a host: the module's imports run the host's
/// <see cref="IProxyHost"/> (the same implementation of Envoy's semantics as for an assembly), with every (pointer, size)
/// a 32-bit offset into linear memory, bounds-checked (InvalidMemoryAccess, never a host crash); data returned to the
/// module goes through its allocator. Calls into the module run under an epoch deadline and the restricted phases of
/// proxy-wasm-cpp-host (start-up and the allocator); a trap becomes a <see cref="WasmTrapException"/>.
/// </summary>
/// <remarks>The engine is configured so that linear memory never moves (<c>memory_may_move(false)</c>, within the 1 GiB
/// cap), so a native pointer into it stays valid across the allocator calls a host function makes; sizes are re-read
/// after each.</remarks>
internal sealed unsafe class WasmBinding : ExportBinding, IDisposable
{
    private readonly Store _store;
    private readonly Linker _linker;
    private readonly Instance _instance;
    private readonly Memory _memory;
    private readonly byte* _base;
    private ulong _length;
    private readonly Dictionary<string, Function> _functions = new(StringComparer.Ordinal);
    private readonly string[] _names;
    private readonly Func<int, int> _allocator;
    private readonly Dictionary<string, Delegate> _typed = new(StringComparer.Ordinal);
    private readonly string _allocatorName;
    private readonly ulong _deadlineTicks;
    private WasmPhase _phase = WasmPhase.Start;
    private string _phaseFunction = "_initialize";
    private int _depth;
    private WasmTrapException? _failure;

    private static readonly HostParameterKind[][] s_kinds = HostFunctionTable.Functions.Select(f => f.Parameters.ToArray()).ToArray();

    internal WasmBinding(WasmModule module, WasmHostOptions options)
    {
        Module = module;
        if (module.Compiled is null || !module.Report.Loadable)
        {
            throw new WasmLoadException(module.Report);
        }

        _store = new Store(module.Engine);
        _store.SetLimits(memorySize: options.MaxMemoryBytes, instances: 1, memories: 1);
        _linker = new Linker(module.Engine);
        foreach (WasmImportSignature import in WasmImports.For(module.Report.AbiVersion).Values)
        {
            WasmImportSignature row = import;
            string name = row.QualifiedName;
            _linker.Define(row.Module, row.Name, Function.FromCallback(_store, (Caller _, ReadOnlySpan<ValueBox> a, Span<ValueBox> r) =>
            {
                CheckPhase(name);
                row.Handler(this, a, r);
            }, row.Parameters, row.Results));
        }

        _deadlineTicks = Math.Max(1, (ulong)(options.CallbackTimeout.TotalMilliseconds / WasmModule.EpochMilliseconds));
        module.StartEpochClock();
        _store.SetEpochDeadline(_deadlineTicks);
        try
        {
            _instance = _linker.Instantiate(_store, module.Compiled);
        }
        catch (WasmtimeException ex)
        {
            Dispose();
            throw new WasmLoadException(new WasmLoadReport(module.Report.AbiVersion, [$"Failed to create new Wasm instance: {WasmModule.FirstLine(ex.Message)}"]));
        }

        _memory = _instance.GetMemory("memory") ?? throw new WasmLoadException(new WasmLoadReport(module.Report.AbiVersion, ["Wasm module exports no memory named \"memory\""]));
        // memory_may_move(false): the base never changes; the length only grows, so it is re-read when a range is past it.
        _base = (byte*)_memory.GetPointer();
        _length = (ulong)_memory.GetLength();
        var names = new List<string>();
        foreach ((string name, Function function) in _instance.GetFunctions())
        {
            _functions[name] = function;
            names.Add(name);
        }

        _names = names.ToArray();
        _allocatorName = _functions.ContainsKey("malloc") ? "malloc" : ProxyCallbacks.MemoryAllocate.Export;
        _allocator = _instance.GetFunction<int, int>(_allocatorName)
            ?? throw new WasmLoadException(new WasmLoadReport(module.Report.AbiVersion, [$"Bad function signature for: {_allocatorName}"]));
    }

    /// <summary>The module this instance runs.</summary>
    public WasmModule Module { get; }

    /// <summary>The linear memory's current size in bytes.</summary>
    public long MemoryBytes => _memory.GetLength();

    public override IReadOnlyCollection<string> Names => _names;

    public override bool Has(string name) => _functions.ContainsKey(name);

    /// <summary>The host the module's imports reach (set per call: the fault-injecting host may stand in front).</summary>
    internal IProxyHost? Host { get; set; }

    /// <summary>Binds the host and runs start-up as cpp-host's <c>startVm</c> does: <c>_initialize</c> then <c>main(0, 0)</c> or
    /// <c>__main_void</c>, else <c>_start</c>, with only the start-up allow-list of imports callable.</summary>
    /// <exception cref="WasmTrapException">Start-up trapped.</exception>
    internal void Start(IProxyHost host)
    {
        Host = host;
        try
        {
            if (_functions.TryGetValue("_initialize", out Function? initialize))
            {
                Run("_initialize", () => initialize.Invoke());
                if (_functions.TryGetValue("main", out Function? main))
                {
                    Run("main", () => main.Invoke(0, 0));
                }
                else if (_functions.TryGetValue("__main_void", out Function? mainVoid))
                {
                    Run("__main_void", () => mainVoid.Invoke());
                }
            }
            else if (_functions.TryGetValue("_start", out Function? start))
            {
                Run("_start", () => start.Invoke());
            }
        }
        finally
        {
            _phase = WasmPhase.Callback;
        }

        void Run(string name, Action call)
        {
            _phaseFunction = name;
            Enter(name, call);
        }
    }

    public override uint Invoke(string name, ReadOnlySpan<uint> a, bool returnsWord)
    {
        Delegate call = Typed(name, a.Length, returnsWord);
        Begin();
        try
        {
            switch (call)
            {
                case Action<int> f: f((int)a[0]); return 0;
                case Action<int, int> f: f((int)a[0], (int)a[1]); return 0;
                case Action<int, int, int> f: f((int)a[0], (int)a[1], (int)a[2]); return 0;
                case Action<int, int, int, int> f: f((int)a[0], (int)a[1], (int)a[2], (int)a[3]); return 0;
                case Action<int, int, int, int, int> f: f((int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4]); return 0;
                case Func<int, int> f: return (uint)f((int)a[0]);
                case Func<int, int, int> f: return (uint)f((int)a[0], (int)a[1]);
                case Func<int, int, int, int> f: return (uint)f((int)a[0], (int)a[1], (int)a[2]);
                default: throw new NotSupportedException($"No call shape for {name} with {a.Length} arguments.");
            }
        }
        catch (WasmtimeException ex) when (_depth == 1)
        {
            throw Trap(name, ex);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>The first trap of this VM (cpp-host fails the VM on it), or <see langword="null"/>.</summary>
    public override WasmTrapException? Failure => _failure;

    // One instance per host: nothing shared to take.
    public override void Acquire()
    {
    }

    public override void Release() => Dispose();

    public override uint? Run(IProxyHost host, Func<uint?> call)
    {
        Host = host;
        return call();
    }

    private WasmTrapException Trap(string function, WasmtimeException ex)
    {
        var trap = new WasmTrapException(function, Describe(ex), ex);
        _failure ??= trap;
        return trap;
    }

    /// <summary>The export as a typed delegate (cached), checked against the shape the host calls it with.</summary>
    private Delegate Typed(string name, int arity, bool returnsWord)
    {
        if (_typed.TryGetValue(name, out Delegate? cached))
        {
            return cached;
        }

        Delegate? typed = (arity, returnsWord) switch
        {
            (1, false) => _instance.GetAction<int>(name),
            (2, false) => _instance.GetAction<int, int>(name),
            (3, false) => _instance.GetAction<int, int, int>(name),
            (4, false) => _instance.GetAction<int, int, int, int>(name),
            (5, false) => _instance.GetAction<int, int, int, int, int>(name),
            (1, true) => _instance.GetFunction<int, int>(name),
            (2, true) => _instance.GetFunction<int, int, int>(name),
            (3, true) => _instance.GetFunction<int, int, int, int>(name),
            _ => null,
        };
        _typed[name] = typed ?? throw new InvalidOperationException($"The module does not export {name} with {arity} i32 parameters{(returnsWord ? " and an i32 result" : "")}.");
        return typed;
    }

    public override byte* Allocate(nuint size)
    {
        if (size > uint.MaxValue)
        {
            return null;
        }

        WasmPhase previous = _phase;
        string previousFunction = _phaseFunction;
        _phase = WasmPhase.Allocator;
        _phaseFunction = _allocatorName;
        uint offset;
        Begin();
        try
        {
            offset = (uint)_allocator((int)(uint)size);
        }
        catch (WasmtimeException ex)
        {
            // The allocator trapped inside a host function (cpp-host: the VM fails, allocMemory returns false, and the
            // host function answers an error to the callback, which goes on): record it, return no block.
            WasmTrapException trap = Trap(_allocatorName, ex);
            if (_depth == 1)
            {
                throw trap;
            }

            return null;
        }
        finally
        {
            _depth--;
            _phase = previous;
            _phaseFunction = previousFunction;
        }

        // cpp-host's allocMemory fails on a 0 return or a block outside linear memory.
        return offset == 0 || !InBounds(offset, size) ? null : _base + offset;
    }

    /// <summary>Enters a call into the module (the caller decrements <see cref="_depth"/> when it returns): the outermost
    /// call gets a fresh epoch deadline. A trap of the outermost call (or an exception of the host inside an import)
    /// becomes a <see cref="WasmTrapException"/> with cpp-host's message; nested calls let it unwind to it.</summary>
    private void Begin()
    {
        if (_depth == 0)
        {
            _store.SetEpochDeadline(_deadlineTicks);
        }

        _depth++;
    }

    private void Enter(string name, Action call)
    {
        Begin();
        try
        {
            call();
        }
        catch (WasmtimeException ex) when (_depth == 1)
        {
            throw Trap(name, ex);
        }
        finally
        {
            _depth--;
        }
    }

    private static string Describe(WasmtimeException ex)
    {
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is WasmRestrictedCallException or WasmTrapException)
            {
                return inner.Message;
            }
        }

        if (ex is TrapException { Type: TrapCode.Interrupt })
        {
            return "interrupted: the callback ran past its deadline (epoch)";
        }

        if (WasmModule.FirstLine(ex.Message).StartsWith("error while executing", StringComparison.Ordinal))
        {
            if (ex.InnerException is { } cause)
            {
                return cause.GetType().Name + ": " + cause.Message;
            }

            // A trap's message is "error while executing at wasm backtrace: <frames> ... Caused by: <the trap>", the
            // cause one line or a numbered chain ("0: memory fault at wasm address 0x… in linear memory of size 0x…",
            // "1: wasm trap: out of bounds memory access"); the reason is the cause, on one line.
            int caused = ex.Message.LastIndexOf(CausedBy, StringComparison.Ordinal);
            if (caused >= 0)
            {
                string[] chain = ex.Message[(caused + CausedBy.Length)..]
                    .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @"^\d+: ", string.Empty))
                    .ToArray();
                if (chain.Length != 0)
                {
                    return string.Join(": ", chain);
                }
            }
        }

        return WasmModule.FirstLine(ex.Message);
    }

    private const string CausedBy = "Caused by:";

    private void CheckPhase(string qualifiedName)
    {
        bool allowed = _phase switch
        {
            WasmPhase.Allocator => WasmImports.AllowedInAllocator.Contains(qualifiedName),
            WasmPhase.Start => WasmImports.AllowedInStart.Contains(qualifiedName),
            _ => true,
        };
        if (!allowed)
        {
            throw new WasmRestrictedCallException($"restricted_callback: {qualifiedName} may not be called during {_phaseFunction}");
        }
    }

    /// <summary>Runs host function <paramref name="index"/> of <see cref="HostFunctionTable"/>: translates each offset to a
    /// native pointer after a bounds check, points each output at native storage, calls the host, then writes the outputs
    /// back as wasm32 words (only on Ok, as cpp-host writes them only on success).</summary>
    internal ProxyStatus CallHost(int index, ReadOnlySpan<ValueBox> a)
    {
        IProxyHost host = Host ?? throw new InvalidOperationException("No host is bound to this instance.");
        HostParameterKind[] kinds = s_kinds[index];
        int n = kinds.Length;
        Span<ulong> words = stackalloc ulong[n];
        ulong* outputs = stackalloc ulong[n];
        byte* memoryBase = _base;
        for (int i = 0; i < n; i++)
        {
            outputs[i] = 0;
            switch (kinds[i])
            {
                case HostParameterKind.Value64:
                    words[i] = (ulong)a[i].AsInt64();
                    break;
                case HostParameterKind.Value32:
                case HostParameterKind.Size:
                    words[i] = (uint)a[i].AsInt32();
                    break;
                case HostParameterKind.InputData:
                    uint pointer = (uint)a[i].AsInt32();
                    uint size = i + 1 < n ? (uint)a[i + 1].AsInt32() : 0;
                    if (!InBounds(pointer, size))
                    {
                        return ProxyStatus.InvalidMemoryAccess;
                    }

                    words[i] = (ulong)(memoryBase + pointer);
                    break;
                default:
                    uint slot = (uint)a[i].AsInt32();
                    if (!InBounds(slot, kinds[i] == HostParameterKind.Output64 ? 8u : 4u))
                    {
                        return ProxyStatus.InvalidMemoryAccess;
                    }

                    words[i] = (ulong)(outputs + i);
                    break;
            }
        }

        ProxyStatus status = HostFunctionTable.Invoke(host, index, words);
        if (status != ProxyStatus.Ok)
        {
            return status;
        }

        Debug.Assert(_base == (byte*)_memory.GetPointer(), "linear memory moved");
        for (int i = 0; i < n; i++)
        {
            uint slot = (uint)a[i].AsInt32();
            switch (kinds[i])
            {
                case HostParameterKind.OutputData:
                    byte* block = (byte*)outputs[i];
                    ulong offset = block is null ? 0 : (ulong)(block - memoryBase);
                    if (block is not null && (block < memoryBase || !InBounds(offset, 1)))
                    {
                        throw new InvalidOperationException($"The host returned a block outside the module's linear memory from {HostFunctionTable.Functions[index].Name}.");
                    }

                    *(uint*)(memoryBase + slot) = (uint)offset;
                    break;
                case HostParameterKind.OutputSize:
                case HostParameterKind.Output32:
                    *(uint*)(memoryBase + slot) = (uint)outputs[i];
                    break;
                case HostParameterKind.Output64:
                    *(ulong*)(memoryBase + slot) = outputs[i];
                    break;
            }
        }

        return status;
    }

    /// <summary>Whether [<paramref name="offset"/>, +<paramref name="size"/>) lies in linear memory (its length re-read
    /// when the cached one is too short: memory may have grown).</summary>
    private bool InBounds(ulong offset, ulong size)
    {
        ulong end = offset + size;
        if (end <= _length)
        {
            return true;
        }

        _length = (ulong)_memory.GetLength();
        return end <= _length;
    }

    internal bool TryRead(uint pointer, uint size, out ReadOnlySpan<byte> bytes)
    {
        if (!InBounds(pointer, size))
        {
            bytes = default;
            return false;
        }

        bytes = new ReadOnlySpan<byte>(_base + pointer, (int)size);
        return true;
    }

    internal bool TryWrite(uint pointer, ReadOnlySpan<byte> bytes)
    {
        if (!InBounds(pointer, (ulong)bytes.Length))
        {
            return false;
        }

        bytes.CopyTo(new Span<byte>(_base + pointer, bytes.Length));
        return true;
    }

    internal bool TryWrite16(uint pointer, ushort value) => TryWrite(pointer, BitConverter.GetBytes(value));

    internal bool TryWrite32(uint pointer, uint value) => TryWrite(pointer, BitConverter.GetBytes(value));

    internal bool TryWrite64(uint pointer, ulong value) => TryWrite(pointer, BitConverter.GetBytes(value));

    /// <summary>A log line from the module's stdout or stderr, through the host's <c>proxy_log</c>.</summary>
    internal void Log(LogLevel level, byte[] message)
    {
        fixed (byte* data = message)
        {
            Host?.proxy_log(level, data, (nuint)message.Length);
        }
    }

    /// <summary>An error line cpp-host logs on the module's behalf (e.g. <c>wasi_unstable proc_exit</c>).</summary>
    internal void HostError(string message) => Log(LogLevel.Error, System.Text.Encoding.UTF8.GetBytes(message));

    /// <summary>The host's wall clock in nanoseconds since the Unix epoch (<c>proxy_get_current_time_nanoseconds</c>).</summary>
    internal ulong RealtimeNanoseconds()
    {
        ulong now = 0;
        Host?.proxy_get_current_time_nanoseconds(&now);
        return now;
    }

    public void Dispose()
    {
        _linker.Dispose();
        _store.Dispose();
    }

    private enum WasmPhase
    {
        Callback,
        Start,
        Allocator,
    }
}

/// <summary>A call into a <c>.wasm</c> module trapped: the VM has failed, as proxy-wasm-cpp-host marks it
/// (<c>FailState::RuntimeError</c>).</summary>
public sealed class WasmTrapException : Exception
{
    internal WasmTrapException(string function, string reason, Exception inner)
        : base($"Function: {function} failed: {reason}", inner)
    {
        Function = function;
        Reason = reason;
    }

    /// <summary>The export that was called (e.g. <c>proxy_on_request_headers</c>, <c>malloc</c>, <c>_initialize</c>).</summary>
    public string Function { get; }

    /// <summary>Why it trapped (the engine's trap message, or <c>restricted_callback: …</c>).</summary>
    public string Reason { get; }
}

/// <summary>An import the module may not call in the current phase (cpp-host's <c>restricted_callback</c> trap).</summary>
internal sealed class WasmRestrictedCallException(string message) : Exception(message);
