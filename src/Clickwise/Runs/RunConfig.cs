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
    /// <summary>A <see cref="RunPresets"/> name: a seed paper's preprocessing, per-model architecture and optimiser settings.</summary>
    public string Preset { get; init; } = "criteo";

    public string? Format { get; init; }

    /// <summary>The training, validation and test files (absent: named on the command line).</summary>
    public DataFiles? Data { get; init; }

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
        try
        {
            _ = RunPresets.Get(config.Preset);
        }
        catch (ArgumentException unknown)
        {
            throw new InvalidDataException(unknown.Message, unknown);
        }

        return config;
    }

    public DataConfig ResolvedPreprocessing => Preprocessing ?? RunPresets.Get(Preset).Data;

    public ModelConfig ResolvedModel => ModelFor(null);

    public TrainingConfig ResolvedTraining => TrainingFor(null);

    /// <summary>
    /// The training settings of model <paramref name="name"/> (null: the config's model, else deepfwfm): the config's
    /// <c>training</c> section when present, else the preset's settings for that model.
    /// </summary>
    public TrainingConfig TrainingFor(string? name) => Training ?? RunPresets.Get(Preset).TrainingFor(name ?? ModelFor(null).Name);

    /// <summary>
    /// The architecture of model <paramref name="name"/> (null: the config's model, else deepfwfm): the config's
    /// <c>model</c> section when present (renamed), else the preset's settings for that model.
    /// </summary>
    public ModelConfig ModelFor(string? name) => Model is { } model
        ? model with { Name = name ?? model.Name }
        : RunPresets.Get(Preset).Model(name ?? "deepfwfm");
}
