using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ProxyWasm.Cli.Tests;

/// <summary>The filter assemblies the manifests tests read.</summary>
internal static class FilterAssemblies
{
    private static readonly Lazy<string> Emitted = new(EmitFilters);

    /// <summary>The repository root (the directory with ProxyWasm.Generators.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>samples/HelloWorld: one HTTP filter, root id hello_world.</summary>
    public static string HelloWorld => Sample("HelloWorld");

    /// <summary>samples/SharedQueue: receiver and sender (HTTP), sender_tcp (network).</summary>
    public static string SharedQueue => Sample("SharedQueue");

    /// <summary>samples/AddHeader: add_header, with Configuration = typeof(AddHeaderConfiguration).</summary>
    public static string AddHeader => Sample("AddHeader");

    /// <summary>ProxyWasm.Runtime.dll: an assembly without filters (it only defines the attributes).</summary>
    public static string Runtime => Path.Combine(AppContext.BaseDirectory, "ProxyWasm.Runtime.dll");

    /// <summary>
    /// An assembly written with PersistedAssemblyBuilder, with what the samples lack: <c>open_http</c>
    /// (HttpFilter, OnError FailOpen, Plugin and Configuration), <c>open_tcp</c> (NetworkFilter, FailOpen) and
    /// <c>nested</c> (on a nested class, OnError FailClosed written out).
    /// </summary>
    public static string WithFailOpen => Emitted.Value;

    private static string Sample(string name)
    {
        // The test assembly is in tests/ProxyWasm.Cli.Tests/bin/<configuration>/net10.0/; the samples it builds first
        // (ProjectReference, ReferenceOutputAssembly=false) are in samples/<name>/bin/<configuration>/net10.0/.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string path = Path.Combine(RepositoryRoot, "samples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project builds it (ProjectReference)");
        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProxyWasm.Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ProxyWasm.Generators.sln not found above " + AppContext.BaseDirectory);
    }

    private static string EmitFilters()
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("EmittedFilters"), typeof(object).Assembly);
        ModuleBuilder module = assembly.DefineDynamicModule("EmittedFilters");
        Type settings = module.DefineType("Emitted.Settings", TypeAttributes.Public | TypeAttributes.Sealed).CreateType();
        Type plugin = module.DefineType("Emitted.OpenPlugin", TypeAttributes.Public | TypeAttributes.Sealed).CreateType();

        TypeBuilder http = module.DefineType("Emitted.OpenHttp", TypeAttributes.Public);
        http.SetCustomAttribute(Attribute<HttpFilterAttribute>("open_http", ("OnError", FailurePolicy.FailOpen), ("Plugin", plugin), ("Configuration", settings)));
        http.CreateType();

        TypeBuilder tcp = module.DefineType("Emitted.OpenTcp", TypeAttributes.Public);
        tcp.SetCustomAttribute(Attribute<NetworkFilterAttribute>("open_tcp", ("OnError", FailurePolicy.FailOpen)));
        tcp.CreateType();

        TypeBuilder outer = module.DefineType("Emitted.Outer", TypeAttributes.Public);
        TypeBuilder inner = outer.DefineNestedType("Inner", TypeAttributes.NestedPublic);
        inner.SetCustomAttribute(Attribute<HttpFilterAttribute>("nested", ("OnError", FailurePolicy.FailClosed)));
        outer.CreateType();
        inner.CreateType();

        // Beside the test assembly (rewritten by every run) rather than in /tmp, where it would pile up.
        string directory = Path.Combine(AppContext.BaseDirectory, "emitted");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "EmittedFilters.dll");
        assembly.Save(path);
        return path;
    }

    private static CustomAttributeBuilder Attribute<T>(string rootId, params (string Name, object Value)[] named)
    {
        PropertyInfo[] properties = named.Select(n => typeof(T).GetProperty(n.Name)!).ToArray();
        return new CustomAttributeBuilder(typeof(T).GetConstructor([typeof(string)])!, [rootId], properties, named.Select(n => n.Value).ToArray());
    }
}

/// <summary>YAML read back with YamlDotNet's representation model.</summary>
internal static class YamlRead
{
    /// <summary>The documents of a YAML stream.</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode)).ToArray();
    }

    /// <summary>The node at a path of mapping keys and sequence indexes (<c>"spec", "configPatches", "0"</c>).</summary>
    public static YamlNode At(this YamlNode node, params string[] path)
    {
        foreach (string step in path)
        {
            node = node switch
            {
                YamlMappingNode map => map.Children.TryGetValue(new YamlScalarNode(step), out YamlNode? child)
                    ? child
                    : throw new Xunit.Sdk.XunitException($"no key '{step}' (keys: {string.Join(", ", map.Children.Keys)})"),
                YamlSequenceNode list => list.Children[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)],
                _ => throw new Xunit.Sdk.XunitException($"'{step}': {node} is a scalar"),
            };
        }

        return node;
    }

    /// <summary>The scalar at a path.</summary>
    public static string Text(this YamlNode node, params string[] path) => Assert.IsType<YamlScalarNode>(node.At(path)).Value!;

    /// <summary>Whether the mapping at the path has <paramref name="key"/>.</summary>
    public static bool Has(this YamlNode node, string key) =>
        Assert.IsType<YamlMappingNode>(node).Children.ContainsKey(new YamlScalarNode(key));

    /// <summary>The keys of the mapping, in order.</summary>
    public static string[] Keys(this YamlNode node) =>
        Assert.IsType<YamlMappingNode>(node).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToArray();

    /// <summary>
    /// Asserts that the YAML value is the JSON value: same keys in the same order, same items, numbers with the same
    /// text, and every string either quoted or a plain scalar no YAML 1.1 reader takes for a bool, null or number.
    /// </summary>
    public static void AssertSameAs(YamlNode yaml, JsonElement json, string path = "$")
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                var map = Assert.IsType<YamlMappingNode>(yaml);
                Assert.Equal(json.EnumerateObject().Select(p => p.Name), map.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
                foreach (var key in map.Children.Keys.Cast<YamlScalarNode>())
                {
                    AssertString(key, key.Value!, path + " key");
                }

                foreach (JsonProperty property in json.EnumerateObject())
                {
                    AssertSameAs(map.Children[new YamlScalarNode(property.Name)], property.Value, path + "." + property.Name);
                }

                break;
            case JsonValueKind.Array:
                var list = Assert.IsType<YamlSequenceNode>(yaml);
                Assert.Equal(json.GetArrayLength(), list.Children.Count);
                for (int i = 0; i < list.Children.Count; i++)
                {
                    AssertSameAs(list.Children[i], json[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.String:
                AssertString(Assert.IsType<YamlScalarNode>(yaml), json.GetString()!, path);
                break;
            default:
                var scalar = Assert.IsType<YamlScalarNode>(yaml);
                Assert.True(scalar.Style is YamlDotNet.Core.ScalarStyle.Plain, $"{path}: {json.ValueKind} written quoted");
                Assert.Equal(json.ValueKind == JsonValueKind.Null ? "null" : json.GetRawText(), scalar.Value);
                break;
        }
    }

    private static void AssertString(YamlScalarNode scalar, string expected, string path)
    {
        Assert.Equal(expected, scalar.Value);
        if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain)
        {
            string[] yaml11 = ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", ""];
            Assert.False(yaml11.Contains(expected, StringComparer.OrdinalIgnoreCase), $"{path}: '{expected}' is plain: YAML 1.1 reads it as a bool or null");
            Assert.False(double.TryParse(expected.Replace("_", string.Empty), System.Globalization.CultureInfo.InvariantCulture, out _), $"{path}: '{expected}' is plain: it reads as a number");
        }
    }
}
