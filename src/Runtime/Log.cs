using System;
using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// Logging through the host (<c>proxy_log</c>). Messages below the host's level (<c>proxy_get_log_level</c>, asked once
/// per host callback and kept until it returns; outside callbacks at each call) are skipped without a second host call. Byte messages are UTF-8; char messages are encoded to UTF-8 on
/// the stack (or a pooled buffer beyond 256 bytes), so neither overload allocates.
/// </summary>
public static unsafe class Log
{
    private static uint s_levelCallback;
    private static LogLevel s_level;

    /// <summary>Whether the host logs messages at <paramref name="level"/> (<c>proxy_get_log_level</c>). If the host
    /// cannot tell, everything is logged. The host's answer is kept for the rest of the running callback (Envoy changes a
    /// logger's level between callbacks, from its admin interface, not during one), so a callback that logs several lines
    /// asks once.</summary>
    public static bool IsEnabled(LogLevel level)
    {
        uint callback = HostMemory.CurrentCallback;
        if (callback == 0 || callback != s_levelCallback)
        {
            LogLevel hostLevel = LogLevel.Trace;
            if (HostCalls.proxy_get_log_level(&hostLevel) != ProxyStatus.Ok)
            {
                return true;
            }

            s_level = hostLevel;
            s_levelCallback = callback;
        }

        return level >= s_level;
    }

    /// <summary>Logs UTF-8 <paramref name="message"/> at <paramref name="level"/>.</summary>
    /// <returns>Ok (also when skipped); BadArgument for an unknown level; InvalidMemoryAccess.</returns>
    public static ProxyStatus Write(LogLevel level, ReadOnlySpan<byte> message)
    {
        if (!IsEnabled(level))
        {
            return ProxyStatus.Ok;
        }

        fixed (byte* data = message)
        {
            return HostCalls.proxy_log(level, data, (nuint)message.Length);
        }
    }

    /// <summary>Logs <paramref name="message"/> (encoded as UTF-8) at <paramref name="level"/>.</summary>
    /// <returns>Ok (also when skipped); BadArgument for an unknown level; InvalidMemoryAccess.</returns>
    public static ProxyStatus Write(LogLevel level, ReadOnlySpan<char> message)
    {
        if (!IsEnabled(level))
        {
            return ProxyStatus.Ok;
        }

        var builder = new Utf8ValueBuilder(stackalloc byte[256]);
        builder.Append(message);
        ProxyStatus status;
        fixed (byte* data = builder.AsSpan())
        {
            status = HostCalls.proxy_log(level, data, (nuint)builder.Length);
        }

        builder.Dispose();
        return status;
    }

    /// <summary>Logs at <see cref="LogLevel.Trace"/>.</summary>
    public static ProxyStatus Trace(ReadOnlySpan<byte> message) => Write(LogLevel.Trace, message);

    /// <summary>Logs at <see cref="LogLevel.Debug"/>.</summary>
    public static ProxyStatus Debug(ReadOnlySpan<byte> message) => Write(LogLevel.Debug, message);

    /// <summary>Logs at <see cref="LogLevel.Info"/>.</summary>
    public static ProxyStatus Info(ReadOnlySpan<byte> message) => Write(LogLevel.Info, message);

    /// <summary>Logs at <see cref="LogLevel.Warn"/>.</summary>
    public static ProxyStatus Warn(ReadOnlySpan<byte> message) => Write(LogLevel.Warn, message);

    /// <summary>Logs at <see cref="LogLevel.Error"/>.</summary>
    public static ProxyStatus Error(ReadOnlySpan<byte> message) => Write(LogLevel.Error, message);

    /// <summary>Logs at <see cref="LogLevel.Critical"/>.</summary>
    public static ProxyStatus Critical(ReadOnlySpan<byte> message) => Write(LogLevel.Critical, message);

    /// <summary>Logs at <see cref="LogLevel.Trace"/>.</summary>
    public static ProxyStatus Trace(ReadOnlySpan<char> message) => Write(LogLevel.Trace, message);

    /// <summary>Logs at <see cref="LogLevel.Debug"/>.</summary>
    public static ProxyStatus Debug(ReadOnlySpan<char> message) => Write(LogLevel.Debug, message);

    /// <summary>Logs at <see cref="LogLevel.Info"/>.</summary>
    public static ProxyStatus Info(ReadOnlySpan<char> message) => Write(LogLevel.Info, message);

    /// <summary>Logs at <see cref="LogLevel.Warn"/>.</summary>
    public static ProxyStatus Warn(ReadOnlySpan<char> message) => Write(LogLevel.Warn, message);

    /// <summary>Logs at <see cref="LogLevel.Error"/>.</summary>
    public static ProxyStatus Error(ReadOnlySpan<char> message) => Write(LogLevel.Error, message);

    /// <summary>Logs at <see cref="LogLevel.Critical"/>.</summary>
    public static ProxyStatus Critical(ReadOnlySpan<char> message) => Write(LogLevel.Critical, message);
}
