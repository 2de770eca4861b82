using ProxyWasm.Abi;
using ProxyWasm.Runtime.Tests.Support;
using Xunit;

namespace ProxyWasm.Runtime.Tests.Host;

public class InProcessHostTests
{
    [Fact]
    public void IsSupported_InThisJitRun()
    {
        Assert.True(InProcessHost.IsSupported);
        Assert.Null(InProcessHost.Current);
    }

    [Fact]
    public void EnterAndDispose_RestoreThePreviousHost()
    {
        var outer = new FakeHost();
        var inner = new FakeHost();
        Assert.Null(InProcessHost.Current);

        using (InProcessHost.Enter(outer))
        {
            Assert.Same(outer, InProcessHost.Current);
            using (InProcessHost.Enter(inner))
            {
                Assert.Same(inner, InProcessHost.Current);
                Log.Info("to inner"u8);
            }

            Assert.Same(outer, InProcessHost.Current);
            Log.Info("to outer"u8);
        }

        Assert.Null(InProcessHost.Current);
        Assert.Equal("to inner", System.Text.Encoding.ASCII.GetString(Assert.Single(inner.Logs).Message));
        Assert.Equal("to outer", System.Text.Encoding.ASCII.GetString(Assert.Single(outer.Logs).Message));
    }

    [Fact]
    public void TheHostIsPerThread()
    {
        var host = new FakeHost();
        using (InProcessHost.Enter(host))
        {
            IProxyHost? seenByOtherThread = host;
            var thread = new System.Threading.Thread(() => seenByOtherThread = InProcessHost.Current);
            thread.Start();
            thread.Join();
            Assert.Null(seenByOtherThread);
            Assert.Same(host, InProcessHost.Current);
        }
    }
}
