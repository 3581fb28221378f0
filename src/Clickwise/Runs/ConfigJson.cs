using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clickwise.Runs;

/// <summary>
/// The one JSON dialect of configs and model headers: snake_case keys, enums as snake_case strings, and unknown
/// keys rejected, so a typo in a config is an error instead of a silently ignored setting.
/// </summary>
public static class ConfigJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>JSON has no NaN or infinity: a metric without a value (no rows, one class only) is written as null.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    public static T Deserialize<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{what}: empty JSON");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what}: {e.Message}", e);
        }
    }
}
