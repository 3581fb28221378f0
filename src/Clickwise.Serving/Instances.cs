using System.Text.Json;

namespace Clickwise.Serving;

/// <summary>
/// TF Serving's <c>instances</c>, one per row, all of one kind: a raw line (string, unlabelled, in the model's
/// headerless format), a row of named column values (object) or the row's F global ids (array).
/// </summary>
internal static class Instances
{
    public static EncodedRows Encode(RowEncoder encoder, JsonElement instances)
    {
        if (instances.ValueKind != JsonValueKind.Array || instances.GetArrayLength() == 0)
        {
            throw RequestException.BadRequest("'instances' must be a non-empty array");
        }

        JsonValueKind kind = instances[0].ValueKind;
        int rows = instances.GetArrayLength();
        int index = 0;
        foreach (JsonElement instance in instances.EnumerateArray())
        {
            if (instance.ValueKind != kind)
            {
                throw RequestException.BadRequest($"instances[{index}] is a {instance.ValueKind}, instances[0] a {kind}: every instance takes one form");
            }

            index++;
        }

        return kind switch
        {
            JsonValueKind.String => encoder.FromLines("instances", [.. instances.EnumerateArray().Select(i => i.GetString()!)], labeled: false, header: null),
            JsonValueKind.Object => encoder.FromColumns(Columns(instances, rows), rows),
            JsonValueKind.Array => Ids(encoder, instances, rows),
            _ => throw RequestException.BadRequest($"instances[0] is a {kind}; an instance is a raw line (string), named column values (object) or ids (array)"),
        };
    }

    /// <summary>Each name any instance gives, with every instance's value (null where one leaves it out: missing).</summary>
    private static List<(string Name, IReadOnlyList<JsonElement> Values)> Columns(JsonElement instances, int rows)
    {
        var names = new List<string>();
        foreach (JsonElement instance in instances.EnumerateArray())
        {
            foreach (JsonProperty property in instance.EnumerateObject())
            {
                if (!names.Contains(property.Name))
                {
                    names.Add(property.Name);
                }
            }
        }

        JsonElement missing = JsonDocument.Parse("null").RootElement;
        var columns = new List<(string, IReadOnlyList<JsonElement>)>(names.Count);
        foreach (string name in names)
        {
            var values = new JsonElement[rows];
            int r = 0;
            foreach (JsonElement instance in instances.EnumerateArray())
            {
                values[r++] = instance.TryGetProperty(name, out JsonElement value) ? value : missing;
            }

            columns.Add((name, values));
        }

        return columns;
    }

    private static EncodedRows Ids(RowEncoder encoder, JsonElement instances, int rows)
    {
        var ids = new List<JsonElement>(rows * encoder.FieldCount);
        int r = 0;
        foreach (JsonElement instance in instances.EnumerateArray())
        {
            if (instance.GetArrayLength() != encoder.FieldCount)
            {
                throw RequestException.BadRequest($"instances[{r}] has {instance.GetArrayLength()} ids; the model takes {encoder.FieldCount}");
            }

            ids.AddRange(instance.EnumerateArray());
            r++;
        }

        return encoder.FromIds("instances", ids, rows, null, null);
    }
}
