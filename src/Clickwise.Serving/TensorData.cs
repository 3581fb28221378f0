using System.Text.Json;

namespace Clickwise.Serving;

/// <summary>An input tensor's elements, checked against its shape and datatype; errors name the input.</summary>
internal static class TensorData
{
    private const int MaxDepth = 8;

    /// <summary>The elements of <paramref name="input"/>'s data, flat in row-major order, as many as its shape's product.</summary>
    public static List<JsonElement> Elements(InferInput input)
    {
        string name = input.Name ?? "";
        long[] shape = input.Shape ?? throw RequestException.BadRequest($"input '{name}' has no shape");
        long expected = 1;
        foreach (long dim in shape)
        {
            if (dim < 0)
            {
                throw RequestException.BadRequest($"input '{name}' has a negative dimension in shape {Show(shape)}");
            }

            expected = dim == 0 ? 0 : expected <= int.MaxValue / dim ? expected * dim : int.MaxValue;
        }

        var elements = new List<JsonElement>((int)Math.Min(expected, 1 << 16));
        if (input.Data.ValueKind == JsonValueKind.Undefined)
        {
            throw RequestException.BadRequest($"input '{name}' has no data");
        }

        Flatten(input.Data, elements, name, 0);
        if (elements.Count != expected)
        {
            throw RequestException.BadRequest($"input '{name}' has {elements.Count} elements, its shape {Show(shape)} says {expected}");
        }

        return elements;
    }

    /// <summary>A whole number (an id); <paramref name="input"/> and <paramref name="index"/> name it in the error.</summary>
    public static long Integer(JsonElement element, string input, int index) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long value)
            ? value
            : throw RequestException.BadRequest($"input '{input}' element {index}: expected a whole number, got {Describe(element)}");

    /// <summary>A finite number that fits a float (System.Text.Json would read 1e39 as infinity).</summary>
    public static float Finite(JsonElement element, string input, int index)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double value) && double.IsFinite(value)
            && Math.Abs(value) <= float.MaxValue)
        {
            return (float)value;
        }

        throw RequestException.BadRequest($"input '{input}' element {index}: expected a finite FP32 number, got {Describe(element)}");
    }

    public static string Show(long[] shape) => "[" + string.Join(", ", shape) + "]";

    public static string Describe(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }

    private static void Flatten(JsonElement element, List<JsonElement> into, string name, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            into.Add(element);
            return;
        }

        if (depth == MaxDepth)
        {
            throw RequestException.BadRequest($"input '{name}': data nested deeper than {MaxDepth} levels");
        }

        foreach (JsonElement item in element.EnumerateArray())
        {
            Flatten(item, into, name, depth + 1);
        }
    }
}
