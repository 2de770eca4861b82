using System;
using ProxyWasm;

namespace ProxyWasm.Samples.Tests.TestFilters;

/// <summary>Throws from its hooks on demand; the default failure policy (fail closed) applies.</summary>
[HttpFilter("throwing")]
public partial class ThrowingFilter
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)
    {
        if (headers.Contains("boom"u8))
        {
            throw new InvalidOperationException("boom requested");
        }

        headers.Replace("x-seen"u8, "yes"u8);
        return FilterHeadersStatus.Continue;
    }

    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers)
    {
        if (headers.Contains("boom"u8))
        {
            throw new InvalidOperationException("boom in the response");
        }

        return FilterHeadersStatus.Continue;
    }
}

/// <summary>The same, failing open.</summary>
[HttpFilter("throwing_open", OnError = FailurePolicy.FailOpen)]
public partial class FailOpenFilter
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)
    {
        if (headers.Contains("boom"u8))
        {
            throw new InvalidOperationException("boom requested");
        }

        headers.Replace("x-seen"u8, "yes"u8);
        return FilterHeadersStatus.Continue;
    }
}

/// <summary>A filter whose constructor throws once when asked to (created per stream because it declares one).</summary>
[HttpFilter("fragile_constructor")]
public partial class FragileConstructorFilter
{
    public static bool FailNext;

    public FragileConstructorFilter()
    {
        if (FailNext)
        {
            FailNext = false;
            throw new InvalidOperationException("constructor failed");
        }
    }

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)
    {
        headers.Replace("x-seen"u8, "yes"u8);
        return FilterHeadersStatus.Continue;
    }
}

/// <summary>Counts the request headers through proxy_get_header_map_pairs and reports the count in <c>x-count</c>.</summary>
[HttpFilter("pairs_counter")]
public partial struct PairsCounter
{
    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, int headerCount)
    {
        int count = 0;
        int obsText = 0;
        foreach (HeaderPair pair in headers.GetAll())
        {
            count++;
            foreach (byte b in pair.Value)
            {
                obsText += b >= 0x80 ? 1 : 0;
            }
        }

        var value = new Utf8ValueBuilder(stackalloc byte[64]);
        value.Append(count);
        value.Append("/"u8);
        value.Append(headerCount);
        value.Append("/"u8);
        value.Append(obsText);
        headers.Replace("x-count"u8, value.AsSpan());
        value.Dispose();
        return FilterHeadersStatus.Continue;
    }
}

/// <summary>Exercises the whole lifecycle: plugin hooks, body buffering, trailers, done and log, pooled state reset.</summary>
[HttpFilter("lifecycle", Plugin = typeof(LifecyclePlugin))]
public partial class LifecycleFilter
{
    private int _chunks = 0;
    private int _trailers;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, LifecyclePlugin plugin, HttpStream stream, bool endOfStream)
    {
        var value = new Utf8ValueBuilder(stackalloc byte[64]);
        value.Append(plugin.Ticks);
        value.Append(endOfStream ? "/eos"u8 : "/more"u8);
        headers.Replace("x-ticks"u8, value.AsSpan());
        value.Dispose();
        plugin.LastStream = stream.ContextId;
        return FilterHeadersStatus.Continue;
    }

    [OnRequestBody]
    public FilterDataStatus OnRequestBody(RequestBody body, int bodySize, bool endOfStream, RequestHeaders headers)
    {
        _chunks++;
        if (!endOfStream)
        {
            return FilterDataStatus.StopIterationAndBuffer;
        }

        ReadOnlySpan<byte> buffered = body.GetBytes();
        // The body's size is the host's: never stackalloc it unbounded (the fault properties serve 16 MiB bodies).
        Span<byte> upper = buffered.Length <= 256 ? stackalloc byte[256] : new byte[buffered.Length];
        upper = upper.Slice(0, buffered.Length);
        for (int i = 0; i < buffered.Length; i++)
        {
            upper[i] = buffered[i] is >= (byte)'a' and <= (byte)'z' ? (byte)(buffered[i] - 32) : buffered[i];
        }

        body.Replace(upper);
        body.Append("!"u8);
        var value = new Utf8ValueBuilder(stackalloc byte[32]);
        value.Append(_chunks);
        value.Append("/"u8);
        value.Append(bodySize);
        headers.Replace("x-chunks"u8, value.AsSpan());
        value.Dispose();
        return FilterDataStatus.Continue;
    }

    [OnRequestTrailers]
    public FilterTrailersStatus OnRequestTrailers(RequestTrailers trailers, int count)
    {
        _trailers += count;
        trailers.Add("x-trailer-count"u8, _trailers == 1 ? "1"u8 : "many"u8);
        return FilterTrailersStatus.Continue;
    }

    [OnStreamDone]
    public bool OnStreamDone(LifecyclePlugin plugin)
    {
        plugin.Done++;
        return true;
    }

    [OnLog]
    public void OnLog(ResponseHeaders response, LifecyclePlugin plugin)
    {
        plugin.Logged++;
        plugin.LastStatusSeenInLog = response.GetValue(":status"u8).SequenceEqual("200"u8);
    }
}

/// <summary>The lifecycle filter's plugin.</summary>
public sealed class LifecyclePlugin
{
    public static LifecyclePlugin? Last;

    public LifecyclePlugin() => Last = this;

    public int Ticks { get; set; }

    public int Done { get; set; }

    public int Logged { get; set; }

    public uint LastStream { get; set; }

    public bool LastStatusSeenInLog { get; set; }

    public bool VmStarted { get; private set; }

    [OnVmStart]
    public bool OnVmStart(ReadOnlySpan<byte> vmConfiguration)
    {
        VmStarted = true;
        return !vmConfiguration.SequenceEqual("refuse-vm"u8);
    }

    [OnConfigure]
    public bool OnConfigure(ReadOnlySpan<byte> configuration, int size)
    {
        if (configuration.SequenceEqual("throw"u8))
        {
            throw new FormatException("bad configuration");
        }

        if (configuration.SequenceEqual("reject"u8) || size != configuration.Length)
        {
            return false;
        }

        Plugin.SetTickPeriod(1000);
        return true;
    }

    [OnTick]
    public void OnTick() => Ticks++;
}

/// <summary>Holds each body until it is complete, then releases the stream through the bound <see cref="HttpStream"/>
/// (<c>proxy_continue_stream</c>) instead of returning Continue; answers a response that carries <c>x-deny</c>
/// through the same handle. The stream handle is the way to act on the stream.</summary>
[HttpFilter("resume_via_stream")]
public partial class ResumeViaStreamFilter
{
    [OnRequestBody]
    public FilterDataStatus OnRequestBody(bool endOfStream, HttpStream stream)
    {
        if (!endOfStream)
        {
            return FilterDataStatus.StopIterationAndBuffer;
        }

        stream.ResumeRequest();
        return FilterDataStatus.StopIterationNoBuffer;
    }

    [OnResponseHeaders]
    public FilterHeadersStatus OnResponseHeaders(ResponseHeaders headers, HttpStream stream)
    {
        if (headers.Contains("x-deny"u8))
        {
            stream.SendLocalResponse(451, "denied by the response\n"u8);
            return FilterHeadersStatus.StopIteration;
        }

        return FilterHeadersStatus.Continue;
    }

    [OnResponseBody]
    public FilterDataStatus OnResponseBody(bool endOfStream, HttpStream stream)
    {
        if (!endOfStream)
        {
            return FilterDataStatus.StopIterationAndBuffer;
        }

        stream.ResumeResponse();
        return FilterDataStatus.StopIterationNoBuffer;
    }
}

/// <summary>Sends an access-log callout when the stream ends and keeps the stream until it is answered: deferred
/// completion with [OnStreamDone] returning false and <see cref="HttpStream.Done"/>.</summary>
[HttpFilter("deferred_done")]
public partial class DeferredDoneFilter
{
    [OnStreamDone]
    public bool Done(RequestHeaders headers) =>
        HttpCall.Dispatch("access_log"u8, "POST"u8, "/log"u8, "log.local"u8, 2000, out _, body: headers.GetValue(":path"u8)) != ProxyStatus.Ok;

    [OnHttpCallResponse]
    public void Logged(HttpStream stream)
    {
        Log.Info("access log written"u8);
        stream.Done();
    }

    [OnLog]
    public void OnLog() => Log.Info("proxy_on_log ran"u8);
}

/// <summary>Dispatches a second HTTP call from the answer to the first, and resumes the request when the second is
/// answered: a call made inside an answer hook belongs to the same stream.</summary>
[HttpFilter("chained_calls")]
public partial class ChainedCallsFilter
{
    private int _answers;

    [OnRequestHeaders]
    public FilterHeadersStatus Headers()
    {
        HttpCall.Dispatch("first"u8, "GET"u8, "/one"u8, "first.local"u8, 100, out _);
        return FilterHeadersStatus.StopIteration;
    }

    [OnHttpCallResponse]
    public void Answered(HttpCallResponse response, RequestHeaders headers, HttpStream stream)
    {
        _answers++;
        if (_answers == 1)
        {
            HttpCall.Dispatch("second"u8, "GET"u8, "/two"u8, "second.local"u8, 100, out _);
            return;
        }

        headers.Replace("x-answers"u8, "2"u8);
        stream.ResumeRequest();
    }
}

/// <summary>Counts requests across VMs in shared data (<see cref="SharedData.Increment"/>) and keeps the longest
/// authority seen (<see cref="SharedData.Update{TState}"/>), reporting both as request headers.</summary>
[HttpFilter("shared_counter")]
public partial class SharedCounterFilter
{
    [OnRequestHeaders]
    public void Headers(RequestHeaders headers)
    {
        var count = new Utf8ValueBuilder(stackalloc byte[32]);
        ProxyStatus status = SharedData.Increment("requests"u8, 1, out long requests);
        count.Append(status == ProxyStatus.Ok ? requests : -(long)status);
        headers.Replace("x-requests"u8, count.AsSpan());
        count.Dispose();

        Span<byte> scratch = stackalloc byte[256];
        SharedData.Update("longest_authority"u8, scratch, headers.GetValue(":authority"u8), static (current, authority, destination, out written) =>
        {
            written = authority.Length;
            if (authority.Length <= current.Length || authority.Length > destination.Length)
            {
                return false;
            }

            authority.CopyTo(destination);
            return true;
        });
    }
}

/// <summary>Metric handles defined once per plugin at configure and used on every request.</summary>
public sealed class MeteredPlugin
{
    public Counter Requests;
    public Gauge Active;
    public Histogram HeaderCount;

    [OnConfigure]
    public bool Configure()
        => Counter.Define("metered.requests"u8, out Requests) == ProxyStatus.Ok
           && Gauge.Define("metered.active"u8, out Active) == ProxyStatus.Ok
           && Histogram.Define("metered.header_count"u8, out HeaderCount) == ProxyStatus.Ok;
}

/// <summary>Counts requests, tracks active streams and records header counts.</summary>
[HttpFilter("metered", Plugin = typeof(MeteredPlugin))]
public partial class MeteredFilter
{
    [OnRequestHeaders]
    public void Headers(MeteredPlugin plugin, int headerCount, RequestHeaders headers)
    {
        plugin.Requests.Increment();
        plugin.Active.Increment(1);
        plugin.HeaderCount.Record((ulong)headerCount);
        var status = new Utf8ValueBuilder(stackalloc byte[16]);
        status.Append((long)plugin.Requests.Increment(-1));
        headers.Replace("x-negative-increment"u8, status.AsSpan());
        status.Dispose();
    }

    [OnStreamDone]
    public void Done(MeteredPlugin plugin) => plugin.Active.Increment(-1);
}
