using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clickwise.Runs;

/// <summary>
/// Keys laid over a config section (a preset's training settings, preprocessing, …): the one way configs merge and
/// <c>--set section.key=value</c> applies. Objects merge key by key; a key the section does not have, or a value of the
/// wrong kind, is an <see cref="ArgumentException"/> naming the key and the section's keys.
/// </summary>
public static class ConfigKeys
{
    /// <summary><paramref name="section"/> with <paramref name="keys"/> laid over it, read back strictly.</summary>
    public static T Lay<T>(T section, JsonObject? keys)
    {
        if (keys is null || keys.Count == 0)
        {
            return section;
        }

        JsonObject merged = JsonSerializer.SerializeToNode(section, ConfigJson.Options)!.AsObject();
        Lay(keys, merged);
        return merged.Deserialize<T>(ConfigJson.Options)!;
    }

    /// <summary>
    /// <paramref name="section"/> with settings by key (<c>patience</c>, or <c>split.train</c> inside an object), each value
    /// read as JSON when it parses (numbers, true/false, lists) and as text otherwise.
    /// </summary>
    public static T With<T>(T section, string sectionName, IEnumerable<(string Key, string Value)> settings)
    {
        JsonObject current = JsonSerializer.SerializeToNode(section, ConfigJson.Options)!.AsObject();
        var keys = new JsonObject();
        foreach ((string key, string value) in settings)
        {
            string[] path = key.Split('.');
            JsonObject target = keys, known = current;
            for (int i = 0; i < path.Length; i++)
            {
                if (!known.TryGetPropertyValue(path[i], out JsonNode? existing))
                {
                    throw new ArgumentException(
                        $"{sectionName} has no setting '{string.Join('.', path[..(i + 1)])}'; its settings are {string.Join(", ", known.Select(kv => kv.Key))}");
                }

                if (i == path.Length - 1)
                {
                    JsonNode? parsed = Value(value);
                    if (Kind(existing) is { } kind && Kind(parsed) != kind)
                    {
                        throw new ArgumentException($"{sectionName}.{key} takes {kind}, got '{value}'");
                    }

                    target[path[i]] = parsed;
                }
                else
                {
                    known = existing as JsonObject
                        ?? throw new ArgumentException($"{sectionName}.{string.Join('.', path[..(i + 1)])} is a single value, not a group of settings");
                    target = (JsonObject)(target[path[i]] ??= new JsonObject());
                }
            }
        }

        try
        {
            return Lay(section, keys);
        }
        catch (JsonException e)
        {
            // A name the setting does not know (an enum) or a number out of its type's range; the serializer's own message names .NET types.
            string key = e.Path?.TrimStart('$', '.') is { Length: > 0 } p ? p : "a setting";
            throw new ArgumentException($"{sectionName}.{key} cannot take that value; `--print-config` shows the current ones", e);
        }
    }

    internal static void Lay(JsonObject keys, JsonObject target)
    {
        foreach ((string key, JsonNode? value) in keys)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Lay(inner, existing);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>The kind of value a setting holds, in the config's terms (null: any).</summary>
    private static string? Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Array => "a list such as [1, 2]",
        JsonValueKind.String => "a name",
        _ => null,
    };

    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
