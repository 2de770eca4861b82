using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using ProxyWasm.Abi;

namespace ProxyWasm.Generated;

/// <summary>What the generated dispatch table knows about one context id. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ContextEntry
{
    /// <summary>Creates an entry of a root context (<paramref name="parentContextId"/> 0) or of a stream of the root
    /// context <paramref name="parentContextId"/>.</summary>
    public ContextEntry(int filter, int slot, int pluginSlot, bool isRoot, FailurePolicy onError, uint parentContextId = 0)
        : this(filter, slot, pluginSlot, isRoot, onError, parentContextId, ContextState.Live)
    {
    }

    private ContextEntry(int filter, int slot, int pluginSlot, bool isRoot, FailurePolicy onError, uint parentContextId, ContextState state)
    {
        Filter = filter;
        Slot = slot;
        PluginSlot = pluginSlot;
        IsRoot = isRoot;
        OnError = onError;
        ParentContextId = parentContextId;
        State = state;
    }

    /// <summary>Index of the filter type in the module (generation order), or -1 for a root context whose root id
    /// matched no filter.</summary>
    public int Filter { get; }

    /// <summary>Slot of the stream state in the filter's pool (stream contexts), or -1 if creating it failed.</summary>
    public int Slot { get; }

    /// <summary>Slot of the plugin instance (the root context's, for a stream), or -1 without a plugin type. Only valid
    /// while <see cref="State"/> is <see cref="ContextState.Live"/>: once the root context is deleted the slot may
    /// belong to another plugin.</summary>
    public int PluginSlot { get; }

    /// <summary>Whether this is a root (plugin) context.</summary>
    public bool IsRoot { get; }

    /// <summary>The failure policy of the context's filter: what a stream gets when its callback throws, in the hook or
    /// anywhere in the export's dispatch.</summary>
    public FailurePolicy OnError { get; }

    /// <summary>The root context a stream was created under; 0 for a root context.</summary>
    public uint ParentContextId { get; }

    /// <summary>Whether the stream's root context still exists (see <see cref="ContextState"/>).</summary>
    public ContextState State { get; }

    internal ContextEntry With(ContextState state) => new(Filter, Slot, PluginSlot, IsRoot, OnError, ParentContextId, state);
}

/// <summary>Whether a stream's plugin (root context) is still there. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ContextState : byte
{
    /// <summary>The stream's root context exists: its hooks run.</summary>
    Live = 0,

    /// <summary>The root context was deleted before the stream: the next status callback applies the failure policy
    /// (never another plugin's state, even if a new root context took the freed plugin slot).</summary>
    Orphaned = 1,

    /// <summary>An orphaned stream whose failure policy was applied; later callbacks let it pass (Continue).</summary>
    OrphanHandled = 2,
}

/// <summary>
/// The module's dispatch table: context id to <see cref="ContextEntry"/>. One per module (a static field of the
/// generated <c>ProxyWasmModule</c>); the wasm VM is single-threaded, so no locking.
/// </summary>
/// <remarks>
/// <para>Hosts hand out context ids densely and in order (proxy-wasm-cpp-host counts up from 1), so the streams' table
/// is an array indexed by <c>id &amp; (capacity - 1)</c>: a lookup is one index and one compare, and only ids that
/// share the low bits of another live id walk on to the next slot (linear probing, backward-shift deletion). The array
/// doubles when half full. Root contexts, few and long-lived, are kept apart in a small list, so the streams' window of
/// ids never collides with them as it slides. Once both have grown to the peak number of live contexts, adding and
/// removing entries allocate nothing.</para>
/// <para>It never replaces a live entry: <see cref="TryAdd"/> refuses an id that is live (a host reusing an id before
/// <c>proxy_on_delete</c>, or a stream created with its own root context's id), so the old state stays intact and
/// nothing leaks.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ContextRegistry
{
    private uint[] _ids = new uint[64];
    private ContextEntry[] _entries = new ContextEntry[64];
    private int _count;
    private uint[] _rootIds = new uint[4];
    private ContextEntry[] _roots = new ContextEntry[4];
    private int _rootCount;

    /// <summary>Entries not in their home slot. With the ids hosts hand out this stays 0, and a removal is one store.</summary>
    private int _displaced;

    /// <summary>Number of live contexts (root and stream).</summary>
    public int Count => _count + _rootCount;

    /// <summary>Registers <paramref name="contextId"/>.</summary>
    /// <returns><see langword="false"/> (nothing changes) for context id 0 or an id that is already live.</returns>
    public bool TryAdd(uint contextId, in ContextEntry entry)
    {
        if (contextId == 0 || Contains(contextId))
        {
            return false;
        }

        Add(contextId, entry);
        return true;
    }

    private void AddRoot(uint contextId, in ContextEntry entry)
    {
        if (_rootCount == _rootIds.Length)
        {
            Array.Resize(ref _rootIds, _rootIds.Length * 2);
            Array.Resize(ref _roots, _rootIds.Length);
        }

        _rootIds[_rootCount] = contextId;
        _roots[_rootCount++] = entry;
    }

    /// <summary>Registers <paramref name="contextId"/>, which the caller has just checked is not 0 and not live
    /// (<see cref="Contains"/>): the generated <c>proxy_on_context_create</c>, which checks before it creates the
    /// context's state.</summary>
    public void Add(uint contextId, in ContextEntry entry)
    {
        if (entry.IsRoot)
        {
            AddRoot(contextId, entry);
            return;
        }

        if ((_count + 1) * 2 > _ids.Length)
        {
            Grow();
        }

        Place(contextId, entry);
        _count++;
    }

    /// <summary>Looks up <paramref name="contextId"/>: the stream table first (one index and one compare for the ids
    /// hosts hand out), then the few root contexts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(uint contextId, out ContextEntry entry)
    {
        // The usual case, inlined into each export: the id sits in its home slot.
        uint[] ids = _ids;
        int home = (int)contextId & (ids.Length - 1);
        if (ids[home] == contextId && contextId != 0)
        {
            entry = _entries[home];
            return true;
        }

        return TryGetSlow(contextId, out entry);
    }

    /// <summary>Whether <paramref name="contextId"/> is live (a stream or a root context), without copying its entry.</summary>
    public bool Contains(uint contextId) => Find(contextId) >= 0 || FindRoot(contextId) >= 0;

    /// <summary>Looks up the root (plugin) context <paramref name="contextId"/> alone: what a stream's
    /// <c>proxy_on_context_create</c> needs of its parent, without probing the streams' table.</summary>
    public bool TryGetRoot(uint contextId, out ContextEntry entry)
    {
        int root = contextId == 0 ? -1 : FindRoot(contextId);
        entry = root >= 0 ? _roots[root] : default;
        return root >= 0;
    }

    private bool TryGetSlow(uint contextId, out ContextEntry entry)
    {
        int i = Find(contextId);
        if (i >= 0)
        {
            entry = _entries[i];
            return true;
        }

        return TryGetRoot(contextId, out entry);
    }

    /// <summary>Removes <paramref name="contextId"/>, returning its entry. Removing a root context marks its live
    /// streams <see cref="ContextState.Orphaned"/> (a walk over the table: root contexts are deleted rarely).</summary>
    public bool Remove(uint contextId, out ContextEntry entry)
    {
        int i = Find(contextId);
        if (i >= 0)
        {
            entry = _entries[i];
            RemoveAt(i);
            return true;
        }

        int root = FindRoot(contextId);
        if (root < 0)
        {
            entry = default;
            return false;
        }

        entry = _roots[root];
        _rootCount--;
        _rootIds[root] = _rootIds[_rootCount];
        _roots[root] = _roots[_rootCount];
        _rootIds[_rootCount] = 0;
        _roots[_rootCount] = default;
        for (int j = 0; j < _ids.Length; j++)
        {
            if (_ids[j] != 0 && _entries[j].ParentContextId == contextId && _entries[j].State == ContextState.Live)
            {
                _entries[j] = _entries[j].With(ContextState.Orphaned);
            }
        }

        return true;
    }

    /// <summary>Records that the failure policy of the orphaned stream <paramref name="contextId"/> was applied.</summary>
    public void MarkHandled(uint contextId)
    {
        int i = Find(contextId);
        if (i >= 0)
        {
            _entries[i] = _entries[i].With(ContextState.OrphanHandled);
        }
    }

    /// <summary>Logs (error) that <c>proxy_on_context_create(<paramref name="contextId"/>, <paramref name="parentContextId"/>)</c>
    /// was refused: the id is 0 or already live (its state is kept), or the parent is not a live root context.</summary>
    public static void ReportRefused(uint contextId, uint parentContextId, ReadOnlySpan<byte> reason)
    {
        var message = new Utf8ValueBuilder(stackalloc byte[192]);
        message.Append("proxy-wasm: proxy_on_context_create("u8);
        message.Append(contextId);
        message.Append(", "u8);
        message.Append(parentContextId);
        message.Append(") refused: "u8);
        message.Append(reason);
        Log.Write(LogLevel.Error, message.AsSpan());
        message.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindRoot(uint contextId)
    {
        for (int i = 0; i < _rootCount; i++)
        {
            if (_rootIds[i] == contextId)
            {
                return i;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(uint contextId)
    {
        if (contextId == 0)
        {
            return -1;
        }

        int mask = _ids.Length - 1;
        for (int i = (int)contextId & mask; _ids[i] != 0; i = (i + 1) & mask)
        {
            if (_ids[i] == contextId)
            {
                return i;
            }
        }

        return -1;
    }

    private void Place(uint contextId, in ContextEntry entry)
    {
        int mask = _ids.Length - 1;
        int i = (int)contextId & mask;
        while (_ids[i] != 0)
        {
            i = (i + 1) & mask;
        }

        _ids[i] = contextId;
        _entries[i] = entry;
        if (i != ((int)contextId & mask))
        {
            _displaced++;
        }
    }

    /// <summary>Backward-shift deletion: moves later entries of the probe run into the gap, so lookups never need
    /// tombstones.</summary>
    private void RemoveAt(int gap)
    {
        int mask = _ids.Length - 1;
        _count--;
        if (gap != ((int)_ids[gap] & mask))
        {
            _displaced--;
        }

        if (_displaced == 0)
        {
            // Every other entry is in its home slot: none can move into the gap.
            _ids[gap] = 0;
            _entries[gap] = default;
            return;
        }

        int i = gap;
        while (true)
        {
            i = (i + 1) & mask;
            uint id = _ids[i];
            if (id == 0)
            {
                break;
            }

            int home = (int)id & mask;
            // The entry at i may move to the gap if its home slot is not in (gap, i] (cyclically).
            bool stays = gap <= i ? gap < home && home <= i : gap < home || home <= i;
            if (!stays)
            {
                _ids[gap] = id;
                _entries[gap] = _entries[i];
                if (gap == home)
                {
                    _displaced--;
                }

                gap = i;
            }
        }

        _ids[gap] = 0;
        _entries[gap] = default;
    }

    private void Grow()
    {
        uint[] ids = _ids;
        ContextEntry[] entries = _entries;
        _ids = new uint[ids.Length * 2];
        _entries = new ContextEntry[ids.Length * 2];
        _displaced = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] != 0)
            {
                Place(ids[i], entries[i]);
            }
        }
    }
}
