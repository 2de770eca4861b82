using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ProxyWasm.Testing;

/// <summary>One header as the host stores it: raw bytes, name lower-cased.</summary>
/// <param name="Name">Name bytes (ASCII lower-cased on insertion, as Envoy's <c>LowerCaseString</c> does).</param>
/// <param name="Value">Value bytes, stored untouched (obs-text allowed).</param>
public sealed record Header(byte[] Name, byte[] Value)
{
    /// <summary>The name, decoded as UTF-8.</summary>
    public string NameText => Encoding.UTF8.GetString(Name);

    /// <summary>The value, decoded as UTF-8 (invalid bytes become U+FFFD; use <see cref="Value"/> for the exact bytes).</summary>
    public string ValueText => Encoding.UTF8.GetString(Value);

    /// <inheritdoc/>
    public override string ToString() => NameText + ": " + ValueText;
}

/// <summary>
/// An ordered header multimap with Envoy's semantics: names are lower-cased, <see cref="Add(byte[], byte[])"/> keeps existing
/// values, <see cref="Replace(byte[], byte[])"/> removes every value of the name then adds one, <see cref="Remove(byte[])"/>
/// removes every value, lookup returns the first value.
/// </summary>
public sealed class HeaderList : IEnumerable<Header>
{
    private readonly List<Header> _headers = new();

    /// <summary>Creates an empty map.</summary>
    public HeaderList()
    {
    }

    /// <summary>Creates a map from (name, value) strings, encoded as UTF-8.</summary>
    public HeaderList(IEnumerable<(string Name, string Value)> headers)
    {
        foreach ((string name, string value) in headers)
        {
            Add(name, value);
        }
    }

    /// <summary>Number of header lines.</summary>
    public int Count => _headers.Count;

    /// <summary>Adds a value, keeping existing ones.</summary>
    public void Add(string name, string value) => Add(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(value));

    /// <summary>Adds a value (raw bytes), keeping existing ones.</summary>
    public void Add(byte[] name, byte[] value) => _headers.Add(new Header(Lower(name), value.ToArray()));

    /// <summary>Removes every value of <paramref name="name"/>, then adds <paramref name="value"/>.</summary>
    public void Replace(string name, string value) => Replace(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(value));

    /// <summary>Removes every value of <paramref name="name"/>, then adds <paramref name="value"/> (raw bytes).</summary>
    public void Replace(byte[] name, byte[] value)
    {
        Remove(name);
        Add(name, value);
    }

    /// <summary>Removes every value of <paramref name="name"/>.</summary>
    public void Remove(string name) => Remove(Encoding.UTF8.GetBytes(name));

    /// <summary>Removes every value of <paramref name="name"/> (raw bytes).</summary>
    public void Remove(byte[] name)
    {
        byte[] lower = Lower(name);
        _headers.RemoveAll(h => h.Name.AsSpan().SequenceEqual(lower));
    }

    /// <summary>Removes every header.</summary>
    public void Clear() => _headers.Clear();

    /// <summary>The first value of <paramref name="name"/>, or <see langword="null"/>.</summary>
    public byte[]? GetBytes(string name) => GetBytes(Encoding.UTF8.GetBytes(name));

    /// <summary>The first value of <paramref name="name"/> (raw bytes), or <see langword="null"/>.</summary>
    public byte[]? GetBytes(byte[] name)
    {
        byte[] lower = Lower(name);
        return _headers.FirstOrDefault(h => h.Name.AsSpan().SequenceEqual(lower))?.Value;
    }

    /// <summary>The first value of <paramref name="name"/> as UTF-8 text, or <see langword="null"/>.</summary>
    public string? Get(string name) => GetBytes(name) is { } value ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Every value of <paramref name="name"/>, in order, as UTF-8 text.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        byte[] lower = Lower(Encoding.UTF8.GetBytes(name));
        return _headers.Where(h => h.Name.AsSpan().SequenceEqual(lower)).Select(h => h.ValueText).ToList();
    }

    /// <summary>A deep copy.</summary>
    public HeaderList Clone()
    {
        var copy = new HeaderList();
        foreach (Header header in _headers)
        {
            copy._headers.Add(new Header(header.Name.ToArray(), header.Value.ToArray()));
        }

        return copy;
    }

    /// <summary>Serializes the map in the pairs format (ABI v0.2.1 §Serialization).</summary>
    public byte[] Serialize()
    {
        long size = 4 + _headers.Sum(h => PairsWriter.SizeOf(h.Name, h.Value));
        byte[] buffer = new byte[checked((int)size)];
        var writer = new PairsWriter(buffer, _headers.Count);
        foreach (Header header in _headers)
        {
            writer.Add(header.Name, header.Value);
        }

        return buffer;
    }

    /// <summary>Replaces the content with the pairs in <paramref name="serialized"/>. A malformed buffer empties the map,
    /// as proxy-wasm-cpp-host does.</summary>
    /// <returns>Whether the buffer was well formed.</returns>
    public bool LoadSerialized(ReadOnlySpan<byte> serialized)
    {
        _headers.Clear();
        if (HeaderPairs.TryParse(serialized, out HeaderPairs pairs) != PairsError.None)
        {
            return false;
        }

        foreach (HeaderPair pair in pairs)
        {
            Add(pair.Name.ToArray(), pair.Value.ToArray());
        }

        return true;
    }

    /// <inheritdoc/>
    public IEnumerator<Header> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => string.Join("\n", _headers);

    private static byte[] Lower(byte[] name)
    {
        byte[] lower = name.ToArray();
        for (int i = 0; i < lower.Length; i++)
        {
            if (lower[i] is >= (byte)'A' and <= (byte)'Z')
            {
                lower[i] = (byte)(lower[i] + 32);
            }
        }

        return lower;
    }
}
