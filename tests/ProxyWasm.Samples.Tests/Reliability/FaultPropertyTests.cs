using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ProxyWasm.Runtime.Tests.Support;
using ProxyWasm.Testing;
using Xunit;

namespace ProxyWasm.Samples.Tests.Reliability;

/// <summary>
/// FsCheck properties over every sample and test filter, driven through the fault-injecting host
/// (<see cref="ProxyWasmHost.Faults"/>): for each case (a filter, a fault seed, an odd callback order or none, local
/// responses refused or not) one request runs with corrupted host data, then one clean request. Checked: no exception
/// escapes an export (the test process would die), <see cref="HostMemory.LiveBlocks"/> is 0 after every callback, a
/// corrupted request is not left paused without a way out, and the clean request behaves exactly as in a reference
/// run of the same steps with the faults switched off.
/// </summary>
/// <remarks>Bounded for CI (a few cases per filter, huge values up to 2 MiB). The longer sweep:
/// <c>PROXYWASM_FAULT_SWEEP=200 dotnet test tests/ProxyWasm.Samples.Tests --filter FaultPropertyTests</c> (cases per
/// filter; huge values up to 16 MiB); replay a failure with the seed it prints (<c>PROXYWASM_FSCHECK_REPLAY</c>, see
/// docs/reliability.md).</remarks>
public sealed class FaultPropertyTests
{
    public const string SweepVariable = "PROXYWASM_FAULT_SWEEP";

    private static readonly int Sweep = int.TryParse(Environment.GetEnvironmentVariable(SweepVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 0;

    public static TheoryData<string> Subjects()
    {
        var data = new TheoryData<string>();
        foreach (FaultSubject subject in FaultSubjects.All)
        {
            data.Add(subject.Name);
        }

        return data;
    }

    /// <summary>One case: the fault seed, an odd order (-1: none), whether local responses are refused, the fault rate
    /// in percent.</summary>
    public sealed record FaultCase(int Seed, int OddOrder, bool RefuseLocalResponses, int RatePercent);

    private static Gen<FaultCase> Cases() =>
        from seed in Gen.Choose(0, int.MaxValue)
        from order in Gen.Choose(-1, Enum.GetValues<OddOrder>().Length - 1)
        from refuse in Gen.Elements(false, true)
        from rate in Gen.Elements(10, 30, 60, 100)
        select new FaultCase(seed, order, refuse, rate);

    [Theory]
    [MemberData(nameof(Subjects))]
    public void A_filter_survives_a_faulty_host_and_serves_the_next_clean_request_as_before(string name)
    {
        FaultSubject subject = FaultSubjects.All.Single(s => s.Name == name);
        PropertyRunner.Check(name, Prop.ForAll(Cases().ToArbitrary(), c => Run(subject, c)), maxTest: Sweep > 0 ? Sweep : 6);
    }

    private static void Run(FaultSubject subject, FaultCase c)
    {
        string faulted = Drive(subject, c, inject: true, out FaultPlan plan);
        string reference = Drive(subject, c, inject: false, out _);

        Assert.True(plan.Violations.Count == 0, $"{c}: {string.Join("; ", plan.Violations)}");
        if (!subject.Stateful)
        {
            Assert.True(reference == faulted, $"{c}: the clean request after the corrupted one differs from the reference run.\nreference:\n{reference}\nafter faults:\n{faulted}\ninjected: {string.Join(", ", plan.Injected)}");
        }
    }

    /// <summary>Starts the plugin cleanly, runs the corrupted request (and the odd order) with <paramref name="inject"/>,
    /// then a clean request; returns what the clean request did.</summary>
    private static string Drive(FaultSubject subject, FaultCase c, bool inject, out FaultPlan plan)
    {
        using ProxyWasmHost host = subject.CreateHost();
        host.StartPlugin();
        plan = new FaultPlan(c.Seed)
        {
            Rate = c.RatePercent / 100.0,
            FailingCalls = c.RefuseLocalResponses ? ["proxy_send_local_response"] : [],
            HugeValueBytes = Sweep > 0 ? 16 << 20 : 2 << 20,
            Enabled = inject,
        };
        host.Faults = plan;

        if (subject.Network)
        {
            ConnectionRun corrupted = host.RunConnection([Encoding.UTF8.GetBytes("hello\n")], [Encoding.UTF8.GetBytes("world\n")]);
            _ = corrupted;
        }
        else
        {
            HttpExchange corrupted = host.Send(Request(), HttpResponse.Ok(), Answer);
            uint stream = corrupted.Callbacks[0].ContextId;
            bool paused = corrupted.Response is null && corrupted.LocalResponse is null;
            Assert.False(paused && !plan.ResetContexts.Contains(stream) && subject.MayStayPaused is null,
                $"{c}: stream {stream} is left paused with no local response, no resume and no reset; injected: {string.Join(", ", plan.Injected)}");
        }

        if (c.OddOrder >= 0)
        {
            host.RunOddOrder((OddOrder)c.OddOrder, Request());
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
        plan.Enabled = false;
        string clean = subject.Network
            ? Describe(host.RunConnection([Encoding.UTF8.GetBytes("hello\n")], [Encoding.UTF8.GetBytes("world\n")]))
            : Describe(host.Send(Request(), HttpResponse.Ok(), Answer));
        Assert.Equal(0, HostMemory.LiveBlocks);
        return clean;
    }

    private static HttpRequest Request()
    {
        HeaderList headers = Requests.Curl();
        headers.Add("allow", "true");
        headers.Add("content-type", "application/json");
        return new HttpRequest(headers, "{\"id\":\"1\",\"token\":\"abc\"}"u8.ToArray());
    }

    private static HttpCallAnswer Answer(HttpCallRecord call) => HttpCallAnswer.With(200, "ok"u8.ToArray());

    private static string Describe(HttpExchange exchange)
    {
        var text = new StringBuilder();
        text.Append("local: ").Append(exchange.LocalResponse?.StatusCode).Append(' ').Append(exchange.LocalResponse?.BodyText).AppendLine();
        text.Append("upstream: ").Append(Headers(exchange.Upstream?.Headers)).Append(" body ").Append(Body(exchange.Upstream?.Body)).AppendLine();
        text.Append("response: ").Append(Headers(exchange.Response?.Headers)).Append(" body ").Append(Body(exchange.Response?.Body)).AppendLine();
        text.Append("calls: ").Append(string.Join(", ", exchange.HttpCalls.Select(h => h.Upstream))).AppendLine();
        return text.ToString();
    }

    private static string Describe(ConnectionRun run)
        => $"new {run.NewConnectionStatus}; down {string.Join(",", run.DownstreamStatuses)}; up {string.Join(",", run.UpstreamStatuses)}; "
           + $"sent up {Body(run.SentUpstream)}; sent down {Body(run.SentDownstream)}; closed {run.ClosedByModule}";

    private static string Headers(HeaderList? headers) => headers is null ? "-" : string.Join("; ", headers.Select(h => h.NameText + ": " + h.ValueText));

    private static string Body(byte[]? body) => body is null ? "-" : Convert.ToHexString(body);
}
