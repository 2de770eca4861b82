using System;
using System.ComponentModel;

namespace ProxyWasm.Generated;

/// <summary>Root id selection for modules with several filters. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RootIds
{
    /// <summary>The host property <c>plugin_root_id</c> (UTF-8), or empty when the host does not provide it.</summary>
    public static ReadOnlySpan<byte> Current()
        => Properties.TryGet("plugin_root_id"u8, out ReadOnlySpan<byte> rootId) == ProxyStatus.Ok ? rootId : default;

    /// <summary>Logs (error) that no filter serves <paramref name="rootId"/>; <paramref name="known"/> lists the module's root ids.
    /// The root context then rejects its configuration and its streams pass through untouched.</summary>
    public static void ReportUnknown(ReadOnlySpan<byte> rootId, ReadOnlySpan<byte> known)
    {
        var message = new Utf8ValueBuilder(stackalloc byte[256]);
        message.Append("proxy-wasm: no filter in this module has root id '"u8);
        message.Append(rootId);
        message.Append("'; the module serves: "u8);
        message.Append(known);
        Log.Write(LogLevel.Error, message.AsSpan());
        message.Dispose();
    }
}
