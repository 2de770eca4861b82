using System;
using System.Diagnostics.CodeAnalysis;

namespace ProxyWasm.Abi;

/// <summary>
/// Attaches an in-process <see cref="IProxyHost"/> (a test host such as ProxyWasm.Testing) to the current thread, so
/// that <see cref="HostCalls"/> reach it instead of the <c>env</c> imports.
/// </summary>
/// <remarks>
/// <para>The feature switch <c>ProxyWasm.InProcessHost.IsSupported</c> (on by default) gates the whole mechanism.
/// The build props for wasm and native AOT set it off (<c>RuntimeHostConfigurationOption</c> with <c>Trim="true"</c>),
/// and the AOT compiler then treats <see cref="IsSupported"/> as the constant <see langword="false"/>. A module
/// compiled ahead of time also references the runtime's Aot flavor, whose host calls never consult this class and
/// call their imports directly: there, attaching a host has no effect on <see cref="HostCalls"/>.</para>
/// <para>The attachment is per thread, as proxy-wasm-cpp-host's current context is: a host attaches itself around
/// each call into the module's exports.</para>
/// </remarks>
public static class InProcessHost
{
    /// <summary>The feature switch name.</summary>
    public const string FeatureSwitchName = "ProxyWasm.InProcessHost.IsSupported";

    [ThreadStatic] private static IProxyHost? t_current;

    /// <summary>Whether in-process hosts are supported in this build (feature switch <see cref="FeatureSwitchName"/>).</summary>
    [FeatureSwitchDefinition(FeatureSwitchName)]
    public static bool IsSupported { get; } = !AppContext.TryGetSwitch(FeatureSwitchName, out bool enabled) || enabled;

    /// <summary>The host attached to the current thread, or <see langword="null"/>.</summary>
    public static IProxyHost? Current => IsSupported ? t_current : null;

    /// <summary>Attaches <paramref name="host"/> to the current thread until the returned scope is disposed.</summary>
    /// <exception cref="NotSupportedException">The feature switch is off in this build.</exception>
    public static Scope Enter(IProxyHost host)
    {
        if (!IsSupported)
        {
            throw new NotSupportedException($"In-process Proxy-Wasm hosts are disabled in this build ({FeatureSwitchName}=false).");
        }

        IProxyHost? previous = t_current;
        t_current = host;
        return new Scope(previous);
    }

    /// <summary>Restores the previously attached host when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly IProxyHost? _previous;

        internal Scope(IProxyHost? previous) => _previous = previous;

        /// <summary>Detaches the host, restoring the previous one.</summary>
        public void Dispose() => t_current = _previous;
    }
}
