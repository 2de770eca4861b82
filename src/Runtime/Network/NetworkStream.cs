using ProxyWasm.Abi;

namespace ProxyWasm;

/// <summary>
/// A TCP connection (the stream context of a <see cref="NetworkFilterAttribute"/> filter). Bind it as a hook
/// parameter, <c>NetworkStream connection</c>. Every member acts on the connection whose callback is running (the ABI's
/// current context); from a callback of another context, call <see cref="MakeEffective"/> first.
/// </summary>
public readonly struct NetworkStream
{
    /// <summary>Creates a handle for stream context <paramref name="contextId"/> (done by the generated glue).</summary>
    public NetworkStream(uint contextId) => ContextId = contextId;

    /// <summary>The connection's context id, as the host numbers contexts (unique within the VM).</summary>
    public uint ContextId { get; }

    /// <summary>Resumes reading from the client after a hook returned <see cref="FilterStatus.StopIteration"/>
    /// (<c>proxy_continue_stream(DOWNSTREAM)</c>).</summary>
    /// <returns>Ok; BadArgument; Unimplemented (hosts that cannot resume this direction).</returns>
    public ProxyStatus ResumeDownstream() => HostCalls.proxy_continue_stream(StreamType.Downstream);

    /// <summary>Resumes the upstream direction (<c>proxy_continue_stream(UPSTREAM)</c>).</summary>
    /// <returns>Ok; BadArgument; Unimplemented (Envoy cannot resume the upstream direction of a network filter).</returns>
    public ProxyStatus ResumeUpstream() => HostCalls.proxy_continue_stream(StreamType.Upstream);

    /// <summary>Closes the client connection (<c>proxy_close_stream(DOWNSTREAM)</c>; Envoy flushes what is written first).</summary>
    /// <returns>Ok; BadArgument.</returns>
    public ProxyStatus CloseDownstream() => HostCalls.proxy_close_stream(StreamType.Downstream);

    /// <summary>Closes the upstream connection (<c>proxy_close_stream(UPSTREAM)</c>).</summary>
    /// <returns>Ok; BadArgument.</returns>
    public ProxyStatus CloseUpstream() => HostCalls.proxy_close_stream(StreamType.Upstream);

    /// <summary>Makes this connection the effective context (<c>proxy_set_effective_context(ContextId)</c>) until the
    /// running callback returns, e.g. from a plugin's <c>[OnTick]</c> that kept <see cref="ContextId"/>.</summary>
    /// <returns>Ok; BadArgument when the host knows no context with this id (the connection is gone).</returns>
    public ProxyStatus MakeEffective() => HostCalls.proxy_set_effective_context(ContextId);
}

/// <summary>The bytes from the client buffered so far (<see cref="BufferType.DownstreamData"/>), in a
/// <c>[OnDownstreamData]</c> hook. Read and change it with <see cref="BodyBufferExtensions"/> (<c>GetBytes</c>,
/// <c>GetSize</c>, <c>Replace</c>, <c>Append</c>, <c>Prepend</c>; sizes in bytes).</summary>
public readonly struct DownstreamData : IBodyBuffer
{
    /// <summary>The downstream data of the connection whose callback is running (what the glue passes to a hook).</summary>
    public static DownstreamData Current => default;

    static BufferType IBodyBuffer.Type => BufferType.DownstreamData;
}

/// <summary>The bytes from the upstream server buffered so far (<see cref="BufferType.UpstreamData"/>), in a
/// <c>[OnUpstreamData]</c> hook; see <see cref="DownstreamData"/>.</summary>
public readonly struct UpstreamData : IBodyBuffer
{
    /// <summary>The upstream data of the connection whose callback is running (what the glue passes to a hook).</summary>
    public static UpstreamData Current => default;

    static BufferType IBodyBuffer.Type => BufferType.UpstreamData;
}
