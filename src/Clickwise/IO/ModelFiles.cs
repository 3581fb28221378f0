using System.Text.Json;
using System.Text.Json.Serialization;
using Clickwise.Models;

namespace Clickwise.IO;

/// <summary>
/// Model-level helpers over the format: the config's JSON form and writing a trained model. Loading needs the
/// model registry: read the file, <see cref="ParseConfig"/>, create the model, then <see cref="ParameterTensors.Load"/>.
/// </summary>
public static class ModelFiles
{
    /// <summary>snake_case keys, unknown keys rejected, NaN allowed as a literal (metrics of unvalidated epochs).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ConfigJson(ModelConfig config) => JsonSerializer.Serialize(config, JsonOptions);

    public static ModelConfig ParseConfig(ModelFileContent content)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelConfig>(content.CurrentConfigJson, JsonOptions)
                ?? throw new ModelFormatException("model file has a null config");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"model file config is not a valid model config: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="model"/>'s parameters as a "model" file, atomically.</summary>
    public static void SaveModel(string path, CtrModel model, string? featureMapJson, string? extraJson = null) =>
        ModelFileWriter.Write(path, new ModelFileContent
        {
            Kind = ModelFileKind.Model,
            ConfigJson = ConfigJson(model.Config),
            FeatureMapJson = featureMapJson,
            ExtraJson = extraJson,
            Tensors = FieldWidthTensors.Pack(model.Config, model.Layout, ParameterTensors.ToTensors(model.Parameters)),
        });
}
