using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;
using YamlDotNet.Serialization.NamingConventions;

namespace ProxyWasm.Cli.Manifests;

/// <summary>
/// YAML output with YamlDotNet: properties of the typed resources in camelCase (Istio's field names), dictionary keys
/// as they are (Envoy's snake_case, <c>@type</c>), null properties omitted, JSON numbers written with their JSON text.
/// Strings are double-quoted wherever a YAML 1.1 reader would take them for something else (<c>yes</c>, <c>on</c>,
/// <c>~</c>, <c>0x1F</c>, <c>1:20</c>, …): Kubernetes reads manifests with go-yaml, whose booleans are YAML 1.1's.
/// </summary>
internal static partial class Yaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithTypeConverter(new JsonScalarConverter())
        .WithEventEmitter(next => new QuotingEventEmitter(next))
        .DisableAliases()
        .WithIndentedSequences()
        .WithNewLine("\n")
        .Build();

    /// <summary>A YAML stream: <paramref name="header"/> comment lines, then the documents separated by <c>---</c>.</summary>
    public static string Documents(IEnumerable<string> header, IEnumerable<object> documents)
    {
        var text = new StringBuilder();
        foreach (string line in header)
        {
            text.Append("# ").Append(line).Append('\n');
        }

        bool first = true;
        foreach (object document in documents)
        {
            if (!first)
            {
                text.Append("---\n");
            }

            text.Append(Serializer.Serialize(document));
            first = false;
        }

        return text.ToString();
    }

    /// <summary>
    /// A JSON value as the object graph of the same YAML value: objects as ordered dictionaries (JSON order; a
    /// repeated key keeps its last value, as JSON parsers do), arrays as lists, numbers with their JSON text.
    /// </summary>
    public static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().Aggregate(new OrderedDictionary<string, object?>(), (map, property) =>
        {
            map[property.Name] = FromJson(property.Value);
            return map;
        }),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => new JsonScalar(json.GetRawText()),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => new JsonScalar("null"),
    };

    /// <summary>Whether a plain scalar <paramref name="value"/> would not read back as that string in YAML 1.1 or 1.2.</summary>
    internal static bool NeedsQuotes(string value) => value.Length == 0 || value.Contains('\n') || AmbiguousPattern().IsMatch(value);

    // YAML 1.1 booleans and nulls (any case), the merge and value keys, and anything that starts like a number, an
    // infinity or a not-a-number (ints in any base, sexagesimal numbers, floats, timestamps).
    [GeneratedRegex("^(?:y|n|yes|no|true|false|on|off|null|~|<<|=|[-+]?\\.?[0-9].*|[-+]?\\.(?:inf|nan))$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AmbiguousPattern();

    /// <summary>A JSON number or <c>null</c>, written as a plain scalar with its JSON text (a YAML 1.2 core-schema int,
    /// float or null, which go-yaml reads the same way).</summary>
    /// <param name="Text">The JSON text.</param>
    internal sealed record JsonScalar(string Text);

    private sealed class JsonScalarConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(JsonScalar);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer) =>
            throw new NotSupportedException("JsonScalar is only written.");

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, ((JsonScalar)value!).Text, ScalarStyle.Plain, true, false));
    }

    /// <summary>Double-quotes the strings of <see cref="NeedsQuotes"/> (keys included).</summary>
    private sealed class QuotingEventEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Type == typeof(string) && eventInfo.Source.Value is string text && NeedsQuotes(text))
            {
                eventInfo.Style = ScalarStyle.DoubleQuoted;
            }

            base.Emit(eventInfo, emitter);
        }
    }
}
