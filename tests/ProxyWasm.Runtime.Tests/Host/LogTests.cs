using System;
using System.Linq;
using System.Text;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Host;

/// <summary><see cref="Log"/> against the fake host.</summary>
public class LogTests : HostTest
{
    [Fact]
    public void BelowTheHostsLevel_IsSkippedWithoutCallingProxyLog()
    {
        Host.Level = LogLevel.Warn;
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Log.Write(LogLevel.Trace, "t"u8));
            Assert.Equal(ProxyStatus.Ok, Log.Write(LogLevel.Debug, "d".AsSpan()));
            Assert.Equal(ProxyStatus.Ok, Log.Info("i"u8));
        });

        Assert.DoesNotContain("proxy_log", Host.Calls);
        Assert.Equal(1, Host.Calls.Count(c => c == "proxy_get_log_level")); // asked once per callback
        Assert.Empty(Host.Logs);
    }

    [Fact]
    public void TheHostsLevel_IsAskedOncePerCallback_AndAgainInTheNext()
    {
        Host.Level = LogLevel.Warn;
        InCallback(() =>
        {
            Log.Info("skipped"u8);
            Log.Warn("one"u8);
            Log.Error("two".AsSpan());
        });
        Assert.Equal(1, Host.Calls.Count(c => c == "proxy_get_log_level"));

        // The level changed between callbacks (as Envoy's admin interface changes it): the next callback sees it.
        Host.Level = LogLevel.Trace;
        InCallback(() => Log.Info("three"u8));
        Assert.Equal(2, Host.Calls.Count(c => c == "proxy_get_log_level"));
        Assert.Equal(["one", "two", "three"], Host.Logs.Select(l => Encoding.UTF8.GetString(l.Message)));

        // Outside callbacks nothing is kept: each call asks.
        Host.Level = LogLevel.Critical;
        Assert.False(Log.IsEnabled(LogLevel.Error));
        Host.Level = LogLevel.Trace;
        Assert.True(Log.IsEnabled(LogLevel.Error));
        Assert.Equal(4, Host.Calls.Count(c => c == "proxy_get_log_level"));
    }

    [Fact]
    public void AtOrAboveTheHostsLevel_IsWritten()
    {
        Host.Level = LogLevel.Warn;
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Log.Write(LogLevel.Warn, "w"u8));
            Assert.Equal(ProxyStatus.Ok, Log.Error("e"u8));
            Assert.Equal(ProxyStatus.Ok, Log.Critical("c".AsSpan()));
        });

        Assert.Equal(
            new[] { (LogLevel.Warn, "w"), (LogLevel.Error, "e"), (LogLevel.Critical, "c") },
            Host.Logs.Select(l => (l.Level, Encoding.UTF8.GetString(l.Message))));
    }

    [Fact]
    public void EveryShortcut_UsesItsLevel()
    {
        InCallback(() =>
        {
            Log.Trace("0"u8);
            Log.Debug("1"u8);
            Log.Info("2"u8);
            Log.Warn("3"u8);
            Log.Error("4"u8);
            Log.Critical("5"u8);
            Log.Trace("0".AsSpan());
            Log.Debug("1".AsSpan());
            Log.Info("2".AsSpan());
            Log.Warn("3".AsSpan());
            Log.Error("4".AsSpan());
            Log.Critical("5".AsSpan());
        });

        Assert.Equal(12, Host.Logs.Count);
        Assert.All(Host.Logs, log => Assert.Equal(((int)log.Level).ToString(), Encoding.ASCII.GetString(log.Message)));
    }

    [Fact]
    public void IsEnabled_FollowsTheHostsLevel()
    {
        Host.Level = LogLevel.Error;
        Assert.False(Log.IsEnabled(LogLevel.Warn));
        Assert.True(Log.IsEnabled(LogLevel.Error));
        Assert.True(Log.IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void WhenTheHostCannotTellItsLevel_EverythingIsWritten()
    {
        Host.Level = LogLevel.Critical;
        Host.ForcedStatus["proxy_get_log_level"] = ProxyStatus.Unimplemented;
        InCallback(() => Log.Trace("still written"u8));
        Assert.Equal("still written", Host.LogText(0));
        Assert.True(Log.IsEnabled(LogLevel.Trace));
    }

    [Fact]
    public void WriteChars_EncodesUtf8()
    {
        InCallback(() => Log.Write(LogLevel.Info, "héllo wörld € 😀 \uD800".AsSpan()));
        (LogLevel level, byte[] message) = Assert.Single(Host.Logs);
        Assert.Equal(LogLevel.Info, level);
        Assert.Equal(
            new byte[] { 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F, 0x20, 0x77, 0xC3, 0xB6, 0x72, 0x6C, 0x64, 0x20, 0xE2, 0x82, 0xAC, 0x20, 0xF0, 0x9F, 0x98, 0x80, 0x20, 0xEF, 0xBF, 0xBD },
            message);
    }

    [Fact]
    public void WriteChars_BeyondTheStackBuffer_IsWrittenWhole()
    {
        string text = string.Concat(Enumerable.Range(0, 400).Select(i => i % 3 == 0 ? "ß" : "x"));
        InCallback(() => Log.Write(LogLevel.Warn, text.AsSpan()));
        Assert.Equal(Encoding.UTF8.GetBytes(text), Assert.Single(Host.Logs).Message);
    }

    [Fact]
    public void WriteBytes_PassesTheBytesUnchanged()
    {
        byte[] raw = [0x00, 0x80, 0xFF, (byte)'\n'];
        InCallback(() => Log.Write(LogLevel.Debug, raw));
        Assert.Equal(raw, Assert.Single(Host.Logs).Message);
    }

    [Fact]
    public void Write_ReturnsTheHostsStatus()
    {
        Host.ForcedStatus["proxy_log"] = ProxyStatus.BadArgument;
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.BadArgument, Log.Write(LogLevel.Info, "x"u8));
            Assert.Equal(ProxyStatus.BadArgument, Log.Write(LogLevel.Info, "x".AsSpan()));
        });
    }
}
