using System;
using ProxyWasm.Abi;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Support;

/// <summary>Base class of the tests that talk to a host: attaches a fresh <see cref="FakeHost"/> to the test's
/// thread for the duration of the test.</summary>
public abstract class HostTest : IDisposable
{
    private readonly InProcessHost.Scope _scope;

    private protected HostTest()
    {
        Host = new FakeHost();
        _scope = InProcessHost.Enter(Host);
    }

    private protected FakeHost Host { get; }

    public void Dispose()
    {
        _scope.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <paramref name="body"/> as a generated export does: inside an outermost
    /// <see cref="HostMemory"/> scope. Afterwards every block the host allocated must be freed.</summary>
    private protected static void InCallback(Action body)
    {
        int mark = HostMemory.Enter();
        try
        {
            Assert.Equal(0, mark);
            body();
        }
        finally
        {
            HostMemory.Exit(mark);
        }

        Assert.Equal(0, HostMemory.LiveBlocks);
    }
}
