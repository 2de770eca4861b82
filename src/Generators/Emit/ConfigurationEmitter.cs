using ProxyWasm.Abi;
using ProxyWasm.Generators.Helpers;

namespace ProxyWasm.Generators.Filters;

/// <summary>
/// Emits the glue of a typed configuration: <c>OnConfigure</c> (or <c>OnVmStart</c>) reads the buffer, deserializes it
/// with the project's source-generated <c>JsonTypeInfo</c> (or the type's plain-text reader), answers false with one
/// error log line when that fails, then calls the plugin's hook, if any, and keeps the plugin configuration for the
/// hooks that take it.
/// </summary>
internal static class ConfigurationEmitter
{
    private const string Runtime = "global::ProxyWasm.";
    private const string Generated = "global::ProxyWasm.Generated.";

    /// <param name="w">The glue class being written.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="configuration">The configuration read (the filter's, or the plugin's VM configuration).</param>
    /// <param name="hook">The plugin's hook of the callback, or null.</param>
    /// <param name="vm">The VM configuration (<c>proxy_on_vm_start</c>), which is passed to the hook and not kept.</param>
    public static void EmitConfigure(SourceWriter w, FilterModel filter, ConfigurationModel configuration, HookModel? hook, bool vm)
    {
        ProxyCallback callback = vm ? ProxyCallbacks.VmStart : ProxyCallbacks.Configure;
        string buffer = vm ? "VM configuration" : "plugin configuration";
        string what = $"\"{FilterEmitter.Escape(filter.RootId)}: {buffer}\"u8";
        string type = configuration.TypeName;
        string name = hook is null ? string.Empty : $"\"{filter.Plugin!.DisplayName}.{hook.MethodName}\"u8";

        w.Line($"/// <summary><c>{callback.Export}</c>: reads the {buffer} as <c>{type.Replace("global::", string.Empty)}</c> (JSON){(hook is null ? string.Empty : $", then calls <c>{filter.Plugin!.DisplayName}.{hook.MethodName}</c>")}.</summary>");
        w.Line("/// <returns>False, after one error log line, when the configuration is rejected: Envoy then rejects the plugin.</returns>");
        using (w.Block($"internal static bool {callback.Hook}(in {Generated}ContextEntry root{Abi.TrailingParameters(callback)})"))
        {
            using (w.Block("if (root.PluginSlot < 0)"))
            {
                w.Line("// The plugin's constructor threw.");
                w.Line("return false;");
            }

            w.Blank();
            using (w.Block("try"))
            {
                w.Line($"global::System.ReadOnlySpan<byte> bytes = {Runtime}Plugin.{(vm ? "GetVmConfiguration" : "GetConfiguration")}();");
                w.Line($"{type} configuration;");
                string read = $"!{Generated}ConfigurationReader.TryRead(bytes, \"{configuration.EmptyJson}\"u8, {configuration.TypeInfo}, {what}, out configuration)";
                if (configuration.PlainText)
                {
                    w.Line($"bool read = {Generated}ConfigurationReader.IsPlainText(bytes)");
                    using (w.Indented())
                    {
                        w.Line($"? {Generated}ConfigurationReader.TryReadPlainText(bytes, {what}, out configuration)");
                        w.Line($": {read.Substring(1)};");
                    }

                    using (w.Block("if (!read)"))
                    {
                        w.Line("return false;");
                    }
                }
                else
                {
                    using (w.Block($"if ({read})"))
                    {
                        w.Line("return false;");
                    }
                }

                w.Blank();
                if (hook is not null)
                {
                    FilterEmitter.EmitLocals(w, hook, filter, "root", "configuration");
                    string call = $"Plugins[root.PluginSlot]!.{hook.MethodName}({FilterEmitter.Arguments(hook, filter, "root", "configuration")})";
                    if (hook.Return == ReturnBinding.Bool)
                    {
                        using (w.Block($"if (!{call})"))
                        {
                            w.Line("return false;");
                        }
                    }
                    else
                    {
                        w.Line(call + ";");
                    }

                    w.Blank();
                }

                if (!vm)
                {
                    w.Line("Configurations[root.PluginSlot] = configuration;");
                }

                w.Line("return true;");
            }

            using (w.Block("catch (global::System.Exception exception)"))
            {
                w.Line($"{Generated}HookFailures.Report(exception, {(hook is null ? $"\"{callback.Export}\"u8" : name)});");
                w.Line("return false;");
            }
        }
    }
}
