using System.Collections.Generic;
using System.ComponentModel;

namespace ProxyWasm.Generated;

/// <summary>What the generated dispatch table knows about one context id. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ContextEntry
{
    /// <summary>Creates an entry.</summary>
    public ContextEntry(int filter, int slot, int pluginSlot, bool isRoot, FailurePolicy onError)
    {
        Filter = filter;
        Slot = slot;
        PluginSlot = pluginSlot;
        IsRoot = isRoot;
        OnError = onError;
    }

    /// <summary>Index of the filter type in the module (generation order), or -1 for a root context whose root id
    /// matched no filter.</summary>
    public int Filter { get; }

    /// <summary>Slot of the stream state in the filter's pool (stream contexts), or -1 if creating it failed.</summary>
    public int Slot { get; }

    /// <summary>Slot of the plugin instance (the root context's, for a stream), or -1 without a plugin type.</summary>
    public int PluginSlot { get; }

    /// <summary>Whether this is a root (plugin) context.</summary>
    public bool IsRoot { get; }

    /// <summary>The failure policy of the context's filter: what a stream gets when its callback throws, in the hook or
    /// anywhere in the export's dispatch.</summary>
    public FailurePolicy OnError { get; }
}

/// <summary>
/// The module's dispatch table: context id to <see cref="ContextEntry"/>. One per module (a static field of the
/// generated <c>ProxyWasmModule</c>); the wasm VM is single-threaded, so no locking. Adding and removing entries
/// allocates nothing once the table has grown to the peak number of live contexts. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ContextRegistry
{
    private readonly Dictionary<uint, ContextEntry> _entries = new(64);

    /// <summary>Number of live contexts (root and stream).</summary>
    public int Count => _entries.Count;

    /// <summary>Registers <paramref name="contextId"/>; a repeated id replaces the old entry (the host reused it).</summary>
    public void Set(uint contextId, ContextEntry entry) => _entries[contextId] = entry;

    /// <summary>Looks up <paramref name="contextId"/>.</summary>
    public bool TryGet(uint contextId, out ContextEntry entry) => _entries.TryGetValue(contextId, out entry);

    /// <summary>Removes <paramref name="contextId"/>, returning its entry.</summary>
    public bool Remove(uint contextId, out ContextEntry entry) => _entries.Remove(contextId, out entry);
}
