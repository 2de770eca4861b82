using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Host;

/// <summary><see cref="HeaderMapExtensions"/> against the fake host.</summary>
public class HeaderMapTests : HostTest
{
    private static byte[] B(string text) => Encoding.Latin1.GetBytes(text);

    private void Seed(MapType map, params (string Name, string Value)[] pairs)
        => Host.Map(map).AddRange(pairs.Select(p => (B(p.Name), B(p.Value))));

    [Fact]
    public void TryGetValue_ReturnsTheHostsValue_InModuleMemory()
    {
        Seed(MapType.HttpRequestHeaders, (":path", "/hello"), (":method", "GET"));
        Seed(MapType.HttpResponseHeaders, (":path", "/not-this-map"));
        InCallback(() =>
        {
            Assert.True(new RequestHeaders().TryGetValue(":path"u8, out ReadOnlySpan<byte> value));
            Assert.Equal("/hello", Encoding.ASCII.GetString(value));
            Assert.Equal(1, HostMemory.LiveBlocks);
            Assert.Equal(1, Host.Allocations);
        });

        (MapType map, byte[] name) = Assert.Single(Host.GetValueCalls);
        Assert.Equal(MapType.HttpRequestHeaders, map);
        Assert.Equal(B(":path"), name);
    }

    [Fact]
    public void EachMapHandle_SelectsItsMapType()
    {
        InCallback(() =>
        {
            new RequestHeaders().TryGetValue("a"u8, out _);
            new RequestTrailers().TryGetValue("a"u8, out _);
            new ResponseHeaders().TryGetValue("a"u8, out _);
            new ResponseTrailers().TryGetValue("a"u8, out _);
        });

        Assert.Equal(
            new[] { MapType.HttpRequestHeaders, MapType.HttpRequestTrailers, MapType.HttpResponseHeaders, MapType.HttpResponseTrailers },
            Host.GetValueCalls.Select(c => c.Map));
    }

    [Fact]
    public void NotFound_MakesTryGetValueFalse_AndTheOtherReadersEmpty()
    {
        Seed(MapType.HttpRequestHeaders, ("present", "yes"));
        InCallback(() =>
        {
            Assert.False(new RequestHeaders().TryGetValue("absent"u8, out ReadOnlySpan<byte> value));
            Assert.True(value.IsEmpty);
            Assert.True(new RequestHeaders().GetValue("absent"u8).IsEmpty);
            Assert.False(new RequestHeaders().Contains("absent"u8));
            Assert.Null(new RequestHeaders().GetValueString("absent"u8));

            Assert.True(new RequestHeaders().Contains("present"u8));
            Assert.Equal("yes", new RequestHeaders().GetValueString("present"u8));
            Assert.Equal("yes", Encoding.ASCII.GetString(new RequestHeaders().GetValue("present"u8)));
        });
    }

    [Fact]
    public void AnyHostError_MakesTryGetValueFalse()
    {
        Seed(MapType.HttpRequestHeaders, ("a", "1"));
        Host.ForcedStatus["proxy_get_header_map_value"] = ProxyStatus.BadArgument;
        InCallback(() => Assert.False(new RequestHeaders().TryGetValue("a"u8, out _)));
    }

    [Fact]
    public void EmptyValue_IsFoundAndEmpty()
    {
        Seed(MapType.HttpRequestHeaders, ("x-empty", ""));
        InCallback(() =>
        {
            Assert.True(new RequestHeaders().TryGetValue("x-empty"u8, out ReadOnlySpan<byte> value));
            Assert.True(value.IsEmpty);
        });
    }

    [Fact]
    public void ObsTextValue_IsReturnedByteExact()
    {
        byte[] value = [0x80, 0xFF, (byte)'a', 0xC0];
        Host.Map(MapType.HttpRequestHeaders).Add((B("x-raw"), value));
        InCallback(() =>
        {
            Assert.True(new RequestHeaders().GetValue("x-raw"u8).SequenceEqual(value));
            Assert.Equal("\uFFFD\uFFFDa\uFFFD", new RequestHeaders().GetValueString("x-raw"u8));
        });
    }

    [Fact]
    public void AddReplaceRemove_PassMapNameAndValue()
    {
        Seed(MapType.HttpResponseHeaders, ("x-a", "1"), ("x-b", "2"));
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, new ResponseHeaders().Add("x-a"u8, "3"u8));
            Assert.Equal("1,3", new ResponseHeaders().GetValueString("x-a"u8));

            Assert.Equal(ProxyStatus.Ok, new ResponseHeaders().Replace("x-a"u8, "4"u8));
            Assert.Equal("4", new ResponseHeaders().GetValueString("x-a"u8));

            Assert.Equal(ProxyStatus.Ok, new ResponseHeaders().Remove("x-b"u8));
            Assert.False(new ResponseHeaders().Contains("x-b"u8));

            Assert.Equal(ProxyStatus.Ok, new ResponseHeaders().Add("x-empty"u8, ""u8));
            Assert.True(new ResponseHeaders().Contains("x-empty"u8));
        });

        Assert.Equal(
            new[] { ("x-a", "4"), ("x-empty", "") },
            Host.Map(MapType.HttpResponseHeaders).Select(p => (Encoding.Latin1.GetString(p.Name), Encoding.Latin1.GetString(p.Value))));
        Assert.Empty(Host.Map(MapType.HttpRequestHeaders));
    }

    [Fact]
    public void MutatorsReturnTheHostsStatus()
    {
        Host.ForcedStatus["proxy_add_header_map_value"] = ProxyStatus.BadArgument;
        Host.ForcedStatus["proxy_replace_header_map_value"] = ProxyStatus.InvalidMemoryAccess;
        Host.ForcedStatus["proxy_remove_header_map_value"] = ProxyStatus.InternalFailure;
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.BadArgument, new RequestHeaders().Add("a"u8, "b"u8));
            Assert.Equal(ProxyStatus.InvalidMemoryAccess, new RequestHeaders().Replace("a"u8, "b"u8));
            Assert.Equal(ProxyStatus.InternalFailure, new RequestHeaders().Remove("a"u8));
        });
    }

    [Fact]
    public void GetAll_ReturnsTheHostsPairsInOrder()
    {
        Seed(MapType.HttpRequestHeaders, (":authority", "example.com"), (":path", "/"), ("x-dup", "1"), ("x-dup", "2"));
        InCallback(() =>
        {
            HeaderPairs pairs = new RequestHeaders().GetAll();
            Assert.Equal(4, pairs.Count);
            Assert.Equal(
                new[] { (":authority", "example.com"), (":path", "/"), ("x-dup", "1"), ("x-dup", "2") },
                PairsModel.ToList(pairs).Select(p => (Encoding.Latin1.GetString(p.Name), Encoding.Latin1.GetString(p.Value))));
            Assert.True(pairs.TryGetValue("x-dup"u8, out ReadOnlySpan<byte> first));
            Assert.Equal("1", Encoding.ASCII.GetString(first));
            Assert.Equal(1, HostMemory.LiveBlocks);
        });

        Assert.Empty(Host.Logs);
    }

    [Fact]
    public void GetAll_OfAnEmptyMap_IsEmpty()
    {
        InCallback(() => Assert.Equal(0, new ResponseTrailers().GetAll().Count));
        Assert.Empty(Host.Logs);
    }

    [Fact]
    public void GetAll_WhenTheHostFails_IsEmptyWithoutALogLine()
    {
        Seed(MapType.HttpRequestHeaders, ("a", "1"));
        Host.ForcedStatus["proxy_get_header_map_pairs"] = ProxyStatus.BadArgument;
        InCallback(() => Assert.Equal(0, new RequestHeaders().GetAll().Count));
        Assert.Empty(Host.Logs);
    }

    public static TheoryData<byte[], string> MalformedFromHost => new()
    {
        { new byte[] { 2, 0 }, "truncated" },
        { new byte[] { 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0 }, "truncated" },
        { new byte[] { 1, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', 0 }, "lengths do not match the buffer" },
        { new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', 0, 0, 0 }, "lengths do not match the buffer" },
        { new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', (byte)'=', (byte)'b', 0 }, "missing NUL terminator" },
        { new byte[] { 0xFF, 0xFF, 0, 0, 0, 0, 0, 0 }, "more than 1024 pairs" },
    };

    [Theory]
    [MemberData(nameof(MalformedFromHost))]
    public void GetAll_OfAMalformedBuffer_IsEmpty_AndLogsAnError(byte[] buffer, string reason)
    {
        Host.RawPairs[MapType.HttpResponseHeaders] = buffer;
        InCallback(() =>
        {
            HeaderPairs pairs = new ResponseHeaders().GetAll();
            Assert.Equal(0, pairs.Count);
            Assert.False(pairs.GetEnumerator().MoveNext());
        });

        (LogLevel level, _) = Assert.Single(Host.Logs);
        Assert.Equal(LogLevel.Error, level);
        string line = Host.LogText(0);
        Assert.Contains("malformed header map", line);
        Assert.Contains("map type 2", line);
        Assert.Contains(reason, line);
    }

    [Fact]
    public void GetAll_OfABufferOver1MiB_IsEmpty_AndLogsAnError()
    {
        byte[] value = new byte[HeaderPairs.MaxBytes];
        value.AsSpan().Fill((byte)'v');
        Host.RawPairs[MapType.HttpRequestTrailers] = PairsModel.Encode([(B("big"), value)]);
        InCallback(() => Assert.Equal(0, new RequestTrailers().GetAll().Count));

        Assert.Single(Host.Logs);
        Assert.Equal(LogLevel.Error, Host.Logs[0].Level);
        Assert.Contains("larger than 1 MiB", Host.LogText(0));
        Assert.Contains("map type 1", Host.LogText(0));
    }

    [Fact]
    public void SetAll_PassesTheSerializedPairsToTheHost()
    {
        Seed(MapType.HttpRequestHeaders, ("old", "gone"));
        byte[] serialized = PairsModel.Encode([(B(":path"), B("/new")), (B("x-raw"), [0x80, 0xFF])]);
        InCallback(() => Assert.Equal(ProxyStatus.Ok, new RequestHeaders().SetAll(serialized)));

        (MapType map, byte[] bytes) = Assert.Single(Host.SetPairsCalls);
        Assert.Equal(MapType.HttpRequestHeaders, map);
        Assert.Equal(serialized, bytes);
        Assert.Equal(2, Host.Map(MapType.HttpRequestHeaders).Count);
    }

    [Fact]
    public void SetAll_OfAnEmptyMap_CallsTheHost()
    {
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, new ResponseHeaders().SetAll(default));
            Assert.Equal(ProxyStatus.Ok, new ResponseHeaders().SetAll(new byte[] { 0, 0, 0, 0 }));
        });

        Assert.Equal(2, Host.SetPairsCalls.Count);
    }

    public static TheoryData<byte[]> MalformedToSet => new()
    {
        new byte[] { 1 },
        new byte[] { 1, 0, 0, 0 },
        new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b' },
        new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0 },
        new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)'a', 0, (byte)'b', 0, 9 },
        new byte[] { 0x01, 0x04, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(MalformedToSet))]
    public void SetAll_OfAMalformedBuffer_IsBadArgument_WithoutCallingTheHost(byte[] malformed)
    {
        Seed(MapType.HttpRequestHeaders, ("keep", "me"));
        InCallback(() => Assert.Equal(ProxyStatus.BadArgument, new RequestHeaders().SetAll(malformed)));
        Assert.Empty(Host.SetPairsCalls);
        Assert.DoesNotContain("proxy_set_header_map_pairs", Host.Calls);
        Assert.Single(Host.Map(MapType.HttpRequestHeaders));
    }

    [Fact]
    public void SetAll_OfOver1MiB_IsBadArgument_WithoutCallingTheHost()
    {
        byte[] tooLarge = PairsModel.Encode([(B("n"), new byte[HeaderPairs.MaxBytes])]);
        InCallback(() => Assert.Equal(ProxyStatus.BadArgument, new RequestHeaders().SetAll(tooLarge)));
        Assert.Empty(Host.SetPairsCalls);
    }
}
