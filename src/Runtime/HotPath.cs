using System;

namespace ProxyWasm;

/// <summary>
/// Marks a method, constructor or property as a hot path: the ProxyWasm analyzers check it for GC allocations as they
/// check hook methods. Hooks ([OnRequestHeaders]…) and the methods they call are hot without this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class HotPathAttribute : Attribute
{
    /// <summary>Hot-path analyzer rules this member opts out of.</summary>
    public HotPathAllow Allow { get; set; }
}

/// <summary>Hot-path analyzer rule groups a hook or <see cref="HotPathAttribute"/> member can opt out of.</summary>
[Flags]
public enum HotPathAllow
{
    /// <summary>No opt-out: every hot-path rule applies.</summary>
    None = 0,
    /// <summary>Allow explicit <see langword="new"/> of reference types and arrays, and allocating collection expressions.</summary>
    Allocations = 1 << 0,
    /// <summary>Allow lambdas and local functions that capture state, and delegate creation.</summary>
    Captures = 1 << 1,
    /// <summary>Allow boxing of value types.</summary>
    Boxing = 1 << 2,
    /// <summary>Allow string concatenation, interpolation, formatting and allocating string APIs.</summary>
    Strings = 1 << 3,
    /// <summary>Allow LINQ and enumeration through interfaces.</summary>
    Enumeration = 1 << 4,
    /// <summary>Allow implicit <see langword="params"/> arrays.</summary>
    ParamsArrays = 1 << 5,
    /// <summary>Allow iterators, <see langword="async"/> and exceptions thrown per request.</summary>
    StateMachinesAndExceptions = 1 << 6,
    /// <summary>Opt out of every hot-path rule.</summary>
    All = ~0,
}
