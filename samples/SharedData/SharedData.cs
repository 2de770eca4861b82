using System;
using System.Buffers.Binary;
using System.Buffers.Text;

namespace ProxyWasm.Samples;

/// <summary>
/// The Go SDK's <c>shared_data</c>: a request counter in the shared data key <c>shared_data_key</c> (an 8-byte
/// little-endian unsigned integer; an empty value means "not initialised"), which every VM of the same VM id sees.
/// Each request's headers read it with its CAS token (<see cref="SharedData.TryGet"/>), write the value plus 1 (or 1
/// when it is empty) with that token (<see cref="SharedData.Set"/>), and log info <c>shared value: &lt;n&gt;</c>. A
/// write that another VM beat (<c>cas mismatch</c>) is logged at warn level and retried from the read, as in Go; any
/// other failure is logged at warn level and ends the attempt. The request always continues. The VM start that resets
/// the value is the plugin's, <see cref="SharedDataSamplePlugin"/>.
/// </summary>
/// <remarks>
/// Where the port differs: the Go example panics on a value of 1 to 7 bytes; here reading it throws, so the glue logs
/// the exception at critical level and answers the request with a local 500 (the VM keeps serving). The read-modify-write
/// is written out with <see cref="SharedData.TryGet"/> and <see cref="SharedData.Set"/> rather than
/// <see cref="SharedData.Increment"/> because the Go example logs every lost race and treats an empty value as 0 (which
/// <see cref="SharedData.Increment"/> reports as a parse failure), and counts as an unsigned 64-bit integer. Like Go,
/// it retries lost races without a limit. Nothing here allocates.
/// </remarks>
[HttpFilter("shared_data", Plugin = typeof(SharedDataSamplePlugin))]
public partial class SharedDataSample
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders()
    {
        Span<byte> next = stackalloc byte[8];
        while (true)
        {
            ProxyStatus status = SharedData.TryGet(SharedDataSamplePlugin.Key, out ReadOnlySpan<byte> current, out uint cas);
            if (status != ProxyStatus.Ok)
            {
                GoErrors.Log(LogLevel.Warn, "error getting shared data on OnHttpRequestHeaders: "u8, status);
                break;
            }

            // Go: binary.LittleEndian.Uint64 reads the first 8 bytes and panics on fewer.
            ulong value = current.IsEmpty ? 1 : unchecked(BinaryPrimitives.ReadUInt64LittleEndian(current) + 1);
            BinaryPrimitives.WriteUInt64LittleEndian(next, value);
            status = SharedData.Set(SharedDataSamplePlugin.Key, next, cas);
            if (status != ProxyStatus.Ok)
            {
                GoErrors.Log(LogLevel.Warn, "error setting shared data on OnHttpRequestHeaders: "u8, status);
                if (status == ProxyStatus.CasMismatch)
                {
                    continue;
                }

                break;
            }

            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(value, digits, out int written);
            var line = new Utf8ValueBuilder(stackalloc byte[64]);
            line.Append("shared value: "u8);
            line.Append(digits.Slice(0, written));
            Log.Info(line.AsSpan());
            line.Dispose();
            break;
        }

        return FilterHeadersStatus.Continue;
    }
}

/// <summary>
/// The plugin (one per root context) of <see cref="SharedDataSample"/>: the Go example's VM context, whose OnVMStart writes
/// an empty value to <c>shared_data_key</c> with CAS token 0 (Envoy: an unconditional write, so every VM start resets the
/// counter), logs a failure at warn level as <c>error setting shared data on OnVMStart: &lt;err&gt;</c>, and always
/// starts.
/// </summary>
public sealed class SharedDataSamplePlugin
{
    /// <summary>The key of the shared counter.</summary>
    internal static ReadOnlySpan<byte> Key => "shared_data_key"u8;

    /// <summary>Resets the counter to "not initialised".</summary>
    [OnVmStart]
    public bool OnVmStart()
    {
        ProxyStatus status = SharedData.Set(Key, default, cas: 0);
        if (status != ProxyStatus.Ok)
        {
            GoErrors.Log(LogLevel.Warn, "error setting shared data on OnVMStart: "u8, status);
        }

        return true;
    }
}
