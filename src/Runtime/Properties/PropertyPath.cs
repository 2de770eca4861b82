using System;

namespace ProxyWasm;

/// <summary>
/// Builds a property path of any number of segments in a caller-provided buffer (typically
/// <see langword="stackalloc"/>), joining them with NUL bytes as every Proxy-Wasm SDK and Envoy do, without allocating:
/// <code>
/// var path = new PropertyPath(stackalloc byte[256]);
/// path.Append("metadata"u8);
/// path.Append("filter_metadata"u8);
/// path.Append("envoy.lb"u8);
/// Properties.TryGet(path, out ReadOnlySpan&lt;byte&gt; value);
/// </code>
/// A segment that does not fit sets <see cref="Overflowed"/>; <see cref="Properties.TryGet(PropertyPath, out ReadOnlySpan{byte})"/>
/// and <see cref="Properties.Set(PropertyPath, ReadOnlySpan{byte})"/> then return BadArgument without calling the host.
/// </summary>
public ref struct PropertyPath
{
    private readonly Span<byte> _buffer;
    private int _length;
    private int _segments;
    private bool _overflowed;

    /// <summary>Starts an empty path in <paramref name="buffer"/>.</summary>
    public PropertyPath(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
        _segments = 0;
        _overflowed = false;
    }

    /// <summary>The path so far: the segments joined with NUL, no trailing NUL.</summary>
    public readonly ReadOnlySpan<byte> Bytes => _buffer.Slice(0, _length);

    /// <summary>Number of segments appended.</summary>
    public readonly int SegmentCount => _segments;

    /// <summary>Whether a segment did not fit in the buffer (the path is then unusable).</summary>
    public readonly bool Overflowed => _overflowed;

    /// <summary>Appends a segment (a NUL separator first, unless it is the first segment).</summary>
    /// <returns><see langword="false"/> (and <see cref="Overflowed"/> set) when it does not fit.</returns>
    public bool Append(scoped ReadOnlySpan<byte> segment)
    {
        int separator = _segments == 0 ? 0 : 1;
        if (_overflowed || (long)_length + separator + segment.Length > _buffer.Length)
        {
            _overflowed = true;
            return false;
        }

        if (separator == 1)
        {
            _buffer[_length++] = 0;
        }

        segment.CopyTo(_buffer.Slice(_length));
        _length += segment.Length;
        _segments++;
        return true;
    }
}
