using System.Text.Json.Serialization;
using Clickwise.Compression.Pruning;
using Clickwise.Data.Pipeline;
using Clickwise.Kernels;
using Clickwise.Models;
using Clickwise.Training;

namespace Clickwise.Runs;

/// <summary>
/// Everything one training run needs: the data and how to preprocess and split it, the architecture, the
/// optimisation settings, and where to write. The same record backs <c>train</c>, <c>quickstart</c> and
/// <c>--config</c> files (snake_case JSON, unknown keys rejected).
/// </summary>
public sealed record TrainRequest
{
    /// <summary>The training data: all of it trains, but for what the ratio split holds out of the parts not given as files.</summary>
    public required DataSource Data { get; init; }

    /// <summary>A validation file (xLearn <c>-v</c>, LightGBM <c>valid=</c>); null: the ratio split's valid part.</summary>
    public DataSource? Valid { get; init; }

    /// <summary>Test files, each evaluated and reported on its own; empty: the ratio split's test part.</summary>
    public IReadOnlyList<DataSource> Tests { get; init; } = [];

    /// <summary>The held-out files as the dataset builder takes them (named by their paths as given).</summary>
    public HeldOutFiles HeldOut => new()
    {
        Valid = Valid is { } valid ? new HeldOutFile(valid.Path, valid.Opener()) : null,
        Tests = [.. Tests.Select(test => new HeldOutFile(test.Path, test.Opener()))],
    };

    /// <summary>
    /// This request reading its data for a model of <paramref name="fieldCount"/> fields (one started from a saved model):
    /// libsvm/libffm files take that count instead of inferring their own (<see cref="Data.Readers.ReaderOptions.WithFieldCountOf"/>).
    /// </summary>
    public TrainRequest WithFieldCountOf(int fieldCount) => this with
    {
        Data = Data with { Reader = Data.Reader.WithFieldCountOf(fieldCount) },
        Valid = Valid is { } valid ? valid with { Reader = valid.Reader.WithFieldCountOf(fieldCount) } : null,
        Tests = [.. Tests.Select(test => test with { Reader = test.Reader.WithFieldCountOf(fieldCount) })],
    };

    public DataConfig Preprocessing { get; init; } = DataConfig.Criteo;

    public ModelConfig Model { get; init; } = ModelPresets.Criteo();

    public TrainingConfig Training { get; init; } = TrainingConfig.Criteo;

    /// <summary>DeepLight pruning during training; null trains dense.</summary>
    public PruningConfig? Pruning { get; init; }

    /// <summary>Where the binary cache, feature map, metrics.jsonl and checkpoints go.</summary>
    public required string WorkDir { get; init; }

    /// <summary>Final model file path.</summary>
    public required string ModelPath { get; init; }

    /// <summary>
    /// Start from this saved model's weights, architecture and vocabulary (fine-tuning; with <see cref="Pruning"/>,
    /// pruning a trained model further). <see cref="Model"/> is then ignored, unless <see cref="InitTransfer"/>.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>
    /// With <see cref="InitFrom"/> and a <see cref="Model"/> of another architecture than the saved model's: build
    /// <see cref="Model"/> on the saved vocabulary and start it from the saved model's lookup tables and global bias
    /// (<see cref="ModelTransfer"/>; e.g. an FNN from an FM), refusing when that is not meaningful. A
    /// <see cref="Model"/> of the saved model's own architecture continues the saved model as without it.
    /// <c>train --init</c> sets it when <c>--model</c> is given.
    /// </summary>
    public bool InitTransfer { get; init; }

    /// <summary>
    /// With <see cref="InitFrom"/> continuing the saved model: the DNN dropout to fine-tune it with (seed 002 fine-tunes
    /// its embedding stage without dropout); the model written carries it. Null keeps the saved model's.
    /// </summary>
    public float? InitDropout { get; init; }

    /// <summary>
    /// Save the model here as training starts, after any FM pre-training or transfer: the weights the run really starts
    /// from, which OptEmbed's retrain rewinds to. Null: not saved.
    /// </summary>
    public string? StartPath { get; init; }

    /// <summary>
    /// With <see cref="InitFrom"/> an FNN at its initial draw (OptEmbed's retrain rewound to before pre-training): run the
    /// FNN's FM pre-training on the init's tables first, under its row mask and widths, as a fresh FNN run would.
    /// </summary>
    public bool PretrainInit { get; init; }

    /// <summary>Continue from this checkpoint instead of starting fresh.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>How the run computes (threads, kernels): a setting of this process, not of the experiment, so never in a config file.</summary>
    [JsonIgnore]
    public ComputeContext Compute { get; init; } = ComputeContext.Default;

    /// <summary>
    /// The vocabulary pass's memory budget and spill directory when the run prepares its data: a setting of this process
    /// (the prepared bytes are the same whatever it is), so never in a config file.
    /// </summary>
    [JsonIgnore]
    public VocabularyMemory VocabularyMemory { get; init; } = VocabularyMemory.Default;

    /// <summary>Data-parallel training over the ranks of a job (a prepared dataset's rows sharded by rank); null trains alone.</summary>
    [JsonIgnore]
    public Distributed.DataParallelism? Parallel { get; init; }

    /// <summary>
    /// The settings this run trains with, after preset, config file and flags: what <c>train --print-config</c> prints and
    /// the run directory keeps as <c>effective-config.json</c>. Feeding its sections back as a config reproduces the run.
    /// </summary>
    public string EffectiveConfigJson() => ConfigJson.Serialize(new
    {
        data = new
        {
            train = Data.Path,
            valid = Valid?.Path,
            test = Tests.Select(t => t.Path).ToArray(),
            reader = Data.Reader,
        },
        preprocessing = Preprocessing,
        model = Model,
        training = Training,
        pruning = Pruning,
    });
}
