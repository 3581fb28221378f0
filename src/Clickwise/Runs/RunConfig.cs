using Clickwise.Compression.Pruning;
using Clickwise.Data.Pipeline;
using Clickwise.Models;
using Clickwise.Training;

namespace Clickwise.Runs;

/// <summary>
/// A named experiment config file (<c>configs/*.json</c>, <c>train --config</c>): a preset and optional sections.
/// A section present in the file replaces the preset's section whole (keys omitted inside it take the record's
/// defaults); command-line flags then override single keys. Unknown keys are errors.
/// </summary>
public sealed record RunConfig
{
    /// <summary>criteo or avazu: the seed papers' preprocessing, architecture and optimiser settings.</summary>
    public string Preset { get; init; } = "criteo";

    public string? Format { get; init; }

    public DataConfig? Preprocessing { get; init; }

    public ModelConfig? Model { get; init; }

    public TrainingConfig? Training { get; init; }

    /// <summary>DeepLight pruning during training (absent: dense).</summary>
    public PruningConfig? Pruning { get; init; }

    public static RunConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no such config file: {path}", path);
        }

        RunConfig config = ConfigJson.Deserialize<RunConfig>(File.ReadAllText(path), path);
        _ = PresetData(config.Preset);
        return config;
    }

    public DataConfig ResolvedPreprocessing => Preprocessing ?? PresetData(Preset);

    public ModelConfig ResolvedModel => Model ?? (Preset == "avazu" ? ModelPresets.Avazu() : ModelPresets.Criteo());

    public TrainingConfig ResolvedTraining => Training ?? TrainingConfig.Preset(Preset);

    private static DataConfig PresetData(string preset) => preset switch
    {
        "criteo" => DataConfig.Criteo,
        "avazu" => DataConfig.Avazu,
        _ => throw new InvalidDataException($"unknown preset '{preset}'; expected criteo or avazu"),
    };
}
