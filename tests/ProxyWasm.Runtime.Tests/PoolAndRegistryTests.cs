using FsCheck;
using FsCheck.Fluent;
using ProxyWasm.Runtime.Tests.Support;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Generated;
using Xunit;

namespace ProxyWasm.Runtime.Tests;

public class PoolAndRegistryTests
{
    [Fact]
    public void SlotPool_RentsDistinctSlots_AndCounts()
    {
        var pool = new SlotPool<string>();
        Assert.Equal(0, pool.Count);
        int a = pool.Rent();
        int b = pool.Rent();
        int c = pool.Rent();
        Assert.Equal(new[] { 0, 1, 2 }, new[] { a, b, c });
        Assert.Equal(3, pool.Count);

        pool[a] = "a";
        pool[b] = "b";
        Assert.Equal("a", pool[a]);
        Assert.Equal("b", pool[b]);
    }

    [Fact]
    public void SlotPool_ReusesReturnedSlots_KeepingTheirValue()
    {
        var pool = new SlotPool<object>();
        int a = pool.Rent();
        int b = pool.Rent();
        object instance = new();
        pool[b] = instance;

        pool.Return(b);
        Assert.Equal(1, pool.Count);
        int again = pool.Rent();
        Assert.Equal(b, again);
        Assert.Same(instance, pool[again]);
        Assert.Equal(2, pool.Count);

        pool.Return(a);
        pool.Return(again);
        Assert.Equal(0, pool.Count);
        var reused = new HashSet<int> { pool.Rent(), pool.Rent() };
        Assert.Equal(new HashSet<int> { a, b }, reused);
        Assert.Equal(2, pool.Rent());
    }

    [Fact]
    public void SlotPool_GrowsPast16_KeepingValuesAndFaults()
    {
        var pool = new SlotPool<int>();
        var slots = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            int slot = pool.Rent();
            pool[slot] = i * 10;
            pool.Fault(slot) = i % 2 == 0 ? StreamFault.Pending : StreamFault.Handled;
            slots.Add(slot);
        }

        Assert.Equal(Enumerable.Range(0, 100), slots);
        Assert.Equal(100, pool.Count);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(i * 10, pool[i]);
            Assert.Equal(i % 2 == 0 ? StreamFault.Pending : StreamFault.Handled, pool.Fault(i));
        }

        // Return them all: every one comes back before a new slot is made.
        foreach (int slot in slots)
        {
            pool.Return(slot);
        }

        Assert.Equal(0, pool.Count);
        var rented = Enumerable.Range(0, 100).Select(_ => pool.Rent()).ToHashSet();
        Assert.Equal(slots.ToHashSet(), rented);
        Assert.Equal(100, pool.Rent());
    }

    [Fact]
    public void SlotPool_RentResetsTheFault()
    {
        var pool = new SlotPool<int>();
        int slot = pool.Rent();
        Assert.Equal(StreamFault.None, pool.Fault(slot));
        pool.Fault(slot) = StreamFault.Handled;
        pool.Return(slot);
        Assert.Equal(StreamFault.Handled, pool.Fault(slot));

        int again = pool.Rent();
        Assert.Equal(slot, again);
        Assert.Equal(StreamFault.None, pool.Fault(again));
    }

    [Fact]
    public void ContextRegistry_AddGetRemove()
    {
        var registry = new ContextRegistry();
        Assert.Equal(0, registry.Count);
        Assert.False(registry.TryGet(1, out _));

        Assert.True(registry.TryAdd(1, new ContextEntry(filter: 0, slot: -1, pluginSlot: 0, isRoot: true, onError: FailurePolicy.FailClosed)));
        Assert.True(registry.TryAdd(2, new ContextEntry(filter: 0, slot: 5, pluginSlot: 0, isRoot: false, onError: FailurePolicy.FailOpen, parentContextId: 1)));
        Assert.Equal(2, registry.Count);

        Assert.True(registry.TryGet(2, out ContextEntry stream));
        Assert.Equal((0, 5, 0, false, FailurePolicy.FailOpen, 1u), (stream.Filter, stream.Slot, stream.PluginSlot, stream.IsRoot, stream.OnError, stream.ParentContextId));
        Assert.True(registry.TryGet(1, out ContextEntry root));
        Assert.True(root.IsRoot);
        Assert.Equal(-1, root.Slot);
        Assert.True(registry.TryGetRoot(1, out ContextEntry rootOnly));
        Assert.Equal(root.ParentContextId, rootOnly.ParentContextId);
        Assert.False(registry.TryGetRoot(2, out _));
        Assert.False(registry.TryGetRoot(0, out _));
        Assert.True(registry.Contains(2));
        Assert.False(registry.Contains(3));

        Assert.True(registry.Remove(2, out ContextEntry removed));
        Assert.Equal(5, removed.Slot);
        Assert.Equal(1, registry.Count);
        Assert.False(registry.TryGet(2, out _));
        Assert.False(registry.Remove(2, out _));
    }

    [Fact]
    public void ContextRegistry_LiveIds_AreNeverReplaced()
    {
        var registry = new ContextRegistry();
        Assert.True(registry.TryAdd(7, new ContextEntry(1, 3, 0, false, FailurePolicy.FailClosed)));
        Assert.False(registry.TryAdd(7, new ContextEntry(2, 4, 1, false, FailurePolicy.FailClosed)));
        Assert.False(registry.TryAdd(0, new ContextEntry(2, 4, 1, false, FailurePolicy.FailClosed)));
        Assert.Equal(1, registry.Count);
        Assert.True(registry.TryGet(7, out ContextEntry entry));
        Assert.Equal((1, 3, 0), (entry.Filter, entry.Slot, entry.PluginSlot));

        // The host reuses an id after the context was deleted: that is a new context.
        Assert.True(registry.Remove(7, out _));
        Assert.True(registry.TryAdd(7, new ContextEntry(-1, -1, -1, true, FailurePolicy.FailClosed)));
        Assert.True(registry.TryGet(7, out entry));
        Assert.Equal(-1, entry.Filter);
        Assert.True(entry.IsRoot);
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void ContextRegistry_DeletingARoot_OrphansItsStreamsOnly()
    {
        var registry = new ContextRegistry();
        registry.TryAdd(1, new ContextEntry(0, -1, 0, true, FailurePolicy.FailClosed));
        registry.TryAdd(2, new ContextEntry(0, -1, 1, true, FailurePolicy.FailClosed));
        registry.TryAdd(3, new ContextEntry(0, 0, 0, false, FailurePolicy.FailClosed, parentContextId: 1));
        registry.TryAdd(4, new ContextEntry(0, 1, 1, false, FailurePolicy.FailClosed, parentContextId: 2));
        Assert.True(registry.Remove(1, out _));

        // A new root takes id 1 again: the old stream stays orphaned.
        registry.TryAdd(1, new ContextEntry(0, -1, 0, true, FailurePolicy.FailClosed));
        Assert.True(registry.TryGet(3, out ContextEntry orphan));
        Assert.Equal(ContextState.Orphaned, orphan.State);
        Assert.True(registry.TryGet(4, out ContextEntry other));
        Assert.Equal(ContextState.Live, other.State);
        registry.MarkHandled(3);
        Assert.True(registry.TryGet(3, out orphan));
        Assert.Equal(ContextState.OrphanHandled, orphan.State);
    }

    /// <summary>The table against a dictionary model: random adds and removes of ids that collide in the low bits
    /// (steps of 64, 128 ...), a long-lived root and a sliding window, as hosts hand them out.</summary>
    [Fact]
    public void ContextRegistry_MatchesADictionaryModel()
    {
        Gen<(bool Add, uint Id)[]> operations = Gen.Zip(
                Gen.Elements(true, true, false),
                Gen.OneOf(Gen.Choose(1, 300).Select(i => (uint)i), Gen.Choose(0, 40).Select(i => (uint)(1 + (64 * i))), Gen.Choose(0, 10).Select(i => (uint)(1 + (1024 * i)))))
            .ArrayOf();
        PropertyRunner.Check("ContextRegistry vs Dictionary", Prop.ForAll(operations.ToArbitrary(), ops =>
        {
            var registry = new ContextRegistry();
            var model = new System.Collections.Generic.Dictionary<uint, int>();
            foreach ((bool add, uint id) in ops)
            {
                if (add)
                {
                    Assert.Equal(!model.ContainsKey(id), registry.TryAdd(id, new ContextEntry(0, (int)id, -1, isRoot: id % 5 == 0, FailurePolicy.FailOpen)));
                    model.TryAdd(id, (int)id);
                }
                else
                {
                    Assert.Equal(model.Remove(id), registry.Remove(id, out ContextEntry removed));
                }

                Assert.Equal(model.Count, registry.Count);
            }

            foreach (uint id in ops.Select(o => o.Id).Distinct())
            {
                Assert.Equal(model.ContainsKey(id), registry.TryGet(id, out ContextEntry entry));
                Assert.Equal(model.ContainsKey(id), registry.Contains(id));
                Assert.Equal(model.ContainsKey(id) && id % 5 == 0, registry.TryGetRoot(id, out ContextEntry root));
                if (model.ContainsKey(id))
                {
                    Assert.Equal((int)id, entry.Slot);
                    Assert.Equal(id % 5 == 0 ? (int)id : 0, root.Slot);
                }
            }
        }), maxTest: 300);
    }

    [Fact]
    public void ContextRegistry_HoldsManyContexts()
    {
        var registry = new ContextRegistry();
        for (uint id = 1; id <= 1000; id++)
        {
            Assert.True(registry.TryAdd(id, new ContextEntry(0, (int)id, 0, false, FailurePolicy.FailClosed)));
        }

        Assert.Equal(1000, registry.Count);
        for (uint id = 1; id <= 1000; id += 2)
        {
            Assert.True(registry.Remove(id, out ContextEntry entry));
            Assert.Equal((int)id, entry.Slot);
        }

        Assert.Equal(500, registry.Count);
        Assert.True(registry.TryGet(1000, out ContextEntry last));
        Assert.Equal(1000, last.Slot);
        Assert.False(registry.TryGet(999, out _));
    }
}
