using System;
using System.Collections.Generic;
using System.Text;
using ProxyWasm.Abi;

namespace ProxyWasm.Testing;


/// <summary>The host functions for state beyond one stream (properties, callouts, shared data and queues, metrics,
/// effective context, foreign functions), with Envoy's semantics.</summary>
public sealed unsafe partial class ProxyWasmHost
{
    private readonly Dictionary<string, (byte[] Value, uint Cas)> _sharedData = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint> _metricIds = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, ulong> _metrics = new();
    private readonly Dictionary<string, byte[]> _setProperties = new(StringComparer.Ordinal);
    private readonly List<HttpStreamContext> _finishing = new();
    private readonly Dictionary<uint, List<ulong>> _histograms = new();
    private readonly Dictionary<string, byte[]> _interference = new(StringComparer.Ordinal);
    private uint _cas;

    /// <summary>A shared-data value (<c>proxy_set_shared_data</c>) by key, with its CAS token, or <see langword="null"/>.</summary>
    public (byte[] Value, uint Cas)? GetSharedData(string key) => _sharedData.TryGetValue(key, out (byte[] Value, uint Cas) entry) ? entry : null;

    /// <summary>Writes a shared-data value as another VM would (a new CAS token).</summary>
    public void SetSharedData(string key, byte[] value) => _sharedData[key] = ((byte[])value.Clone(), NextCas());

    /// <summary>Makes another VM write <paramref name="value"/> to <paramref name="key"/> right before the module's next
    /// <c>proxy_set_shared_data</c> of that key: the race a read-modify-write must survive.</summary>
    public void WriteSharedDataBeforeNextSet(string key, byte[] value) => _interference[key] = (byte[])value.Clone();

    /// <summary>The values recorded into the histogram <paramref name="name"/>, in order (empty when none).</summary>
    public IReadOnlyList<ulong> GetHistogram(string name)
        => _metricIds.TryGetValue(name, out uint id) && _histograms.TryGetValue(id, out List<ulong>? values) ? values : Array.Empty<ulong>();

    /// <summary>The value of a metric the module defined, by name, or <see langword="null"/>.</summary>
    public ulong? GetMetric(string name) => _metricIds.TryGetValue(name, out uint id) ? _metrics[id] : null;

    /// <summary>A property the module set with <c>proxy_set_property</c> (NUL-joined path), or <see langword="null"/>.</summary>
    public byte[]? GetSetProperty(string path) => _setProperties.TryGetValue(path, out byte[]? value) ? value : null;

    ProxyStatus IProxyHost.proxy_get_property(byte* pathData, nuint pathSize, byte** returnValueData, nuint* returnValueSize)
    {
        string path = Text(pathData, pathSize);
        byte[]? value = path switch
        {
            "plugin_root_id" or "plugin_name" => Encoding.UTF8.GetBytes((_currentPlugin ?? DefaultPlugin).RootId),
            "plugin_vm_id" => Encoding.UTF8.GetBytes(Options.VmId),
            _ => _setProperties.TryGetValue(path, out byte[]? set) ? set : Options.Properties.TryGetValue(path, out byte[]? configured) ? configured : null,
        };
        return value is null ? ProxyStatus.NotFound : CopyOut(value, returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_set_property(byte* pathData, nuint pathSize, byte* valueData, nuint valueSize)
    {
        _setProperties[Text(pathData, pathSize)] = Bytes(valueData, valueSize);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_shared_data(byte* keyData, nuint keySize, byte** returnValueData, nuint* returnValueSize, uint* returnCas)
    {
        if (!_sharedData.TryGetValue(Text(keyData, keySize), out (byte[] Value, uint Cas) entry))
        {
            return ProxyStatus.NotFound;
        }

        *returnCas = entry.Cas;
        return CopyOut(entry.Value, returnValueData, returnValueSize);
    }

    ProxyStatus IProxyHost.proxy_set_shared_data(byte* keyData, nuint keySize, byte* valueData, nuint valueSize, uint cas)
    {
        string key = Text(keyData, keySize);
        if (_interference.Remove(key, out byte[]? other))
        {
            // Another VM wrote this key between the module's read and this write.
            _sharedData[key] = (other, NextCas());
        }

        // Envoy (SharedData::set): a token must match an existing value; a missing key is created whatever the token.
        if (cas != 0 && _sharedData.TryGetValue(key, out (byte[] Value, uint Cas) entry) && entry.Cas != cas)
        {
            return ProxyStatus.CasMismatch;
        }

        _sharedData[key] = (Bytes(valueData, valueSize), NextCas());
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_define_metric(MetricType metricType, byte* nameData, nuint nameSize, uint* returnMetricId)
    {
        if ((uint)metricType > (uint)MetricType.Histogram)
        {
            return ProxyStatus.BadArgument;
        }

        string name = Text(nameData, nameSize);
        if (!_metricIds.TryGetValue(name, out uint id))
        {
            // As in proxy-wasm-cpp-host: the type in the low 2 bits, ids in steps of 4.
            id = ((uint)(_metricIds.Count + 1) << 2) | (uint)metricType;
            _metricIds[name] = id;
            _metrics[id] = 0;
        }

        *returnMetricId = id;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_increment_metric(uint metricId, long offset)
    {
        if (!_metrics.TryGetValue(metricId, out ulong value))
        {
            return ProxyStatus.NotFound;
        }

        // Envoy: counters only go up; histograms are recorded, never incremented.
        if (((MetricType)(metricId & 3) == MetricType.Counter && offset < 0) || (MetricType)(metricId & 3) == MetricType.Histogram)
        {
            return ProxyStatus.BadArgument;
        }

        _metrics[metricId] = (ulong)((long)value + offset);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_record_metric(uint metricId, ulong value)
    {
        if (!_metrics.TryGetValue(metricId, out ulong current))
        {
            return ProxyStatus.NotFound;
        }

        // Envoy: a counter adds the value, a gauge is set to it, a histogram records it.
        switch ((MetricType)(metricId & 3))
        {
            case MetricType.Counter:
                _metrics[metricId] = current + value;
                break;
            case MetricType.Histogram:
                (_histograms.TryGetValue(metricId, out List<ulong>? values) ? values : _histograms[metricId] = new List<ulong>()).Add(value);
                break;
            default:
                _metrics[metricId] = value;
                break;
        }

        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_get_metric(uint metricId, ulong* returnValue)
    {
        if (!_metrics.TryGetValue(metricId, out ulong value))
        {
            return ProxyStatus.NotFound;
        }

        if ((MetricType)(metricId & 3) == MetricType.Histogram)
        {
            // Envoy cannot read a histogram back.
            return ProxyStatus.BadArgument;
        }

        *returnValue = value;
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_set_effective_context(uint contextId)
    {
        // Envoy (cpp-host): any live context of this VM, root, HTTP stream or connection; it stays effective until
        // the running callback returns.
        PluginContext? root = PluginById(contextId);
        if (root is null && !_streams.ContainsKey(contextId) && !_connections.ContainsKey(contextId))
        {
            return ProxyStatus.BadArgument;
        }

        _current = _streams.TryGetValue(contextId, out HttpStreamContext? stream) ? stream : null;
        _currentConnection = _connections.TryGetValue(contextId, out TcpConnectionContext? connection) ? connection : null;
        _currentPlugin = root ?? stream?.Plugin ?? connection!.Plugin;
        return ProxyStatus.Ok;
    }

    /// <summary>Envoy: completes the current context if its <c>proxy_on_done</c> returned false; then (after the running
    /// callback) the host calls <c>proxy_on_log</c> and <c>proxy_on_delete</c> for it.</summary>
    ProxyStatus IProxyHost.proxy_done()
    {
        if (_currentConnection is { DonePending: true } connection)
        {
            connection.DonePending = false;
            AfterCall(connection.Finish);
            return ProxyStatus.Ok;
        }

        if (_current is not { DonePending: true } stream)
        {
            return ProxyStatus.NotFound;
        }

        stream.DonePending = false;
        _finishing.Add(stream);
        return ProxyStatus.Ok;
    }

    ProxyStatus IProxyHost.proxy_call_foreign_function(byte* functionNameData, nuint functionNameSize, byte* argumentsData, nuint argumentsSize, byte** returnResultsData, nuint* returnResultsSize)
    {
        if (!Options.ForeignFunctions.TryGetValue(Text(functionNameData, functionNameSize), out Func<byte[], byte[]>? function))
        {
            return ProxyStatus.NotFound;
        }

        return CopyOut(function(Bytes(argumentsData, argumentsSize)), returnResultsData, returnResultsSize);
    }

    /// <summary>Envoy's CAS tokens: one counter for all keys, never 0.</summary>
    private uint NextCas()
    {
        if (++_cas == 0)
        {
            _cas = 1;
        }

        return _cas;
    }
}
