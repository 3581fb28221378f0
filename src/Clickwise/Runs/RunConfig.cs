using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Clickwise.Compression.Pruning;
using Clickwise.Data.Pipeline;
using Clickwise.Models;
using Clickwise.Training;

namespace Clickwise.Runs;

/// <summary>
/// A named experiment config file (<c>configs/*.json</c> or <c>.yaml</c>, <c>train --config</c>): a preset and optional
/// sections. A section in the file overrides only the keys it names (nested objects key by key); every other key keeps
/// the preset's value for the model at hand. Command-line flags then override single keys. Unknown keys are errors.
/// </summary>
public sealed record RunConfig
{
    /// <summary>A <see cref="RunPresets"/> name: a seed paper's preprocessing, per-model architecture and optimiser settings.</summary>
    public string Preset { get; init; } = "criteo";

    public string? Format { get; init; }

    /// <summary>The format to read: the config file's, else the preset's (<c>--preset avazu</c> reads Avazu CSV).</summary>
    [JsonIgnore]
    public string ResolvedFormat => Format ?? RunPresets.Get(Preset).Format;

    /// <summary>The training, validation and test files (absent: named on the command line).</summary>
    public DataFiles? Data { get; init; }

    public DataConfig? Preprocessing { get; init; }

    public ModelConfig? Model { get; init; }

    public TrainingConfig? Training { get; init; }

    /// <summary>DeepLight pruning during training (absent: dense).</summary>
    public PruningConfig? Pruning { get; init; }

    /// <summary>The keys the file's sections named, to lay over the preset's sections (null: none, or built in code).</summary>
    [JsonIgnore]
    private Overlay? Keys { get; init; }

    public static RunConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no such config file: {path}", path);
        }

        string text = File.ReadAllText(path);
        if (Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml")
        {
            try
            {
                text = YamlToJson.Convert(text);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
        }

        RunConfig config = ConfigJson.Deserialize<RunConfig>(text, path);
        try
        {
            _ = RunPresets.Get(config.Preset);
        }
        catch (ArgumentException unknown)
        {
            throw new InvalidDataException(unknown.Message, unknown);
        }

        JsonObject file = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        config = config with
        {
            Keys = new Overlay(file["preprocessing"] as JsonObject, file["model"] as JsonObject, file["training"] as JsonObject),
        };
        try
        {
            // Resolved once here, so a value the merge cannot take is reported at load, naming the file.
            _ = config.ResolvedPreprocessing;
            _ = config.ResolvedTraining;
            _ = config.ResolvedModel;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        return config;
    }

    /// <summary>Whether the file's preprocessing section names the split (its ratios, mode or seed).</summary>
    public bool NamesSplit => Keys?.Preprocessing is { } keys && SplitKeys.Any(keys.ContainsKey);

    /// <summary>The preprocessing keys that decide which rows train, validate and test.</summary>
    public static IReadOnlyList<string> SplitKeys { get; } = ["split", "split_mode", "seed"];

    public DataConfig ResolvedPreprocessing => Keys is null
        ? Preprocessing ?? RunPresets.Get(Preset).Data
        : ConfigKeys.Lay(RunPresets.Get(Preset).Data, Keys.Preprocessing);

    public ModelConfig ResolvedModel => ModelFor(null);

    public TrainingConfig ResolvedTraining => TrainingFor(null);

    /// <summary>
    /// The training settings of model <paramref name="name"/> (null: the config's model, else deepfwfm): the preset's
    /// settings for that model with the keys of the config's <c>training</c> section laid over them.
    /// </summary>
    public TrainingConfig TrainingFor(string? name)
    {
        TrainingConfig preset = RunPresets.Get(Preset).TrainingFor(name ?? ModelFor(null).Name);
        return Keys is null ? Training ?? preset : ConfigKeys.Lay(preset, Keys.Training);
    }

    /// <summary>
    /// The architecture of model <paramref name="name"/> (null: the config's model, else deepfwfm): the preset's settings
    /// for that model with the keys of the config's <c>model</c> section laid over them. For another model than the section
    /// names (<c>compare</c>), settings that model does not have are left out.
    /// </summary>
    public ModelConfig ModelFor(string? name)
    {
        if (Keys is null)
        {
            return Model is { } model ? model with { Name = name ?? model.Name } : RunPresets.Get(Preset).Model(name ?? "deepfwfm");
        }

        string? named = Keys.Model?["name"]?.GetValue<string>();
        string resolved = name ?? named ?? "deepfwfm";
        ModelConfig preset = RunPresets.Get(Preset).Model(resolved);
        if (Keys.Model is null)
        {
            return preset;
        }

        IEnumerable<(string, string)> settings = Keys.Model.Where(kv => kv.Key != "name")
            .Where(kv => resolved == named || preset.SettingKeys.Contains(kv.Key))
            .Select(kv => (kv.Key, kv.Value?.ToJsonString() ?? "null"));
        return preset.With(settings);
    }

    private sealed record Overlay(JsonObject? Preprocessing, JsonObject? Model, JsonObject? Training);
}
