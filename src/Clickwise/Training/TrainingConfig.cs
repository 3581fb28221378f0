using System.Text.Json.Serialization;
using Clickwise.Training.Optimizers;

namespace Clickwise.Training;

/// <summary>
/// How to train (not what: the architecture is <see cref="Models.ModelConfig"/>). Presets follow the seed papers:
/// Adam, lr 1e-3, batch 2048, L2 3e-7 on Criteo and 6e-7 on Avazu.
/// </summary>
public sealed record TrainingConfig
{
    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 2048;

    /// <summary>adam, adagrad, sgd or ftrl.</summary>
    public string Optimizer { get; init; } = "adam";

    public double LearningRate { get; init; } = 1e-3;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    /// <summary>Null: the optimizer's default (Adam 1e-8, Adagrad 1e-10).</summary>
    public double? Eps { get; init; }

    /// <summary>FTRL only: β of the per-coordinate rate α/(β + √n) (McMahan et al. 2013; default 1).</summary>
    public double FtrlBeta { get; init; } = 1;

    /// <summary>FTRL only: λ1, the L1 strength that makes weights exactly zero (default 0).</summary>
    public double L1 { get; init; }

    /// <summary>L2 on embedding and first-order tables (the rows the update visits, see <see cref="AdamMode"/>).</summary>
    public double L2Embedding { get; init; }

    /// <summary>L2 on every other parameter, biases included (DeepLight decays all parameters).</summary>
    public double L2Net { get; init; }

    /// <summary>
    /// Adam only: lazy, dense or sparse updates of the row-sparse tables (<see cref="Optimizers.AdamMode"/>). Absent from a
    /// checkpoint written before the modes existed, which trained lazily.
    /// </summary>
    public AdamMode AdamMode { get; init; } = AdamMode.Lazy;

    /// <summary>
    /// OptEmbed's row thresholds (<see cref="Layers.ParameterRole.Threshold"/>) take plain SGD at this rate, whatever
    /// <see cref="Optimizer"/> steps the rest; 0 (the default) keeps them where they are.
    /// </summary>
    public double ThresholdLr { get; init; }

    /// <summary>α of OptEmbed's penalty α·Σ exp(−t) on the row thresholds, which pushes them up (prunes more); default 0.</summary>
    public double ThresholdPenalty { get; init; }

    /// <summary>
    /// 0 (the default): each epoch visits the training rows in a full random permutation. N &gt; 0: in blocks of N
    /// consecutive cache rows, taken in random order <see cref="ShuffleWindowBlocks"/> at a time and shuffled within that
    /// window (<see cref="Data.Cache.BlockShuffle"/>), so a cache larger than memory is read in large sequential blocks.
    /// </summary>
    public int ShuffleBlockRows { get; init; }

    /// <summary>With <see cref="ShuffleBlockRows"/>: blocks whose rows are shuffled together (default 8).</summary>
    public int ShuffleWindowBlocks { get; init; } = 8;

    /// <summary>Seeds the data order: epoch e is shuffled with seed + e.</summary>
    public int Seed { get; init; } = 2019;

    public EarlyStopMetric EarlyStoppingMetric { get; init; } = EarlyStopMetric.Auc;

    /// <summary>Stop after this many epochs in a row without improvement; 0 never stops early.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>At the end, put back the parameters of the best validation epoch.</summary>
    public bool RestoreBest { get; init; } = true;

    /// <summary>
    /// Batches with a NaN/Inf loss that are skipped (no update) before training stops; 0 stops at the first.
    /// </summary>
    public int MaxNonFiniteBatches { get; init; }

    /// <summary>
    /// FNN only: epochs of the FM trained first, whose tables (first_order, embedding, bias) the FNN starts from
    /// (Zhang et al. 2016's pre-training); 0 starts the FNN from random weights. Other models ignore it, and so does an
    /// FNN started from a saved model (<c>--init</c>) or resumed from a checkpoint.
    /// </summary>
    public int FmPretrainEpochs { get; init; } = 1;

    /// <summary>
    /// The settings that shape the optimisation's path (optimizer, its rates and penalties, batch size, seed), as
    /// "key checkpoint → run" in config spelling, where <paramref name="run"/> differs from this checkpoint's: a resumed
    /// run continues the same path, so only what bounds it (epochs, early stopping, pre-training) may change.
    /// </summary>
    public IReadOnlyList<string> PathDifferences(TrainingConfig run)
    {
        TrainingConfig free = run with
        {
            Epochs = Epochs,
            EarlyStoppingMetric = EarlyStoppingMetric,
            Patience = Patience,
            RestoreBest = RestoreBest,
            MaxNonFiniteBatches = MaxNonFiniteBatches,
            FmPretrainEpochs = FmPretrainEpochs,
        };
        if (free == this)
        {
            return [];
        }

        using var written = System.Text.Json.JsonDocument.Parse(Runs.ConfigJson.Serialize(this));
        using var wanted = System.Text.Json.JsonDocument.Parse(Runs.ConfigJson.Serialize(free));
        return [.. written.RootElement.EnumerateObject()
            .Select(p => (p.Name, Written: p.Value.GetRawText(), Wanted: wanted.RootElement.GetProperty(p.Name).GetRawText()))
            .Where(p => p.Written != p.Wanted)
            .Select(p => $"{p.Name} {p.Written} → {p.Wanted}")];
    }

    public static TrainingConfig Criteo { get; } = new() { L2Embedding = 3e-7, L2Net = 3e-7 };

    public static TrainingConfig Avazu { get; } = new() { L2Embedding = 6e-7, L2Net = 6e-7 };

    public static TrainingConfig Preset(string name) => name switch
    {
        "criteo" => Criteo,
        "avazu" => Avazu,
        _ => throw new ArgumentException($"unknown training preset '{name}'; expected criteo or avazu"),
    };

    [JsonIgnore]
    public OptimizerSettings OptimizerSettings => new()
    {
        LearningRate = LearningRate,
        Beta1 = Beta1,
        Beta2 = Beta2,
        Eps = Eps,
        FtrlBeta = FtrlBeta,
        L1 = L1,
        L2Embedding = L2Embedding,
        L2Net = L2Net,
        AdamMode = AdamMode,
        ThresholdLearningRate = ThresholdLr,
        ThresholdPenalty = ThresholdPenalty,
    };

    /// <summary>Rejects values that cannot train, naming the key.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, "epochs", Epochs, ">= 1");
        Require(BatchSize >= 1, "batch_size", BatchSize, ">= 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", LearningRate, "> 0");
        Require(Beta1 is >= 0 and < 1, "beta1", Beta1, "in [0, 1)");
        Require(Beta2 is >= 0 and < 1, "beta2", Beta2, "in [0, 1)");
        Require(Eps is null or > 0, "eps", Eps ?? 0, "> 0");
        Require(FtrlBeta >= 0 && double.IsFinite(FtrlBeta), "ftrl_beta", FtrlBeta, ">= 0");
        Require(L1 >= 0 && double.IsFinite(L1), "l1", L1, ">= 0");
        Require(L2Embedding >= 0, "l2_embedding", L2Embedding, ">= 0");
        Require(L2Net >= 0, "l2_net", L2Net, ">= 0");
        Require(ThresholdLr >= 0 && double.IsFinite(ThresholdLr), "threshold_lr", ThresholdLr, ">= 0");
        Require(ThresholdPenalty >= 0 && double.IsFinite(ThresholdPenalty), "threshold_penalty", ThresholdPenalty, ">= 0");
        Require(ShuffleBlockRows >= 0, "shuffle_block_rows", ShuffleBlockRows, ">= 0");
        Require(ShuffleWindowBlocks >= 1, "shuffle_window_blocks", ShuffleWindowBlocks, ">= 1");
        Require(Patience >= 0, "patience", Patience, ">= 0");
        Require(MaxNonFiniteBatches >= 0, "max_non_finite_batches", MaxNonFiniteBatches, ">= 0");
        Require(FmPretrainEpochs >= 0, "fm_pretrain_epochs", FmPretrainEpochs, ">= 0");
        if (!OptimizerFactory.Names.Contains(Optimizer))
        {
            throw new ArgumentException($"optimizer '{Optimizer}' is unknown; expected one of: {string.Join(", ", OptimizerFactory.Names)}");
        }
    }

    private static void Require(bool ok, string key, double value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"training config: {key} = {value} must be {rule}");
        }
    }
}
