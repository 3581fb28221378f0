using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// YAML → JSON, so YAML configs go through the same strict System.Text.Json binding (unknown keys are errors).
/// Plain scalars that read as numbers, booleans or null become those; quoted scalars stay strings.
/// </summary>
internal static class YamlToJson
{
    public static string Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"invalid YAML at line {e.Start.Line}: {e.Message}", e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new FormatException($"expected one YAML document, found {stream.Documents.Count}");
        }

        return ToNode(stream.Documents[0].RootNode)?.ToJsonString() ?? "null";
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToNode).ToArray()),
        YamlScalarNode scalar => ToValue(scalar),
        _ => throw new FormatException($"unsupported YAML node at line {node.Start.Line}"),
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach ((YamlNode key, YamlNode value) in mapping.Children)
        {
            // YamlDotNet already rejects duplicate keys while loading.
            string name = (key as YamlScalarNode)?.Value ?? throw new FormatException($"YAML key at line {key.Start.Line} is not a plain name");
            result[name] = ToNode(value);
        }

        return result;
    }

    private static JsonNode? ToValue(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }
}
