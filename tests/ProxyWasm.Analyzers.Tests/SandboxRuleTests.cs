using System.Linq;
using System.Threading.Tasks;
using ProxyWasm.Analyzers.Tests.Harness;
using Xunit;
using static ProxyWasm.Analyzers.Tests.Harness.AnalyzerHarness;

namespace ProxyWasm.Analyzers.Tests;

/// <summary>Sandbox rules apply to the whole filter project (not only hot paths), and only to filter projects.</summary>
public class SandboxRuleTests
{
    private static string Members(string members) => Code.Filter(members);

    [Fact]
    public async Task PXW2001_threads_thread_pool_and_timers() => await VerifyAsync(Members("""
            public void Start()
            {
                {|PXW2001:Task.Run(() => { })|};
                var thread = {|PXW2001:new Thread(() => { })|};
                {|PXW2001:thread.Start()|};
                {|PXW2001:ThreadPool.QueueUserWorkItem(_ => { })|};
                using var timer = {|PXW2001:new Timer(_ => { }, null, 0, 1000)|};
                {|PXW2001:Parallel.For(0, 2, _ => { })|};
                _count = Thread.CurrentThread.ManagedThreadId;
                Plugin.SetTickPeriod(1000);
            }
        """));

    [Fact]
    public async Task PXW2002_blocking() => await VerifyAsync(Members("""
            public int Block(Task<int> task, SemaphoreSlim gate)
            {
                {|PXW2002:Thread.Sleep(10)|};
                {|PXW2002:task.Wait()|};
                {|PXW2002:gate.Wait()|};
                _ = {|PXW2002:task.GetAwaiter().GetResult()|};
                return {|PXW2002:task.Result|} + (task.IsCompleted ? 1 : 0);
            }
        """));

    [Fact]
    public async Task PXW2003_network() => await VerifyAsync("using System.Net;\nusing System.Net.Http;\nusing System.Net.Sockets;\n" + Members("""
            public void Call()
            {
                using var client = {|PXW2003:new HttpClient()|};
                _ = {|PXW2003:Dns.GetHostAddresses("example.com")|};
                using var socket = {|PXW2003:new Socket(SocketType.Stream, ProtocolType.Tcp)|};
                var method = HttpMethod.Get;
                var status = HttpStatusCode.OK;
                _ = method; _ = status;
            }
        """));

    [Fact]
    public async Task PXW2004_file_system() => await VerifyAsync("using System.IO;\n" + Members("""
            public string Read()
            {
                using var reader = {|PXW2004:new StreamReader("/etc/config")|};
                using var fromMemory = new StreamReader(new MemoryStream());
                return {|PXW2004:File.ReadAllText("/etc/config")|} + Path.Combine("a", "b");
            }
        """));

    [Fact]
    public async Task PXW2005_processes() => await VerifyAsync("using System.Diagnostics;\n" + Members("""
            public void Run() { using var p = {|PXW2005:Process.Start("ls")|}; }
        """));

    [Fact]
    public async Task PXW2006_console() => await VerifyAsync(Members("""
            public void Print()
            {
                {|PXW2006:Console.WriteLine("hello")|};
                {|PXW2006:Console.Error.WriteLine(_name)|};
                {|PXW2006:Console.WriteLine(_count)|};
                Log.Info("hello"u8);
            }
        """));

    [Fact]
    public async Task PXW2007_exit() => await VerifyAsync(Members("""
            public void Stop()
            {
                {|PXW2007:Environment.Exit(1)|};
                _count = Environment.ProcessorCount;
            }
        """));

    [Fact]
    public async Task PXW2008_reflection_emit_and_dynamic() => await VerifyAsync("using System.Reflection.Emit;\n" + Members("""
            public object Generate(dynamic value)
            {
                var method = {|PXW2008:new DynamicMethod("m", typeof(int), Type.EmptyTypes)|};
                _ = method;
                return {|PXW2008:value.Frobnicate(1)|};
            }
        """));

    [Fact]
    public async Task Sandbox_rules_also_apply_in_hooks_next_to_hot_path_rules() => await VerifyAsync(Code.Hook("""
                {|PXW2006:Console.WriteLine("in hook")|};
        """));

    [Fact]
    public async Task Projects_without_an_HttpFilter_are_not_checked()
    {
        var compilation = Compile(Code.Usings + """
            public static class TestHelpers
            {
                public static void Wait() { Thread.Sleep(1); Console.WriteLine("test output"); Task.Run(() => { }).Wait(); }
            }
            """);
        Assert.Empty(await AnalyzeAsync(compilation));
    }

    [Fact]
    public async Task Console_fix_property_only_for_a_single_string_argument()
    {
        var d = await VerifyAsync(Members("""
                public void Print()
                {
                    {|PXW2006:Console.WriteLine("hello")|};
                    {|PXW2006:Console.Error.WriteLine(_name)|};
                    {|PXW2006:Console.WriteLine(_count)|};
                }
            """));
        Assert.Equal(new[] { "Info", "Error", null }, d.Select(x => x.Properties.TryGetValue("PxwValue", out var v) ? v : null));
    }
}
