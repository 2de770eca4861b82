// The exports whose cost floor_driver.c measures (docs/benchmarks.md, "Floor: what one export and one host call cost").
// Each has the signature of proxy_on_request_headers, so the host calls it the way it calls a filter's callback, and
// each isolates one piece of the glue a generated module wraps around a hook.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProxyWasm;

namespace Floor;

/// <summary>The host function floor_nop (returns its argument), imported three ways.</summary>
internal static class Host
{
    /// <summary>A plain import: the P/Invoke switches the thread to preemptive GC mode around the call.</summary>
    [DllImport("floorhost", EntryPoint = "floor_nop", ExactSpelling = true)]
    internal static extern uint Transition(uint value);

    /// <summary>No GC transition: what the runtime's NeverCallsModule host functions use.</summary>
    [SuppressGCTransition]
    [DllImport("floorhost", EntryPoint = "floor_nop", ExactSpelling = true)]
    internal static extern uint Suppressed(uint value);

    /// <summary>The suppressed import behind a method of its own, as HostCallsGenerator emits it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static uint SuppressedNoInline(uint value) => Suppressed(value);
}

internal static unsafe class Exports
{
    private const int BufferSize = 256;

    [UnmanagedCallersOnly(EntryPoint = "floor_empty")]
    private static uint Empty(uint a, uint b, uint c) => 0;

    [UnmanagedCallersOnly(EntryPoint = "floor_try")]
    private static uint Try(uint a, uint b, uint c)
    {
        try
        {
            return 0;
        }
        catch (Exception)
        {
            return 1;
        }
    }

    // The frame of every generated export: the callback's host-memory scope, closed in a finally.
    [UnmanagedCallersOnly(EntryPoint = "floor_scope")]
    private static uint Scope(uint a, uint b, uint c)
    {
        int mark = HostMemory.Enter();
        try
        {
            return 0;
        }
        finally
        {
            HostMemory.Exit(mark);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "floor_call_transition")]
    private static uint CallTransition(uint a, uint b, uint c) => Host.Transition(a);

    [UnmanagedCallersOnly(EntryPoint = "floor_call_suppressed")]
    private static uint CallSuppressed(uint a, uint b, uint c) => Host.Suppressed(a);

    [UnmanagedCallersOnly(EntryPoint = "floor_call_suppressed_noinline")]
    private static uint CallSuppressedNoInline(uint a, uint b, uint c) => Host.SuppressedNoInline(a);

    [UnmanagedCallersOnly(EntryPoint = "floor_call_x2_transition")]
    private static uint CallTwiceTransition(uint a, uint b, uint c) => Host.Transition(a) + Host.Transition(b);

    [UnmanagedCallersOnly(EntryPoint = "floor_call_x2_suppressed")]
    private static uint CallTwiceSuppressed(uint a, uint b, uint c) => Host.Suppressed(a) + Host.Suppressed(b);

    [UnmanagedCallersOnly(EntryPoint = "floor_call_x2_suppressed_noinline")]
    private static uint CallTwiceSuppressedNoInline(uint a, uint b, uint c) =>
        Host.SuppressedNoInline(a) + Host.SuppressedNoInline(b);

    // A 256-byte stack buffer, as Utf8ValueBuilder's: zeroed on entry (C#'s default localsinit) or not.
    [UnmanagedCallersOnly(EntryPoint = "floor_stackalloc_zeroed")]
    private static uint StackallocZeroed(uint a, uint b, uint c)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        buffer[0] = (byte)a;
        return buffer[(int)(b % BufferSize)];
    }

    [SkipLocalsInit]
    [UnmanagedCallersOnly(EntryPoint = "floor_stackalloc_skip")]
    private static uint StackallocSkip(uint a, uint b, uint c)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        buffer[0] = (byte)a;
        return buffer[(int)(b % BufferSize)];
    }

    // A constant span copied into the (uninitialized) buffer: HelloWorld's 17-byte prefix, and 11 bytes.
    [SkipLocalsInit]
    [UnmanagedCallersOnly(EntryPoint = "floor_copy17")]
    private static uint Copy17(uint a, uint b, uint c)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        "Hello world from "u8.CopyTo(buffer);
        return buffer[(int)(b % 17)];
    }

    [SkipLocalsInit]
    [UnmanagedCallersOnly(EntryPoint = "floor_copy11")]
    private static uint Copy11(uint a, uint b, uint c)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        "example.com"u8.CopyTo(buffer);
        return buffer[(int)(b % 11)];
    }
}
