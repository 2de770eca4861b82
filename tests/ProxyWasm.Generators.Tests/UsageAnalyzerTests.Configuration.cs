using System.Threading.Tasks;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>Usage rules for typed configuration and bound parameters: a configuration type without a
/// JsonSerializerContext (PXW0020) or that cannot be one (PXW0021), [Header] and [Property] parameters that cannot be
/// filled (PXW0022), header names that never match (PXW0023), paths that are not Envoy attributes (PXW0024), and the
/// shapes that bind without a diagnostic.</summary>
public sealed partial class UsageAnalyzerTests
{
    private const string ContextAdvice = "add it, e.g. '[JsonSerializable(typeof(Settings))] internal partial class ConfigurationJson : JsonSerializerContext;'";

    [Fact]
    public Task PXW0020_configuration_types_without_a_json_context() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public sealed class Settings { public string Name { get; set; } = ""; }

        [[|HttpFilter("cfg", Configuration = typeof(Settings))|]]
        public partial class Cfg
        {
            [OnRequestHeaders] public void Headers(Settings configuration) { }
        }

        public sealed class P
        {
            [OnVmStart] public bool Start(Settings [|configuration|]) => true;
            [OnConfigure] public bool Configure(Settings [|configuration|]) => true;
        }

        [HttpFilter("with_plugin", Plugin = typeof(P))]
        public partial class WithPlugin
        {
            [OnRequestHeaders] public void Headers(Settings configuration) { }
        }
        """,
        glue: None,
        ("PXW0020", "The glue deserializes the configuration type 'Settings' with System.Text.Json source generation, but no JsonSerializerContext of this project has [JsonSerializable(typeof(Settings))]: " + ContextAdvice),
        ("PXW0020", "The glue deserializes the configuration type 'Settings' with System.Text.Json source generation, but no JsonSerializerContext of this project has [JsonSerializable(typeof(Settings))]: " + ContextAdvice),
        ("PXW0020", "The glue deserializes the configuration type 'Settings' with System.Text.Json source generation, but no JsonSerializerContext of this project has [JsonSerializable(typeof(Settings))]: " + ContextAdvice));

    [Fact]
    public Task PXW0021_interface_abstract_delegate_and_unbound_generic_configuration_types() => Verify("""
        using System;
        using System.Collections.Generic;
        using ProxyWasm;

        namespace Filters;

        public interface ISettings { }

        public abstract class SettingsBase { }

        [[|HttpFilter("i", Configuration = typeof(ISettings))|]]
        public partial class I
        {
            [OnRequestHeaders] public void Headers(ISettings configuration) { }
        }

        [[|HttpFilter("a", Configuration = typeof(SettingsBase))|]]
        public partial class A
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [[|HttpFilter("d", Configuration = typeof(Action))|]]
        public partial class D
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [[|HttpFilter("l", Configuration = typeof(List<>))|]]
        public partial class L
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [[|HttpFilter("m", Configuration = typeof(Dictionary<,>))|]]
        public partial class M
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0021", "'ISettings' cannot be a configuration type: System.Text.Json cannot create an interface other than the collection interfaces; use a class or record"),
        ("PXW0021", "'SettingsBase' cannot be a configuration type: System.Text.Json cannot create an abstract class; use a concrete class or record"),
        ("PXW0021", "'Action' cannot be a configuration type: a delegate cannot be deserialized; use a class or record"),
        ("PXW0021", "'List<>' cannot be a configuration type: an unbound generic type has no instances; write its type argument, e.g. typeof(List<MySettings>)"),
        ("PXW0021", "'Dictionary<,>' cannot be a configuration type: an unbound generic type has no instances; write its type arguments, e.g. typeof(Dictionary<TKey, TValue>) with a concrete type for each"));

    [Fact]
    public Task PXW0021_ref_struct_and_private_configuration_types() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public ref struct Window { }

        public sealed class P
        {
            [OnConfigure] public bool Configure(Window [|configuration|]) => true;
        }

        [HttpFilter("r", Plugin = typeof(P))]
        public partial class R
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [[|HttpFilter("h", Configuration = typeof(H.Hidden))|]]
        public partial class H
        {
            private sealed class Hidden { }

            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0021", "'Window' cannot be a configuration type: a ref struct cannot be kept between callbacks; use a class, record or struct"),
        ("PXW0021", "'Hidden' cannot be a configuration type: 'Hidden' is private, so the glue cannot name it; make it public or internal"));

    [Fact]
    public Task PXW0021_configuration_on_a_filter_with_a_plugin_names_the_plugin_hook_instead() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public sealed class Settings { }

        public sealed class Q
        {
            [OnTick] public void Tick() { }
        }

        [[|HttpFilter("both", Plugin = typeof(Q), Configuration = typeof(Settings))|]]
        public partial class Both
        {
            [OnRequestHeaders] public void Headers(Settings configuration) { }
        }
        """,
        glue: None,
        ("PXW0021", "'Settings' cannot be a configuration type: the filter has the plugin 'Q', which reads the configuration itself: remove Configuration = typeof(Settings) and declare it as the parameter of the plugin's [OnConfigure] hook, 'public bool Configure(Settings configuration)'"));

    [Fact]
    public Task PXW0021_a_generic_plugin_is_checked_with_the_type_arguments_the_filters_give() => Verify("""
        using ProxyWasm;

        namespace Filters;

        public interface ISettings { }

        public sealed class P<T>
        {
            [OnConfigure] public bool Configure(T [|configuration|]) => true;
        }

        [HttpFilter("one", Plugin = typeof(P<ISettings>))]
        public partial class One
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [HttpFilter("two", Plugin = typeof(P<ISettings>))]
        public partial class Two
        {
            [OnRequestHeaders] public void Headers() { }
        }
        """,
        glue: None,
        ("PXW0021", "'ISettings' cannot be a configuration type: System.Text.Json cannot create an interface other than the collection interfaces; use a class or record"));

    [Fact]
    public Task PXW0022_header_parameter_types_and_modifiers() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("h")]
        public partial class H
        {
            [OnRequestHeaders] public void Headers([[|Header("x-id")|]] string id, [[|Header("x-trace")|]] in ReadOnlySpan<byte> trace) { }
        }
        """,
        glue: None,
        ("PXW0022", "[Header] parameter 'id' of type 'string' cannot be filled in [OnRequestHeaders]: declare it by value as ReadOnlySpan<byte> (the value, empty when absent), OptionalBytes (the value and whether it exists) or bool (whether it exists)"),
        ("PXW0022", "[Header] parameter 'trace' of type 'ReadOnlySpan<byte>' cannot be filled in [OnRequestHeaders]: declare it by value as ReadOnlySpan<byte> (the value, empty when absent), OptionalBytes (the value and whether it exists) or bool (whether it exists)"));

    [Fact]
    public Task PXW0022_header_in_a_hook_without_a_header_direction_suggests_the_property() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("h")]
        public partial class H
        {
            [OnLog] public void Log([[|Header("x")|]] ReadOnlySpan<byte> value, [[|Header("x-b")|]] bool present) { }
            [OnStreamDone] public void Done([[|Header("x-id")|]] string id, [[|Header("y")|]] OptionalBytes y) { }
        }
        """,
        glue: None,
        ("PXW0022", "[Header] parameter 'value' of type 'ReadOnlySpan<byte>' cannot be filled in [OnLog]: [OnLog] has no header direction; bind it in a request or response hook, or write [Property(\"request.headers.x\")] (or \"response.headers.x\") here"),
        ("PXW0022", "[Header] parameter 'present' of type 'bool' cannot be filled in [OnLog]: [OnLog] has no header direction; bind it in a request or response hook, or write [Property(\"request.headers.x-b\")] OptionalBytes present (or \"response.headers.x-b\") here and test present.HasValue"),
        ("PXW0022", "[Header] parameter 'id' of type 'string' cannot be filled in [OnStreamDone]: [OnStreamDone] has no header direction; bind it in a request or response hook, or write [Property(\"request.headers.x-id\")] ReadOnlySpan<byte> id (or \"response.headers.x-id\") here"),
        ("PXW0022", "[Header] parameter 'y' of type 'OptionalBytes' cannot be filled in [OnStreamDone]: [OnStreamDone] has no header direction; bind it in a request or response hook, or write [Property(\"request.headers.y\")] (or \"response.headers.y\") here"));

    [Fact]
    public Task PXW0022_header_on_a_plugin_hook_and_in_a_network_filter() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        public sealed class P
        {
            [OnTick] public void Tick([[|Header("x")|]] ReadOnlySpan<byte> value) { }
        }

        [HttpFilter("p", Plugin = typeof(P))]
        public partial class WithPlugin
        {
            [OnRequestHeaders] public void Headers() { }
        }

        [NetworkFilter("tcp")]
        public partial class Tcp
        {
            [OnDownstreamData] public void Data([[|Header("x")|]] bool present) { }
        }
        """,
        glue: None,
        ("PXW0022", "[Header] parameter 'value' of type 'ReadOnlySpan<byte>' cannot be filled in [OnTick]: a plugin hook runs outside any stream, so it has no headers; bind it in a request or response hook of the filter type"),
        ("PXW0022", "[Header] parameter 'present' of type 'bool' cannot be filled in [OnDownstreamData]: a TCP connection has no HTTP headers; remove it, or read headers in an [HttpFilter] type"));

    [Fact]
    public Task PXW0022_property_type_must_carry_the_attribute_kind() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("p")]
        public partial class Props
        {
            [OnResponseHeaders]
            public void Headers(
                [[|Property("response.code")|]] string code,
                [[|Property("response.code")|]] int status,
                [[|Property("upstream.num_endpoints")|]] long endpoints,
                [[|Property("request.path")|]] long path,
                [[|Property("request.headers.x-size")|]] long size) { }
        }
        """,
        glue: None,
        ("PXW0022", "[Property] parameter 'code' of type 'string' cannot be filled in [OnResponseHeaders]: \"response.code\" is an int attribute: declare it by value as long, long?, ReadOnlySpan<byte> or OptionalBytes"),
        ("PXW0022", "[Property] parameter 'status' of type 'int' cannot be filled in [OnResponseHeaders]: \"response.code\" is an int attribute: declare it by value as long, long?, ReadOnlySpan<byte> or OptionalBytes"),
        ("PXW0022", "[Property] parameter 'endpoints' of type 'long' cannot be filled in [OnResponseHeaders]: \"upstream.num_endpoints\" is a uint attribute: declare it by value as ulong, ulong?, ReadOnlySpan<byte> or OptionalBytes"),
        ("PXW0022", "[Property] parameter 'path' of type 'long' cannot be filled in [OnResponseHeaders]: \"request.path\" is a string attribute: declare it by value as ReadOnlySpan<byte> or OptionalBytes"),
        ("PXW0022", "[Property] parameter 'size' of type 'long' cannot be filled in [OnResponseHeaders]: \"request.headers.x-size\" is a key under \"request.headers\", which Envoy returns as bytes: declare it by value as ReadOnlySpan<byte> or OptionalBytes"));

    [Fact]
    public Task PXW0023_upper_case_header_names_suggest_the_lower_case_name() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("h")]
        public partial class H
        {
            [OnRequestHeaders] public void Headers([[|Header("X-Request-Id")|]] ReadOnlySpan<byte> id, [[|Header(":Authority")|]] OptionalBytes authority) { }
        }
        """,
        glue: None,
        ("PXW0023", "Header name \"X-Request-Id\" has upper-case letters, but Envoy stores header names in lower case, so it never matches: write \"x-request-id\""),
        ("PXW0023", "Header name \":Authority\" has upper-case letters, but Envoy stores header names in lower case, so it never matches: write \":authority\""));

    [Fact]
    public Task PXW0023_header_names_that_are_not_tokens() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("h")]
        public partial class H
        {
            [OnResponseHeaders]
            public void Headers([[|Header("x foo")|]] bool a, [[|Header("X:Trace Id ")|]] bool b, [[|Header("::path")|]] bool c, [[|Header(" ")|]] bool d) { }
        }
        """,
        glue: None,
        ("PXW0023", "Header name \"x foo\" contains ' ', which a header name (an RFC 9110 token) cannot contain: write \"x-foo\""),
        ("PXW0023", "Header name \"X:Trace Id \" contains ':', which a header name (an RFC 9110 token) cannot contain: write \"x-trace-id\""),
        ("PXW0023", "Header name \"::path\" contains ':', which a header name (an RFC 9110 token) cannot contain: write \":path\""),
        ("PXW0023", "Header name \" \" contains ' ', which a header name (an RFC 9110 token) cannot contain: write a lower-case name such as \"x-request-id\""));

    [Fact]
    public Task PXW0023_empty_header_names() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("h")]
        public partial class H
        {
            [OnRequestBody] public void Body([[|Header("")|]] bool a, [[|Header(":")|]] bool b) { }
        }
        """,
        glue: None,
        ("PXW0023", "Header name \"\" is empty: write a lower-case name such as \"x-request-id\""),
        ("PXW0023", "Header name \":\" is only the colon of a pseudo-header: write a pseudo-header such as \":authority\", or a lower-case name such as \"x-request-id\""));

    [Fact]
    public Task PXW0024_misspelt_attribute_lists_the_attributes_of_its_group() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("p")]
        public partial class Props
        {
            [OnRequestHeaders] public void Headers([[|Property("request.pth")|]] ReadOnlySpan<byte> path) { }
        }
        """,
        glue: new[] { "Filters.Props" },
        ("PXW0024", "\"request.pth\" is not an Envoy attribute, so the host will not find it and the parameter gets its empty value: the request attributes are request.path, request.url_path, request.host, request.scheme, request.method, request.headers, request.headers_bytes, request.referer, request.useragent, request.time, request.id, request.protocol, request.query, request.duration, request.size, request.total_size; keys go under request.headers.*"));

    [Fact]
    public Task PXW0024_unknown_group_lists_the_groups_and_open_prefixes() => Verify("""
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("p")]
        public partial class Props
        {
            [OnLog] public void Log([[|Property("foo.bar")|]] OptionalBytes value) { }
        }
        """,
        glue: new[] { "Filters.Props" },
        ("PXW0024", "\"foo.bar\" is not an Envoy attribute, so the host will not find it and the parameter gets its empty value: Envoy's attributes start with request, response, source, destination, connection, upstream, metadata, filter_state, upstream_filter_state, xds, plugin_name, plugin_root_id, plugin_vm_id, node, cluster_name, cluster_metadata, listener_direction, listener_metadata, route_name, route_metadata, upstream_host_metadata; keys go under request.headers.*, response.headers.*, response.trailers.*, upstream.locality.*, metadata.*, filter_state.*, upstream_filter_state.*, xds.node.*, xds.cluster_metadata.*, xds.listener_metadata.*, xds.route_metadata.*, xds.virtual_host_metadata.*, xds.upstream_host_metadata.*, xds.upstream_host_locality_metadata.*, node.*, cluster_metadata.*, listener_metadata.*, route_metadata.*, upstream_host_metadata.*"));

    [Fact]
    public Task PXW0012_the_same_header_twice() => Verify("""
        using System;
        using ProxyWasm;

        namespace Filters;

        [HttpFilter("h")]
        public partial class H
        {
            [OnRequestHeaders] public void Headers([Header("x")] ReadOnlySpan<byte> value, [Header("x")] bool [|present|]) { }
        }
        """,
        glue: None,
        ("PXW0012", "Parameter 'present' of 'Headers' receives the same value as parameter 'value': remove one of them"));

    [Fact]
    public Task Typed_configuration_header_and_property_parameters_bind_without_a_diagnostic() => Verify("""
        using System;
        using System.Text.Json.Serialization;
        using ProxyWasm;

        namespace Filters;

        public sealed class Settings { public string Name { get; set; } = ""; }

        public sealed class VmSettings { public int Size { get; set; } }

        [JsonSerializable(typeof(Settings))]
        [JsonSerializable(typeof(VmSettings))]
        internal partial class ConfigurationJson : JsonSerializerContext;

        public sealed class P
        {
            [OnVmStart] public bool Start(VmSettings configuration) => configuration.Size > 0;
            [OnConfigure] public bool Configure(Settings configuration) => configuration.Name.Length > 0;
            [OnTick] public void Tick(Settings configuration, [Property("plugin_name")] ReadOnlySpan<byte> name) { }
        }

        [HttpFilter("typed", Plugin = typeof(P))]
        public partial class Typed
        {
            [OnRequestHeaders]
            public void Headers(
                RequestHeaders headers,
                Settings configuration,
                [Header(":authority")] OptionalBytes authority,
                [Header("x-debug")] bool debug,
                [Property("source.port")] long? port,
                [Property("request.headers.x-foo")] ReadOnlySpan<byte> foo,
                [Property("metadata", "filter_metadata", "envoy.lb")] ReadOnlySpan<byte> lb) { }

            [OnRequestBody] public void Body([Header("content-type")] ReadOnlySpan<byte> type, P plugin) { }

            [OnResponseHeaders] public void Response(Settings configuration, [Header(":status")] ReadOnlySpan<byte> status, [Property("response.code")] long code) { }

            [OnLog] public void Log([Property("request.time")] DateTimeOffset? time, [Property("request.duration")] TimeSpan duration, [Property("response.headers")] HeaderPairs headers) { }
        }
        """,
        glue: new[] { "Filters.Typed" });

    [Fact]
    public Task Collection_configuration_types_bind_without_a_diagnostic() => Verify("""
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using ProxyWasm;

        namespace Filters;

        public sealed class Route { public string Prefix { get; set; } = ""; }

        [JsonSerializable(typeof(IReadOnlyList<Route>))]
        [JsonSerializable(typeof(Route[]))]
        internal partial class RoutesJson : JsonSerializerContext;

        [HttpFilter("list", Configuration = typeof(IReadOnlyList<Route>))]
        public partial class ListFilter
        {
            [OnRequestHeaders] public void Headers(IReadOnlyList<Route> routes) { }
        }

        [HttpFilter("array", Configuration = typeof(Route[]))]
        public partial class ArrayFilter
        {
            [OnRequestHeaders] public void Headers(Route[] routes) { }
        }
        """,
        glue: new[] { "Filters.ArrayFilter", "Filters.ListFilter" });

    [Fact]
    public Task Generic_plugin_with_a_concrete_configuration_binds_without_a_diagnostic() => Verify("""
        using System.Text.Json.Serialization;
        using ProxyWasm;

        namespace Filters;

        public sealed class Settings { public string Name { get; set; } = ""; }

        [JsonSerializable(typeof(Settings))]
        internal partial class ConfigurationJson : JsonSerializerContext;

        public sealed class P<T>
        {
            [OnConfigure] public bool Configure(T configuration) => configuration is not null;
        }

        [HttpFilter("generic", Plugin = typeof(P<Settings>))]
        public partial class Generic
        {
            [OnRequestHeaders] public void Headers(Settings configuration) { }
        }
        """,
        glue: new[] { "Filters.Generic" });
}
