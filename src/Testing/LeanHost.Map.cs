using System;
using System.Runtime.InteropServices;

namespace ProxyWasm.Testing;

public sealed unsafe partial class LeanHost
{
    /// <summary>A header map in native memory: fixed slots of name and value bytes, so edits never allocate.</summary>
    private sealed class Map : IDisposable
    {
        private readonly byte* _storage;
        private readonly int[] _nameLengths = new int[MaxHeaders];
        private readonly int[] _valueLengths = new int[MaxHeaders];
        private byte[][] _initialNames = [];
        private byte[][] _initialValues = [];

        public Map((string Name, string Value)[] headers)
        {
            _storage = (byte*)NativeMemory.AllocZeroed((nuint)(MaxHeaders * ValueCapacity * 2));
            Record(headers);
        }

        public int Count { get; private set; }

        /// <summary>Makes <paramref name="headers"/> the map <see cref="Reset"/> restores (setup; allocates), and resets.</summary>
        public void Record((string Name, string Value)[] headers)
        {
            _initialNames = Array.ConvertAll(headers, h => System.Text.Encoding.UTF8.GetBytes(h.Name));
            _initialValues = Array.ConvertAll(headers, h => System.Text.Encoding.UTF8.GetBytes(h.Value));
            Reset();
        }

        public void Reset()
        {
            Count = 0;
            for (int i = 0; i < _initialNames.Length; i++)
            {
                Add(_initialNames[i], _initialValues[i]);
            }
        }

        public void Clear() => Count = 0;

        public int IndexOf(ReadOnlySpan<byte> name)
        {
            for (int i = 0; i < Count; i++)
            {
                if (Name(i).SequenceEqual(name))
                {
                    return i;
                }
            }

            return -1;
        }

        public ReadOnlySpan<byte> Name(int i) => new(_storage + (i * 2 * ValueCapacity), _nameLengths[i]);

        public ReadOnlySpan<byte> Value(int i) => new(_storage + (((i * 2) + 1) * ValueCapacity), _valueLengths[i]);

        public ProxyStatus Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            if (Count == MaxHeaders || name.Length > ValueCapacity || value.Length > ValueCapacity)
            {
                return ProxyStatus.BadArgument;
            }

            name.CopyTo(new Span<byte>(_storage + (Count * 2 * ValueCapacity), ValueCapacity));
            value.CopyTo(new Span<byte>(_storage + (((Count * 2) + 1) * ValueCapacity), ValueCapacity));
            _nameLengths[Count] = name.Length;
            _valueLengths[Count] = value.Length;
            Count++;
            return ProxyStatus.Ok;
        }

        public void RemoveAll(ReadOnlySpan<byte> name)
        {
            int write = 0;
            for (int read = 0; read < Count; read++)
            {
                if (Name(read).SequenceEqual(name))
                {
                    continue;
                }

                if (write != read)
                {
                    Name(read).CopyTo(new Span<byte>(_storage + (write * 2 * ValueCapacity), ValueCapacity));
                    Value(read).CopyTo(new Span<byte>(_storage + (((write * 2) + 1) * ValueCapacity), ValueCapacity));
                    _nameLengths[write] = _nameLengths[read];
                    _valueLengths[write] = _valueLengths[read];
                }

                write++;
            }

            Count = write;
        }

        /// <summary>Bytes of the map in the pairs format: u32 count, count × (u32 name length, u32 value length), then
        /// each name and value with a NUL after it.</summary>
        public int SerializedSize
        {
            get
            {
                int size = 4 + (Count * 8);
                for (int i = 0; i < Count; i++)
                {
                    size += _nameLengths[i] + 1 + _valueLengths[i] + 1;
                }

                return size;
            }
        }

        /// <summary>Writes the pairs format into <paramref name="destination"/> (at least <see cref="SerializedSize"/> bytes).</summary>
        public void Serialize(Span<byte> destination)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Count);
            int offset = 4 + (Count * 8);
            for (int i = 0; i < Count; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(4 + (i * 8)), (uint)_nameLengths[i]);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(8 + (i * 8)), (uint)_valueLengths[i]);
                Name(i).CopyTo(destination.Slice(offset));
                offset += _nameLengths[i];
                destination[offset++] = 0;
                Value(i).CopyTo(destination.Slice(offset));
                offset += _valueLengths[i];
                destination[offset++] = 0;
            }
        }

        public string? Find(string name)
        {
            int index = IndexOf(System.Text.Encoding.UTF8.GetBytes(name));
            return index < 0 ? null : System.Text.Encoding.UTF8.GetString(Value(index));
        }

        public void Dispose() => NativeMemory.Free(_storage);
    }
}
