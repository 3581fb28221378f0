using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Models;
using Clickwise.Training;
using Clickwise.Training.Optimizers;

namespace Clickwise.Runs;

/// <summary>
/// A named preset (<c>--preset</c>, a config file's <c>preset</c>): one paper's preprocessing, training settings and,
/// per model, architecture. A config file's sections replace the preset's whole; command-line flags override single keys.
/// </summary>
/// <param name="Source">Where the numbers come from.</param>
/// <param name="Covers">The models the paper gives settings for; the others get <paramref name="Model"/>'s general settings.</param>
/// <param name="Model">The architecture for a model name.</param>
/// <param name="TrainingByModel">A model's own training settings where the paper gives some (null: <paramref name="Training"/>).</param>
public sealed record RunPreset(string Name, string Source, IReadOnlyList<string> Covers, DataConfig Data, TrainingConfig Training,
                               Func<string, ModelConfig> Model, Func<string, TrainingConfig?>? TrainingByModel = null)
{
    /// <summary>What the documentation adds about this preset (Markdown); null: nothing.</summary>
    public string? Notes { get; init; }

    /// <summary>The input format of the paper's data: what <c>--preset</c> implies when no <c>--format</c> is given.</summary>
    public string Format { get; init; } = "criteo";

    /// <summary>The training settings of model <paramref name="model"/>.</summary>
    public TrainingConfig TrainingFor(string model) => TrainingByModel?.Invoke(model) ?? Training;
}

/// <summary>The presets by name.</summary>
public static class RunPresets
{
    private static readonly string[] DeepLightModels = ["lr", "fm", "fwfm", "deepfm", "nfm", "xdeepfm", "deepfwfm"];
    private static readonly string[] LowRankModels = ["dcn", "deepfm", "nfm", "autoint", "fibinet", "dcnv2", "gdcn"];

    /// <summary>Criteo-Sequential: the first 6/7 (six of seven days) trains, the last 1/7 tests; a tenth of train validates.</summary>
    private static readonly DataConfig CriteoSequential = DataConfig.Criteo with
    {
        Split = new SplitRatios(0.9 * 6 / 7, 0.1 * 6 / 7, 1.0 / 7),
        SplitMode = SplitMode.Sequential,
    };

    /// <summary>
    /// The DeepFM paper's TensorFlow Adam decays the moments of every row and moves every row, sparse gradients or not:
    /// <see cref="AdamMode.Dense"/> (its L2 is Criteo's, from "the setting in [9]").
    /// </summary>
    private static readonly TrainingConfig DeepFMPaperAdam = TrainingConfig.Criteo with { AdamMode = AdamMode.Dense };

    private const string LowRankNotes = "The paper's \"weight decay 1e-3\" is Clickwise's L2 (PyTorch's Adam adds 1e-3·w to the "
        + "gradient, as the L2 here does); the L2 loss term it also names (ratio 1e-5, 2% of that) is not added.";

    public static IReadOnlyList<RunPreset> All { get; } =
    [
        new("criteo", "DeepLight §5.1.4 (as deeplight-criteo; wdl-fm at embedding 11 as in the DeepFM paper)", DeepLightModels,
            DataConfig.Criteo, TrainingConfig.Criteo, model => ModelPresets.Criteo(model),
            model => TrainingConfig.Criteo with { AdamMode = MeasuredAdamMode(model) }),
        new("avazu", "DeepLight §5.1.4 (as deeplight-avazu)", DeepLightModels, DataConfig.Avazu, TrainingConfig.Avazu,
            model => ModelPresets.Avazu(model), model => TrainingConfig.Avazu with { AdamMode = MeasuredAdamMode(model) }) { Format = "avazu" },
        new("deeplight-criteo", "seed 000 §5.1.4", DeepLightModels, DataConfig.Criteo, TrainingConfig.Criteo with { AdamMode = AdamMode.Dense },
            model => ModelPresets.DeepLight(model, avazu: false)),
        new("deeplight-avazu", "seed 000 §5.1.4", DeepLightModels, DataConfig.Avazu, TrainingConfig.Avazu with { AdamMode = AdamMode.Dense },
            model => ModelPresets.DeepLight(model, avazu: true)) { Format = "avazu" },
        new("deepfm-criteo-random", "seed 003 Table III, Criteo-Random", ["lr", .. ModelPresets.TableIIIModels], DataConfig.Criteo,
            DeepFMPaperAdam, model => ModelPresets.DeepFMPaper(model, sequential: false), DeepFMPaperTraining)
        {
            Notes = "Table III gives no learning rate, batch or L2 (\"follow the setting in [9]\"): those of `criteo`. Embedding 10 for FM "
                + "and the DeepFMs (and `fnn`, whose input is D + 1 = 11 wide), 11 for the other deep models. The paper trains LR with "
                + "FTRL and gives no FTRL settings: `lr` trains with FTRL-Proximal at α = 2, β = 1, λ1 = 0.",
        },
        new("deepfm-criteo-sequential", "seed 003 Table III, Criteo-Sequential", ["lr", .. ModelPresets.TableIIIModels], CriteoSequential,
            DeepFMPaperAdam, model => ModelPresets.DeepFMPaper(model, sequential: true), DeepFMPaperTraining)
        {
            Notes = "Criteo-Sequential: the first 6/7 of the rows (six of seven days) train, the last 1/7 tests, a tenth of train "
                + "validates. Otherwise as `deepfm-criteo-random`.",
        },
        new("lowrank-criteo", "seed 002 §4.2 and appendix A.2", LowRankModels, DataConfig.Criteo, LowRank(batchSize: 1000),
            model => ModelPresets.LowRank(model, avazu: false)) { Notes = LowRankNotes },
        new("lowrank-avazu", "seed 002 §4.2 and appendix A.2", LowRankModels, DataConfig.Avazu, LowRank(batchSize: 500),
            model => ModelPresets.LowRank(model, avazu: true)) { Notes = LowRankNotes, Format = "avazu" },
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>The preset called <paramref name="name"/>; an <see cref="ArgumentException"/> listing the names otherwise.</summary>
    public static RunPreset Get(string name) => All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown preset '{name}'; expected one of: {string.Join(", ", Names)}");

    /// <summary>
    /// The adam_mode of the <c>criteo</c> and <c>avazu</c> presets, per model, from benchmarks/amd-epyc/adam-modes.md
    /// (which says why): dense for LR, lazy for the models with embeddings. The paper presets keep their code's dense
    /// Adam instead, to reproduce it.
    /// </summary>
    private static AdamMode MeasuredAdamMode(string model) => model == "lr" ? AdamMode.Dense : AdamMode.Lazy;

    /// <summary>
    /// The DeepFM paper trains LR with FTRL (§IV.A.4) and gives no α, β or λ. With batch-mean gradients (batch 2048) α
    /// must be far above per-example FTRL's ~0.1: on the 2M synthetic rows, one epoch, validation logloss was 0.5376,
    /// 0.5053, 0.4926, 0.4729, 0.4675, 0.4666 and 0.5154 at α = 0.01, 0.05, 0.1, 0.5, 1, 2 and 5, so α = 2; β = 1, no L1.
    /// The other models train with Adam.
    /// </summary>
    private static TrainingConfig? DeepFMPaperTraining(string model) =>
        model == "lr" ? DeepFMPaperAdam with { Optimizer = "ftrl", LearningRate = 2 } : null;

    /// <summary>
    /// Appendix A.2: Adam, lr 1e-4, weight decay 1e-3 on every parameter (PyTorch's Adam weight_decay adds 1e-3·w to the
    /// gradient, which is Clickwise's L2), dense as PyTorch's Adam is: every embedding row decays every step. The paper also names an L2 loss term with ratio 1e-5, 2% of that; it is not added.
    /// </summary>
    private static TrainingConfig LowRank(int batchSize) => new()
    {
        Optimizer = "adam",
        AdamMode = AdamMode.Dense,
        LearningRate = 1e-4,
        BatchSize = batchSize,
        L2Embedding = 1e-3,
        L2Net = 1e-3,
    };
}
