using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ProxyWasm.Abi;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Loading;

/// <summary>A hook method of a filter or plugin type, and the callback it is bound to.</summary>
/// <param name="DeclaringType">The type that declares it (the filter type or its plugin type).</param>
/// <param name="Method">The method name.</param>
/// <param name="Attribute">The hook attribute without <c>Attribute</c>, e.g. <c>OnRequestHeaders</c>.</param>
/// <param name="Export">The <c>proxy_on_*</c> export it maps to (ProxyCallbacks), or null for an attribute this tool does not know.</param>
/// <param name="OnPlugin">Whether it is declared on the plugin type.</param>
internal sealed record HookInfo(string DeclaringType, string Method, string Attribute, string? Export, bool OnPlugin);

/// <summary>One <c>[HttpFilter]</c> or <c>[NetworkFilter]</c> type, read from its attribute and its methods.</summary>
internal sealed record FilterInfo(
    Type Type,
    FilterKind Kind,
    string RootId,
    Type? Plugin,
    string OnError,
    string? Configuration,
    string? VmConfiguration,
    IReadOnlyList<HookInfo> Hooks)
{
    /// <summary>"HTTP" or "network".</summary>
    public string KindName => Kind == FilterKind.Http ? "HTTP" : "network";
}

/// <summary>A filter assembly loaded in its own <see cref="FilterLoadContext"/> (sharing the tool's runtime), and the
/// filters it declares.</summary>
internal sealed class FilterModule
{
    private const string HttpFilterAttribute = "ProxyWasm.HttpFilterAttribute";
    private const string NetworkFilterAttribute = "ProxyWasm.NetworkFilterAttribute";
    private const string HookAttribute = "ProxyWasm.HookAttribute";

    private FilterModule(string path, Assembly assembly, Version? referencedRuntime, IReadOnlyList<FilterInfo> filters)
    {
        Path = path;
        Assembly = assembly;
        ReferencedRuntime = referencedRuntime;
        Filters = filters;
    }

    /// <summary>The assembly file.</summary>
    public string Path { get; }

    /// <summary>The loaded assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>The assembly's simple name.</summary>
    public string Name => Assembly.GetName().Name ?? System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The ProxyWasm.Runtime version the assembly was compiled against.</summary>
    public Version? ReferencedRuntime { get; }

    /// <summary>The tool's ProxyWasm.Runtime version, the one the filter runs on here.</summary>
    public static Version ToolRuntime => FilterLoadContext.ToolRuntime.GetName().Version ?? new Version(0, 0);

    /// <summary>The filters, in metadata order.</summary>
    public IReadOnlyList<FilterInfo> Filters { get; }

    /// <summary>Every root id, in filter order.</summary>
    public IEnumerable<string> RootIds => Filters.Select(f => f.RootId);

    /// <summary>A sentence saying the filter was compiled against another ProxyWasm.Runtime, or null.</summary>
    public string? RuntimeMismatch => DescribeMismatch(Name, ReferencedRuntime, ToolRuntime);

    /// <summary>The warning for a filter compiled against <paramref name="referenced"/> run on <paramref name="tool"/>,
    /// or null when they are the same version.</summary>
    internal static string? DescribeMismatch(string module, Version? referenced, Version tool) => referenced is not null && referenced != tool
        ? $"{module} was built against ProxyWasm.Runtime {referenced}, but this proxywasm carries ProxyWasm.Runtime {tool} and runs the filter on it (the host and the filter must share one runtime); use the proxywasm version that matches the filter's ProxyWasm.Runtime package"
        : null;

    /// <summary>Loads <paramref name="path"/>. Usage errors (exit 2): not an assembly, no filter.</summary>
    public static FilterModule Load(string path)
    {
        Assembly assembly;
        try
        {
            assembly = new FilterLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException)
        {
            throw CliException.Usage($"{FilterTargets.Relative(path)} is not a .NET assembly");
        }
        catch (FileLoadException error)
        {
            throw CliException.Usage($"could not load {FilterTargets.Relative(path)}: {error.Message}");
        }

        Version? referenced = assembly.GetReferencedAssemblies().FirstOrDefault(n => n.Name == "ProxyWasm.Runtime")?.Version;
        var filters = new List<FilterInfo>();
        foreach (Type type in LoadableTypes(assembly))
        {
            if (Describe(type) is { } filter)
            {
                filters.Add(filter);
            }
        }

        if (filters.Count == 0)
        {
            throw CliException.Usage(referenced is null
                ? $"{FilterTargets.Relative(path)} has no Proxy-Wasm filter: it does not reference ProxyWasm.Runtime"
                : $"{FilterTargets.Relative(path)} has no Proxy-Wasm filter: no [HttpFilter] or [NetworkFilter] type");
        }

        if (assembly.GetType("ProxyWasm.Generated.ProxyWasmModule", throwOnError: false) is null)
        {
            throw CliException.Usage($"{FilterTargets.Relative(path)} declares filters but has no generated glue (ProxyWasm.Generated.ProxyWasmModule): does the project reference the ProxyWasm.Generators generator?");
        }

        return new FilterModule(path, assembly, referenced, filters);
    }

    /// <summary>The filter that serves <paramref name="rootId"/>, or the only one when <paramref name="rootId"/> is null.
    /// Usage errors: unknown root id, or several filters and no root id.</summary>
    public FilterInfo Select(string? rootId)
    {
        string known = string.Join(", ", RootIds.Select(id => $"\"{id}\""));
        if (rootId is null)
        {
            return Filters.Count == 1
                ? Filters[0]
                : throw CliException.Usage($"{Name} has {Filters.Count} root ids ({known}): choose one with --root-id");
        }

        return Filters.FirstOrDefault(f => f.RootId == rootId)
            ?? throw CliException.Usage($"{Name} has no filter with root id \"{rootId}\" (its root ids: {known})");
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException error)
        {
            return error.Types.Where(t => t is not null)!;
        }
    }

    /// <summary>Reads a filter type's attribute by name (CustomAttributeData: no attribute instance is created, so
    /// this works whatever ProxyWasm.Runtime the filter was compiled against).</summary>
    private static FilterInfo? Describe(Type type)
    {
        CustomAttributeData? attribute = type.GetCustomAttributesData()
            .FirstOrDefault(a => a.AttributeType.FullName is HttpFilterAttribute or NetworkFilterAttribute);
        if (attribute is null)
        {
            return null;
        }

        FilterKind kind = attribute.AttributeType.FullName == HttpFilterAttribute ? FilterKind.Http : FilterKind.Network;
        string rootId = attribute.ConstructorArguments.Count > 0 ? attribute.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
        object? Named(string name) => attribute.NamedArguments.FirstOrDefault(n => n.MemberName == name).TypedValue.Value;

        var plugin = Named("Plugin") as Type;
        var configuration = Named("Configuration") as Type;
        string onError = Named("OnError") is int policy ? Enum.GetName(typeof(FailurePolicy), policy) ?? policy.ToString(System.Globalization.CultureInfo.InvariantCulture) : nameof(FailurePolicy.FailClosed);

        var hooks = new List<HookInfo>();
        hooks.AddRange(Hooks(type, onPlugin: false));
        if (plugin is not null)
        {
            hooks.AddRange(Hooks(plugin, onPlugin: true));
        }

        string? pluginConfiguration = configuration is not null ? TypeNames.Display(configuration) : ConfigurationParameter(plugin, "OnConfigure");
        return new FilterInfo(type, kind, rootId, plugin, onError, pluginConfiguration, ConfigurationParameter(plugin, "OnVmStart"), hooks);
    }

    private static IEnumerable<HookInfo> Hooks(Type type, bool onPlugin)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (MethodInfo method in type.GetMethods(all).OrderBy(m => m.MetadataToken))
        {
            foreach (CustomAttributeData data in method.GetCustomAttributesData())
            {
                if (IsHookAttribute(data.AttributeType))
                {
                    string name = data.AttributeType.Name.EndsWith("Attribute", StringComparison.Ordinal) ? data.AttributeType.Name[..^"Attribute".Length] : data.AttributeType.Name;
                    yield return new HookInfo(TypeNames.Display(type), method.Name, name, ProxyCallbacks.ForHook(name)?.Export, onPlugin);
                }
            }
        }
    }

    private static bool IsHookAttribute(Type attribute)
    {
        for (Type? type = attribute.BaseType; type is not null; type = type.BaseType)
        {
            if (type.FullName == HookAttribute)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the plugin's <paramref name="hook"/> method takes as configuration: a JSON type, the raw bytes
    /// (<c>ReadOnlySpan&lt;byte&gt;</c>), or null when there is no such hook or it takes none.</summary>
    private static string? ConfigurationParameter(Type? plugin, string hook)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        MethodInfo? method = plugin?.GetMethods(all).FirstOrDefault(m => m.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "ProxyWasm." + hook + "Attribute"));
        Type? parameter = method?.GetParameters().Select(p => p.ParameterType).FirstOrDefault(t => t != typeof(int) && t != typeof(bool));
        return parameter is null ? null : TypeNames.Display(parameter);
    }
}

/// <summary>Type names as C# writes them.</summary>
internal static class TypeNames
{
    /// <summary><c>Namespace.Outer.Inner</c>, <c>ReadOnlySpan&lt;byte&gt;</c>, <c>List&lt;Namespace.T&gt;</c>.</summary>
    public static string Display(Type type)
    {
        if (type == typeof(ReadOnlySpan<byte>))
        {
            return "ReadOnlySpan<byte>";
        }

        string name = (type.FullName ?? type.Name).Replace('+', '.');
        if (!type.IsGenericType)
        {
            return name;
        }

        int tick = name.IndexOf('`', StringComparison.Ordinal);
        string bare = tick < 0 ? name : name[..tick];
        return bare + "<" + string.Join(", ", type.GetGenericArguments().Select(Display)) + ">";
    }
}
