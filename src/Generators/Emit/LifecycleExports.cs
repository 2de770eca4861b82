using System;
using System.Collections.Generic;
using System.Linq;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>The exports every module that tracks contexts has (context create and delete), root id selection, and the per-filter dispatch
/// they and the callback exports share: a direct call in a module with one filter, a <c>switch</c> on the context's
/// filter index otherwise, each <c>case</c> commented with its filter.</summary>
internal static class LifecycleExports
{
    /// <summary>Writes <paramref name="body"/> for each filter that <paramref name="applies"/> to. <paramref name="body"/>
    /// returns whether its statements end in <c>return</c> (else the case gets a <c>break</c>).</summary>
    public static void Dispatch(SourceWriter w, IReadOnlyList<FilterExports> filters, string entry, Func<FilterExports, bool> applies, Func<FilterExports, bool> body)
    {
        if (!filters.Any(applies))
        {
            return;
        }

        if (filters.Count == 1)
        {
            body(filters[0]);
            return;
        }

        using (w.Block($"switch ({entry}.Filter)"))
        {
            for (int i = 0; i < filters.Count; i++)
            {
                if (!applies(filters[i]))
                {
                    continue;
                }

                w.Line($"case {i}: // {filters[i].DisplayName}");
                using (w.Indented())
                {
                    if (!body(filters[i]))
                    {
                        w.Line("break;");
                    }
                }
            }
        }
    }

    public static void EmitContextCreate(SourceWriter w, IReadOnlyList<FilterExports> filters)
    {
        ProxyCallback callback = ProxyCallbacks.ContextCreate;
        w.Line($"/// <summary><c>{callback.Export}(context_id, parent_context_id)</c>: parent 0 creates a root (plugin) context,");
        w.Line("/// otherwise a stream context of the parent's filter.</summary>");
        w.Line($"[UnmanagedCallersOnly(EntryPoint = \"{callback.Export}\")]");
        using (w.Block("private static void OnContextCreate(uint contextId, uint parentContextId)"))
        {
            w.Line("int mark = HostMemory.Enter();");
            using (w.Block("try"))
            {
                using (w.Block("if (contextId == 0 || Contexts.Contains(contextId))"))
                {
                    w.Line("// A live id is never replaced (nor is 0): the old context keeps its state, nothing leaks.");
                    w.Line("ContextRegistry.ReportRefused(contextId, parentContextId, \"the context id is 0 or already live; the live context is kept.\"u8);");
                    w.Line("return;");
                }

                w.Blank();
                using (w.Block("if (parentContextId == 0)"))
                {
                    if (filters.Count == 1)
                    {
                        w.Line("// A root context: the module's one filter serves it, whatever its root id.");
                        w.Line($"Contexts.Add(contextId, new ContextEntry(0, -1, {CreatePlugin(filters[0])}, isRoot: true, {filters[0].Glue}.OnError));");
                    }
                    else
                    {
                        w.Line("int filter = SelectFilter();");
                        using (w.Block("switch (filter)"))
                        {
                            for (int i = 0; i < filters.Count; i++)
                            {
                                w.Line($"case {i}: // {filters[i].DisplayName}");
                                using (w.Indented())
                                {
                                    w.Line($"Contexts.Add(contextId, new ContextEntry({i}, -1, {CreatePlugin(filters[i])}, isRoot: true, {filters[i].Glue}.OnError));");
                                    w.Line("break;");
                                }
                            }

                            w.Line("default: // No filter serves this root id: its streams pass through.");
                            using (w.Indented())
                            {
                                w.Line("Contexts.Add(contextId, new ContextEntry(-1, -1, -1, isRoot: true, FailurePolicy.FailOpen));");
                                w.Line("break;");
                            }
                        }
                    }
                }

                using (w.Block("else if (Contexts.TryGetRoot(parentContextId, out ContextEntry root))"))
                {
                    if (filters.Count == 1)
                    {
                        w.Line($"int slot = {filters[0].Glue}.CreateStream(root.PluginSlot);");
                    }
                    else
                    {
                        w.Line("int slot;");
                        using (w.Block("switch (root.Filter)"))
                        {
                            for (int i = 0; i < filters.Count; i++)
                            {
                                w.Line($"case {i}: // {filters[i].DisplayName}");
                                using (w.Indented())
                                {
                                    w.Line($"slot = {filters[i].Glue}.CreateStream(root.PluginSlot);");
                                    w.Line("break;");
                                }
                            }

                            w.Line("default: // A root no filter serves: the stream is not tracked.");
                            using (w.Indented())
                            {
                                w.Line("return;");
                            }
                        }

                        w.Blank();
                    }

                    w.Line("Contexts.Add(contextId, new ContextEntry(root.Filter, slot, root.PluginSlot, isRoot: false, root.OnError, parentContextId));");
                }

                using (w.Block("else"))
                {
                    w.Line("ContextRegistry.ReportRefused(contextId, parentContextId, \"the parent is not a live root context.\"u8);");
                }
            }

            EmitCatchReport(w, callback);
        }
    }

    public static void EmitDelete(SourceWriter w, IReadOnlyList<FilterExports> filters)
    {
        ProxyCallback callback = ProxyCallbacks.Delete;
        w.Line($"/// <summary><c>{callback.Export}(context_id)</c>: drops the context's state; its slot is reused.</summary>");
        w.Line($"[UnmanagedCallersOnly(EntryPoint = \"{callback.Export}\")]");
        using (w.Block("private static void OnDelete(uint contextId)"))
        {
            w.Line("int mark = HostMemory.Enter();");
            using (w.Block("try"))
            {
                using (w.Block("if (!Contexts.Remove(contextId, out ContextEntry entry))"))
                {
                    w.Line("return;");
                }

                w.Blank();
                bool anyPlugin = filters.Any(f => f.HasRootState);
                using (w.Block(anyPlugin ? "if (entry.IsRoot)" : "if (!entry.IsRoot)"))
                {
                    if (anyPlugin)
                    {
                        Dispatch(w, filters, "entry", f => f.HasRootState, f => Statement(w, $"{f.Glue}.DeletePlugin(entry.PluginSlot);"));
                    }
                    else
                    {
                        Dispatch(w, filters, "entry", _ => true, f => Statement(w, $"{f.Glue}.DeleteStream(entry.Slot);"));
                    }
                }

                if (anyPlugin)
                {
                    using (w.Block("else"))
                    {
                        Dispatch(w, filters, "entry", _ => true, f => Statement(w, $"{f.Glue}.DeleteStream(entry.Slot);"));
                    }
                }
            }

            EmitCatchReport(w, callback);
        }
    }

    public static void EmitSelectFilter(SourceWriter w, IReadOnlyList<FilterExports> filters)
    {
        w.Line("/// <summary>Which filter a new root context serves: the one whose root id equals the host property <c>plugin_root_id</c>.</summary>");
        using (w.Block("private static int SelectFilter()"))
        {
            w.Line("ReadOnlySpan<byte> rootId = RootIds.Current();");
            for (int i = 0; i < filters.Count; i++)
            {
                using (w.Block($"if (rootId.SequenceEqual({filters[i].Glue}.RootId))"))
                {
                    w.Line($"return {i};");
                }

                w.Blank();
            }

            string known = string.Join(", ", filters.Select(f => FilterEmitter.Escape(f.RootId)));
            w.Line($"RootIds.ReportUnknown(rootId, \"{known}\"u8);");
            w.Line("return -1;");
        }
    }

    private static string CreatePlugin(FilterExports filter) => filter.HasRootState ? filter.Glue + ".CreatePlugin()" : "-1";

    private static bool Statement(SourceWriter w, string statement)
    {
        w.Line(statement);
        return false;
    }

    /// <summary>The end of an export's frame for a void callback: log what threw, then free the callback's host memory.</summary>
    public static void EmitCatchReport(SourceWriter w, ProxyCallback callback)
    {
        using (w.Block("catch (Exception exception)"))
        {
            w.Line($"HookFailures.Report(exception, \"{callback.Export}\"u8);");
        }

        using (w.Block("finally"))
        {
            w.Line("HostMemory.Exit(mark);");
        }
    }
}
