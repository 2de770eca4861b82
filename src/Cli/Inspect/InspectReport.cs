using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using ProxyWasm.Abi;
using ProxyWasm.Cli.Loading;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Inspect;

/// <summary>What <c>proxywasm inspect</c> prints, as text or JSON.</summary>
internal static class InspectReport
{
    public static void WriteText(AssemblyManifest manifest, TextWriter output)
    {
        FilterModule module = manifest.Module;
        output.WriteLine($"module {module.Name} ({FilterTargets.Relative(module.Path)})");
        output.WriteLine($"runtime: ProxyWasm.Runtime {module.ReferencedRuntime?.ToString() ?? "(not referenced)"}");
        foreach ((FilterInfo filter, IReadOnlyList<string> hostFunctions) in manifest.Filters)
        {
            output.WriteLine();
            output.WriteLine($"filter {TypeNames.Display(filter.Type)}");
            output.WriteLine($"  kind:               {filter.KindName}");
            output.WriteLine($"  root id:            \"{filter.RootId}\"");
            output.WriteLine($"  on error:           {filter.OnError}");
            output.WriteLine($"  plugin:             {(filter.Plugin is null ? "(none)" : TypeNames.Display(filter.Plugin))}");
            output.WriteLine($"  configuration:      {filter.Configuration ?? "(none)"}");
            output.WriteLine($"  vm configuration:   {filter.VmConfiguration ?? "(none)"}");
            output.WriteLine(filter.Hooks.Count == 0 ? "  hooks:              (none)" : "  hooks:");
            foreach (HookInfo hook in filter.Hooks)
            {
                output.WriteLine($"    {Short(hook.DeclaringType)}.{hook.Method} [{hook.Attribute}] -> {hook.Export ?? "(not an ABI v0.2.1 hook)"}");
            }

            output.WriteLine($"  host functions:     {List(hostFunctions)}");
        }

        output.WriteLine();
        output.WriteLine($"exports ({manifest.Exports.Count}):");
        foreach (string export in manifest.Exports)
        {
            output.WriteLine("  " + export);
        }

        output.WriteLine();
        output.WriteLine($"host functions the module can call ({manifest.HostFunctions.Count}):");
        foreach (string name in manifest.HostFunctions)
        {
            output.WriteLine("  " + name);
        }
    }

    public static JsonObject ToJson(AssemblyManifest manifest)
    {
        FilterModule module = manifest.Module;
        return new JsonObject
        {
            ["kind"] = "assembly",
            ["path"] = module.Path,
            ["project"] = manifest.Project,
            ["module"] = module.Name,
            ["runtime"] = module.ReferencedRuntime?.ToString(),
            ["toolRuntime"] = FilterModule.ToolRuntime.ToString(),
            ["filters"] = new JsonArray(manifest.Filters.Select(entry => (JsonNode)new JsonObject
            {
                ["type"] = TypeNames.Display(entry.Filter.Type),
                ["kind"] = entry.Filter.Kind == FilterKind.Http ? "http" : "network",
                ["rootId"] = entry.Filter.RootId,
                ["onError"] = entry.Filter.OnError,
                ["plugin"] = entry.Filter.Plugin is null ? null : TypeNames.Display(entry.Filter.Plugin),
                ["configuration"] = entry.Filter.Configuration,
                ["vmConfiguration"] = entry.Filter.VmConfiguration,
                ["hooks"] = new JsonArray(entry.Filter.Hooks.Select(h => (JsonNode)new JsonObject
                {
                    ["type"] = h.DeclaringType,
                    ["method"] = h.Method,
                    ["attribute"] = h.Attribute,
                    ["export"] = h.Export,
                    ["onPlugin"] = h.OnPlugin,
                }).ToArray()),
                ["hostFunctions"] = Text.Names(entry.HostFunctions),
            }).ToArray()),
            ["exports"] = Text.Names(manifest.Exports),
            ["hostFunctions"] = Text.Names(manifest.HostFunctions),
        };
    }

    public static void WriteText(NativeManifest manifest, TextWriter output)
    {
        output.WriteLine($"native module {FilterTargets.Relative(manifest.Path)} (ELF shared library, dynamic symbols)");
        output.WriteLine();
        output.WriteLine($"exports ({manifest.Exports.Count}):");
        foreach (string name in manifest.Exports)
        {
            output.WriteLine("  " + name);
        }

        output.WriteLine();
        output.WriteLine($"imports: undefined host functions ({manifest.Imports.Count}):");
        foreach (string name in manifest.Imports)
        {
            output.WriteLine("  " + name);
        }

        output.WriteLine();
        output.WriteLine($"other exports: {List(manifest.OtherExports)}");
    }

    public static JsonObject ToJson(NativeManifest manifest) => new()
    {
        ["kind"] = "native",
        ["path"] = manifest.Path,
        ["exports"] = Text.Names(manifest.Exports),
        ["imports"] = Text.Names(manifest.Imports),
        ["otherExports"] = Text.Names(manifest.OtherExports),
    };

    public static void WriteText(WasmManifest manifest, TextWriter output)
    {
        output.WriteLine($"wasm module {FilterTargets.Relative(manifest.Path)}");
        output.WriteLine(manifest.Envoy.Verdict);
        if (!manifest.Envoy.Loadable)
        {
            foreach (string error in manifest.Envoy.Errors)
            {
                output.WriteLine("  " + error);
            }
        }

        output.WriteLine();
        output.WriteLine($"exports ({manifest.Module.Exports.Count}):");
        foreach (WasmExport export in manifest.Module.Exports)
        {
            output.WriteLine($"  {export.Name} ({export.Kind}{(export.Signature is null ? string.Empty : " " + export.Signature)})");
        }

        output.WriteLine();
        output.WriteLine($"imports ({manifest.Module.Imports.Count}):");
        foreach (WasmImport import in manifest.Module.Imports)
        {
            output.WriteLine($"  {import.Module}.{import.Name} ({import.Kind}{(import.Signature is null ? string.Empty : " " + import.Signature)})");
        }
    }

    public static JsonObject ToJson(WasmManifest manifest) => new()
    {
        ["kind"] = "wasm",
        ["path"] = manifest.Path,
        ["envoy"] = new JsonObject
        {
            ["loadable"] = manifest.Envoy.Loadable,
            ["abi"] = manifest.Envoy.AbiVersion,
            ["verdict"] = manifest.Envoy.Verdict,
            ["errors"] = Text.Names(manifest.Envoy.Errors),
        },
        ["exports"] = new JsonArray(manifest.Module.Exports.Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.Name,
            ["kind"] = e.Kind,
            ["signature"] = e.Signature,
        }).ToArray()),
        ["imports"] = new JsonArray(manifest.Module.Imports.Select(i => (JsonNode)new JsonObject
        {
            ["module"] = i.Module,
            ["name"] = i.Name,
            ["kind"] = i.Kind,
            ["signature"] = i.Signature,
        }).ToArray()),
    };

    private static string List(IReadOnlyCollection<string> names) => names.Count == 0 ? "(none)" : string.Join(", ", names);

    /// <summary>The type's name without its namespace.</summary>
    private static string Short(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..];
}
