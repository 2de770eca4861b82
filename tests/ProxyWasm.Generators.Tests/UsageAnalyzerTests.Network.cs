using System.Threading.Tasks;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>Usage rules for network (TCP) filters and the plugin hooks of shared queues and foreign functions: hooks of
/// the wrong kind of filter (PXW0009), what a connection hook can bind (PXW0002) and a type of both kinds (PXW0019).</summary>
public sealed partial class UsageAnalyzerTests
{
    [Fact]
    public Task PXW0009_http_hook_on_a_network_filter_and_connection_hook_on_an_http_filter() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [NetworkFilter("tcp")]
        public partial class Tcp
        {
            [OnRequestHeaders] public void [|Headers|]() { }
            [OnDownstreamData] public void Data() { }
        }

        [HttpFilter("http")]
        public partial class Http
        {
            [OnUpstreamData] public void [|Data|]() { }
        }
        """,
        glue: None,
        ("PXW0009", "[OnRequestHeaders] method 'Headers' is declared on the [NetworkFilter] type Tcp, where no callback reaches it: a [NetworkFilter] type serves TCP connections and its own hooks are OnNewConnection, OnDownstreamData, OnDownstreamConnectionClose, OnUpstreamData, OnUpstreamConnectionClose; move the method to an [HttpFilter] type"),
        ("PXW0009", "[OnUpstreamData] method 'Data' is declared on the [HttpFilter] type Http, where no callback reaches it: an [HttpFilter] type serves HTTP streams and its own hooks are OnRequestHeaders, OnRequestBody, OnRequestTrailers, OnResponseHeaders, OnResponseBody, OnResponseTrailers; move the method to a [NetworkFilter] type"));

    [Fact]
    public Task PXW0002_a_connection_has_no_header_maps_and_no_http_stream() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [NetworkFilter("tcp")]
        public partial class Tcp
        {
            [OnStreamDone] public void Done(RequestHeaders [|headers|]) { }
            [OnDownstreamConnectionClose] public void Closed(PeerType peer, HttpStream [|stream|]) { }
            [OnUpstreamData] public FilterStatus Data(UpstreamData data, NetworkStream connection, int size, bool end) => FilterStatus.Continue;
        }
        """,
        glue: None,
        ("PXW0002", "Parameter 'headers' of type 'RequestHeaders' cannot be bound to [OnStreamDone] method 'Done': remove it, or use parameters of these types, each once and by value: NetworkStream"),
        ("PXW0002", "Parameter 'stream' of type 'HttpStream' cannot be bound to [OnDownstreamConnectionClose] method 'Closed': remove it, or use parameters of these types, each once and by value: PeerType (which side closed), NetworkStream"));

    [Fact]
    public Task PXW0002_queue_ready_takes_the_queue_and_foreign_function_its_arguments() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        public sealed class P
        {
            [OnQueueReady] public void Ready(SharedQueue queue, int [|id|]) { }
            [OnForeignFunction] public void Called(int functionId, ReadOnlySpan<byte> arguments) { }
        }

        [NetworkFilter("tcp", Plugin = typeof(P))]
        public partial class Tcp
        {
            [OnNewConnection] public void Opened(P plugin) { }
        }
        """,
        glue: None,
        ("PXW0002", "Parameter 'id' of type 'int' cannot be bound to [OnQueueReady] method 'Ready': remove it, or use parameters of these types, each once and by value: SharedQueue"));

    [Fact]
    public Task PXW0019_both_filter_attributes() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("audit")]
        [NetworkFilter("audit_tcp")]
        public partial class [|Audit|]
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0019", "'Audit' has both [HttpFilter] and [NetworkFilter], but a filter type serves one kind of stream: keep one attribute, and declare a second type for the other kind"));
}
