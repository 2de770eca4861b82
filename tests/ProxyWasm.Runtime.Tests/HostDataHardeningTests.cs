using System;
using System.Buffers;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests;

/// <summary>Issue 13, findings 4-7: what the runtime does with a (pointer, size) it cannot trust, an impossible
/// allocation size and a huge value.</summary>
public unsafe class HostDataHardeningTests : HostTest
{
    [Fact]
    public void SizeLargerThanTheBlock_IsRefusedWithALogLine()
    {
        Host.Properties["plugin_name"] = "abcd"u8.ToArray();
        Host.Lie = (ref nint data, ref nuint size) => size += 64;
        InCallback(() =>
        {
            ProxyStatus status = Properties.TryGet("plugin_name"u8, out ReadOnlySpan<byte> value);
            Assert.Equal(ProxyStatus.Ok, status);
            Assert.Equal(0, value.Length);
        });

        Assert.Contains(Enumerable.Range(0, Host.Logs.Count), i => Host.LogText(i).Contains("outside the block", StringComparison.Ordinal));
    }

    [Fact]
    public void PointerTheModuleNeverAllocated_IsRefused()
    {
        byte* wild = (byte*)NativeMemory.Alloc(16);
        try
        {
            new Span<byte>(wild, 16).Fill((byte)'x');
            Host.Properties["plugin_name"] = "abcd"u8.ToArray();
            Host.Lie = (ref nint data, ref nuint size) => data = (nint)wild;
            InCallback(() =>
            {
                Properties.TryGet("plugin_name"u8, out ReadOnlySpan<byte> value);
                Assert.Equal(0, value.Length);
            });
        }
        finally
        {
            NativeMemory.Free(wild);
        }

        Assert.Single(Enumerable.Range(0, Host.Logs.Count), i => Host.LogText(i).Contains("outside the block", StringComparison.Ordinal));
    }

    [Fact]
    public void TruncatedSizeInsideTheBlock_IsServedAsIs()
    {
        Host.Properties["plugin_name"] = "abcdef"u8.ToArray();
        Host.Lie = (ref nint data, ref nuint size) => size = 3;
        InCallback(() =>
        {
            Properties.TryGet("plugin_name"u8, out ReadOnlySpan<byte> value);
            Assert.Equal("abc"u8.ToArray(), value.ToArray());
        });

        Assert.Empty(Host.Logs);
    }

    [Fact]
    public void NullPointerWithASize_LogsAndIsEmpty()
    {
        Host.Properties["plugin_name"] = "abcd"u8.ToArray();
        Host.Lie = (ref nint data, ref nuint size) => data = 0;
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.Ok, Properties.TryGet("plugin_name"u8, out ReadOnlySpan<byte> value));
            Assert.Equal(0, value.Length);
        });

        Assert.Single(Enumerable.Range(0, Host.Logs.Count), i => Host.LogText(i).Contains("null pointer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData((1UL << 30) + 1)]
    public void ImpossibleAllocation_ReturnsNullWithoutAllocatingOnTheGcHeap(ulong size)
    {
        HostMemory.Allocate(1); // warm up
        HostMemory.Exit(HostMemory.Enter());
        nint any = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            any |= HostMemory.AllocateForHost((nuint)size);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, any);
        Assert.Equal(0, after - before);
        Assert.Equal(0, HostMemory.LiveBlocks);
    }

    [Fact]
    public void HugeValue_DoesNotStayInTheSharedPool()
    {
        byte[] chunk = new byte[1 << 20];
        var builder = new Utf8ValueBuilder(stackalloc byte[256]);
        for (int i = 0; i < 16; i++)
        {
            builder.Append(chunk);
        }

        Assert.Equal(16 << 20, builder.Length);
        ref byte storage = ref MemoryMarshal.GetReference(builder.AsSpan());
        int capacity = builder.Length;
        builder.Dispose();

        // The pool hands out the array most recently returned to it on this thread: if the builder's 16+ MiB array
        // went back to the pool, this is it.
        byte[] rented = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            Assert.False(Unsafe.AreSame(ref storage, ref rented[0]), "the builder returned its 16 MiB array to the shared pool");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [Fact]
    public void SmallValues_StillUseThePool()
    {
        var builder = new Utf8ValueBuilder(stackalloc byte[16]);
        builder.Append(new byte[1000]);
        ref byte storage = ref MemoryMarshal.GetReference(builder.AsSpan());
        builder.Dispose();
        byte[] rented = ArrayPool<byte>.Shared.Rent(1000);
        try
        {
            Assert.True(Unsafe.AreSame(ref storage, ref rented[0]));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>Every malformed-data path logs: a typed property of the wrong size, a map property that is not pairs.</summary>
public sealed class MalformedPropertyLogTests : HostTest
{
    [Fact]
    public void Wrong_size_integer_and_malformed_map_each_log_one_error_line()
    {
        Host.Properties["response\0code"] = new byte[] { 1, 2, 3 };
        Host.Properties["request\0headers"] = new byte[] { 9, 0, 0, 0 };
        InCallback(() =>
        {
            Assert.Equal(ProxyStatus.SerializationFailure, Properties.Response.TryGetCode(out long _));
            Assert.Equal(ProxyStatus.SerializationFailure, Properties.TryGetMap("request\0headers"u8, out HeaderPairs _));
        });

        Assert.Equal(2, Enumerable.Range(0, Host.Logs.Count).Count(i => Host.Logs[i].Level == LogLevel.Error && Host.LogText(i).Contains("SerializationFailure", StringComparison.Ordinal)));
    }
}
