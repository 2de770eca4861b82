using System;
using System.ComponentModel;

namespace ProxyWasm.Generated;

/// <summary>
/// Slots for per-context state (filter instances or structs, plugin instances) with a free list, so a slot freed by a
/// finished stream is reused by the next. Growing doubles the arrays; steady state allocates nothing. A freed slot
/// keeps its value, which lets generated code reuse a pooled class instance. For generated code.
/// </summary>
/// <typeparam name="T">The state type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SlotPool<T>
{
    private T[] _items = new T[16];
    private StreamFault[] _faults = new StreamFault[16];
    private int[] _free = new int[16];
    private int _freeCount;
    private int _highWater;

    /// <summary>Number of slots in use.</summary>
    public int Count => _highWater - _freeCount;

    /// <summary>The state in <paramref name="slot"/>.</summary>
    public ref T this[int slot] => ref _items[slot];

    /// <summary>The failure state of the stream in <paramref name="slot"/>; <see cref="StreamFault.None"/> after <see cref="Rent"/>.</summary>
    public ref StreamFault Fault(int slot) => ref _faults[slot];

    /// <summary>Takes a free slot (a previously returned one first).</summary>
    public int Rent()
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            if (_highWater == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
                Array.Resize(ref _faults, _faults.Length * 2);
                Array.Resize(ref _free, _free.Length * 2);
            }

            slot = _highWater++;
        }

        _faults[slot] = StreamFault.None;
        return slot;
    }

    /// <summary>Gives <paramref name="slot"/> back; its value stays for reuse.</summary>
    public void Return(int slot) => _free[_freeCount++] = slot;
}

/// <summary>Failure state of one stream's filter. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum StreamFault : byte
{
    /// <summary>Healthy: hooks run.</summary>
    None = 0,

    /// <summary>Creating the filter state threw; the next hook applies the failure policy.</summary>
    Pending = 1,

    /// <summary>The failure policy was applied; later hooks of the stream are skipped (Continue), so a local reply
    /// cannot trigger another one.</summary>
    Handled = 2,
}

/// <summary>
/// Values kept per slot of another pool (the typed configuration of each root context, indexed by its plugin slot),
/// growing on demand. For generated code.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SlotArray<T>
{
    private T[] _items = new T[16];

    /// <summary>The value of <paramref name="slot"/> (0 or more), by reference.</summary>
    public ref T this[int slot]
    {
        get
        {
            if ((uint)slot >= (uint)_items.Length)
            {
                Array.Resize(ref _items, Math.Max(slot + 1, _items.Length * 2));
            }

            return ref _items[slot];
        }
    }
}
