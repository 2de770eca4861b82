using System;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;

/// <summary>
/// Shared data and metrics for the lean host, with the in-process host's (Envoy's) semantics and no allocation after
/// construction: shared data in <see cref="SharedDataSlots"/> fixed slots (keys up to <see cref="MaxKeyBytes"/> bytes,
/// values up to <see cref="MaxValueBytes"/>), CAS tokens from one counter (never 0), a token of 0 writing
/// unconditionally and a missing key created whatever the token; metrics in <see cref="MetricSlots"/> fixed slots
/// (names up to <see cref="MaxKeyBytes"/> bytes), defined by name (the same name gives the same id, the type in the
/// id's low 2 bits as in proxy-wasm-cpp-host), counters only going up, histograms recorded (counted) but neither
/// incremented nor read. A table that is full answers <see cref="ProxyStatus.InternalFailure"/>.
/// </summary>
public sealed unsafe partial class LeanHost
{
    /// <summary>Shared-data keys the host holds.</summary>
    public const int SharedDataSlots = 8;

    /// <summary>Metrics the host holds.</summary>
    public const int MetricSlots = 16;

    /// <summary>The longest shared-data key or metric name.</summary>
    public const int MaxKeyBytes = 128;

    /// <summary>The longest shared-data value.</summary>
    public const int MaxValueBytes = 256;

    private readonly byte[] _dataKeys = new byte[SharedDataSlots * MaxKeyBytes];
    private readonly int[] _dataKeyLengths = new int[SharedDataSlots];
    private readonly byte[] _dataValues = new byte[SharedDataSlots * MaxValueBytes];
    private readonly int[] _dataValueLengths = new int[SharedDataSlots];
    private readonly uint[] _dataCas = new uint[SharedDataSlots];
    private int _dataCount;
    private uint _cas;

    private readonly byte[] _metricNames = new byte[MetricSlots * MaxKeyBytes];
    private readonly int[] _metricNameLengths = new int[MetricSlots];
    private readonly uint[] _metricIds = new uint[MetricSlots];
    private readonly ulong[] _metricValues = new ulong[MetricSlots];
    private int _metricCount;

    /// <summary>The shared-data value of <paramref name="key"/> (a copy), or <see langword="null"/>.</summary>
    public byte[]? SharedDataValue(string key)
    {
        int slot = DataSlot(System.Text.Encoding.UTF8.GetBytes(key));
        return slot < 0 ? null : DataValue(slot).ToArray();
    }

    /// <summary>The value of the metric the module defined as <paramref name="name"/>, or <see langword="null"/>; for a
    /// histogram, how many values were recorded.</summary>
    public ulong? Metric(string name)
    {
        int slot = MetricSlot(System.Text.Encoding.UTF8.GetBytes(name));
        return slot < 0 ? null : _metricValues[slot];
    }

    /// <summary>How many metrics the module defined (distinct names).</summary>
    public int MetricCount => _metricCount;

    ProxyStatus IProxyHost.proxy_get_shared_data(byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize, uint* returnCas)
    {
        int slot = DataSlot(new ReadOnlySpan<byte>(keyData, checked((int)keySize)));
        if (slot < 0)
        {
            return ProxyStatus.NotFound;
        }

        *returnCas = _dataCas[slot];
        return CopyOut(DataValue(slot), returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_set_shared_data(byte* keyData, nuint keySize, byte* valueData, nuint valueSize, uint cas)
    {
        var key = new ReadOnlySpan<byte>(keyData, checked((int)keySize));
        var value = new ReadOnlySpan<byte>(valueData, checked((int)valueSize));
        if (key.Length > MaxKeyBytes || value.Length > MaxValueBytes)
        {
            return ProxyStatus.InternalFailure;
        }

        int slot = DataSlot(key);
        if (slot >= 0 && cas != 0 && _dataCas[slot] != cas)
        {
            return ProxyStatus.CasMismatch;
        }

        if (slot < 0)
        {
            if (_dataCount == SharedDataSlots)
            {
                return ProxyStatus.InternalFailure;
            }

            slot = _dataCount++;
            key.CopyTo(_dataKeys.AsSpan(slot * MaxKeyBytes));
            _dataKeyLengths[slot] = key.Length;
        }

        value.CopyTo(_dataValues.AsSpan(slot * MaxValueBytes));
        _dataValueLengths[slot] = value.Length;
        if (++_cas == 0)
        {
            _cas = 1;
        }

        _dataCas[slot] = _cas;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_define_metric(MetricType metricType, byte* nameData, nuint nameSize, uint* returnMetricId)
    {
        var name = new ReadOnlySpan<byte>(nameData, checked((int)nameSize));
        if ((uint)metricType > (uint)MetricType.Histogram)
        {
            return ProxyStatus.BadArgument;
        }

        int slot = MetricSlot(name);
        if (slot < 0)
        {
            if (_metricCount == MetricSlots || name.Length > MaxKeyBytes)
            {
                return ProxyStatus.InternalFailure;
            }

            slot = _metricCount++;
            name.CopyTo(_metricNames.AsSpan(slot * MaxKeyBytes));
            _metricNameLengths[slot] = name.Length;
            _metricIds[slot] = ((uint)(slot + 1) << 2) | (uint)metricType;
        }

        *returnMetricId = _metricIds[slot];
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_increment_metric(uint metricId, long offset)
    {
        int slot = MetricById(metricId);
        if (slot < 0)
        {
            return ProxyStatus.NotFound;
        }

        var type = (MetricType)(metricId & 3);
        if ((type == MetricType.Counter && offset < 0) || type == MetricType.Histogram)
        {
            return ProxyStatus.BadArgument;
        }

        _metricValues[slot] = (ulong)((long)_metricValues[slot] + offset);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_record_metric(uint metricId, ulong value)
    {
        int slot = MetricById(metricId);
        if (slot < 0)
        {
            return ProxyStatus.NotFound;
        }

        switch ((MetricType)(metricId & 3))
        {
            case MetricType.Counter:
                _metricValues[slot] += value;
                break;
            case MetricType.Histogram:
                _metricValues[slot]++;
                break;
            default:
                _metricValues[slot] = value;
                break;
        }

        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_metric(uint metricId, ulong* returnValue)
    {
        int slot = MetricById(metricId);
        if (slot < 0)
        {
            return ProxyStatus.NotFound;
        }

        if ((MetricType)(metricId & 3) == MetricType.Histogram)
        {
            return ProxyStatus.BadArgument;
        }

        *returnValue = _metricValues[slot];
        return ProxyStatus.Ok;
    }

    private ReadOnlySpan<byte> DataValue(int slot) => _dataValues.AsSpan(slot * MaxValueBytes, _dataValueLengths[slot]);

    private int DataSlot(ReadOnlySpan<byte> key)
    {
        for (int i = 0; i < _dataCount; i++)
        {
            if (_dataKeys.AsSpan(i * MaxKeyBytes, _dataKeyLengths[i]).SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    private int MetricSlot(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < _metricCount; i++)
        {
            if (_metricNames.AsSpan(i * MaxKeyBytes, _metricNameLengths[i]).SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    private int MetricById(uint metricId)
    {
        int slot = (int)(metricId >> 2) - 1;
        return slot >= 0 && slot < _metricCount && _metricIds[slot] == metricId ? slot : -1;
    }
}
