using System;

namespace ProxyWasm.Samples;

/// <summary>Host statuses printed as the Go SDK prints them: <c>error status returned by host: not found</c> (also
/// <c>bad argument</c>, <c>empty</c>, <c>cas mismatch</c>, <c>internal failure</c>, <c>unimplemented</c>); any other
/// status, whose Go text the port does not specify, as <c>unknown status code: &lt;n&gt;</c>.</summary>
internal static class GoErrors
{
    /// <summary>Appends the Go text of <paramref name="status"/> to <paramref name="line"/>.</summary>
    public static void Append(ref Utf8ValueBuilder line, ProxyStatus status)
    {
        ReadOnlySpan<byte> text = status switch
        {
            ProxyStatus.NotFound => "not found"u8,
            ProxyStatus.BadArgument => "bad argument"u8,
            ProxyStatus.Empty => "empty"u8,
            ProxyStatus.CasMismatch => "cas mismatch"u8,
            ProxyStatus.InternalFailure => "internal failure"u8,
            ProxyStatus.Unimplemented => "unimplemented"u8,
            _ => default,
        };

        if (text.IsEmpty)
        {
            line.Append("unknown status code: "u8);
            line.Append((long)status);
        }
        else
        {
            line.Append("error status returned by host: "u8);
            line.Append(text);
        }
    }

    /// <summary>Logs <paramref name="prefix"/> and the Go text of <paramref name="status"/> at <paramref name="level"/>.</summary>
    public static void Log(LogLevel level, ReadOnlySpan<byte> prefix, ProxyStatus status)
    {
        var line = new Utf8ValueBuilder(stackalloc byte[256]);
        line.Append(prefix);
        Append(ref line, status);
        ProxyWasm.Log.Write(level, line.AsSpan());
        line.Dispose();
    }

    /// <summary>Logs <paramref name="prefix"/> and the Go text of <paramref name="status"/> at critical level.</summary>
    public static void LogCritical(ReadOnlySpan<byte> prefix, ProxyStatus status) => Log(LogLevel.Critical, prefix, status);
}
