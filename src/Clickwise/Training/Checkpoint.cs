using System.Text.Json;
using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Training.Optimizers;

namespace Clickwise.Training;

/// <summary>
/// A checkpoint is a model file of kind "checkpoint" whose tensors add the optimizer state (role "optimizer")
/// and, when early stopping keeps them, the best epoch's weights (role "best", names prefixed "best/"); its
/// extra JSON holds the training config, optimizer name and <see cref="TrainerState"/>.
/// </summary>
public static class Checkpoint
{
    public const string BestRole = "best";
    public const string BestPrefix = "best/";

    public static void Save(string path, CtrModel model, IOptimizer optimizer, TrainingConfig config, TrainerState state,
        IReadOnlyList<ModelTensor>? bestWeights, string? featureMapJson)
    {
        var tensors = new List<ModelTensor>(ParameterTensors.ToTensors(model.Parameters));
        tensors.AddRange(optimizer.ExportState(model.Parameters));
        if (bestWeights is not null)
        {
            tensors.AddRange(bestWeights);
        }

        var extra = new CheckpointExtra(optimizer.Name, config, state);
        ModelFileWriter.Write(path, new ModelFileContent
        {
            Kind = ModelFileKind.Checkpoint,
            ConfigJson = ModelFiles.ConfigJson(model.Config),
            FeatureMapJson = featureMapJson,
            ExtraJson = JsonSerializer.Serialize(extra, ModelFiles.JsonOptions),
            Tensors = tensors,
        });
    }

    /// <summary>
    /// Loads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/> and returns the trainer
    /// state and the training config it was written with, after checking it belongs to this model.
    /// </summary>
    public static (TrainerState State, TrainingConfig Config, ModelFileContent Content) Load(string path, CtrModel model, IOptimizer optimizer)
    {
        ModelFileContent content = ModelFileReader.Read(path);
        if (content.Kind != ModelFileKind.Checkpoint)
        {
            throw new ModelFormatException($"{path}: is a finished model, not a checkpoint; it cannot resume training");
        }

        // Compared in the current form, so a checkpoint written by the previous format still resumes.
        string expectedConfig = ModelFiles.ConfigJson(model.Config);
        string writtenConfig = ModelFiles.ConfigJson(ModelFiles.ParseConfig(content));
        if (writtenConfig != expectedConfig)
        {
            throw new ModelFormatException($"{path}: written for model config {writtenConfig}, but this model is {expectedConfig}");
        }

        CheckpointExtra extra;
        try
        {
            extra = JsonSerializer.Deserialize<CheckpointExtra>(content.ExtraJson ?? "null", ModelFiles.JsonOptions)
                ?? throw new ModelFormatException($"{path}: checkpoint has no trainer state");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path}: checkpoint trainer state is invalid: {e.Message}", e);
        }

        if (extra.Optimizer != optimizer.Name)
        {
            throw new ModelFormatException($"{path}: checkpoint holds {extra.Optimizer} state, but training uses {optimizer.Name}");
        }

        // Lazy state counts steps per row, the others per table: continuing in another mode would change the arithmetic.
        if (optimizer is Adam adam && extra.TrainingConfig.AdamMode != adam.Mode)
        {
            string written = extra.TrainingConfig.AdamMode.ToString().ToLowerInvariant(), used = adam.Mode.ToString().ToLowerInvariant();
            throw new ModelFormatException($"{path}: checkpoint holds adam_mode {written} state, but training uses {used}");
        }

        ParameterTensors.Load(model.Parameters, content.Tensors);
        optimizer.ImportState(model.Parameters, content.Tensors);
        return (extra.TrainerState, extra.TrainingConfig, content);
    }

    private sealed record CheckpointExtra(string Optimizer, TrainingConfig TrainingConfig, TrainerState TrainerState);
}
