namespace Clickwise.Training;

/// <summary>
/// Everything besides weights and optimizer state that a resumed run needs to continue exactly: where it is in
/// the data order (epoch e is shuffled with seed + e, so the epoch and the batch index within it suffice), the
/// partial epoch loss, and the early-stopping bookkeeping. Serialised into the checkpoint's extra JSON.
/// </summary>
public sealed class TrainerState
{
    /// <summary>Epochs completed (the 0-based index of the epoch in progress).</summary>
    public int Epoch { get; set; }

    /// <summary>Batches of the current epoch already consumed.</summary>
    public int BatchInEpoch { get; set; }

    public long GlobalStep { get; set; }

    public double EpochLossSum { get; set; }

    public long EpochRows { get; set; }

    public int NonFiniteBatches { get; set; }

    /// <summary>Best validation metric so far; null before the first validated epoch.</summary>
    public double? BestMetric { get; set; }

    /// <summary>1-based epoch of <see cref="BestMetric"/>; 0 when none.</summary>
    public int BestEpoch { get; set; }

    public int EpochsWithoutImprovement { get; set; }

    public bool Stopped { get; set; }

    public List<EpochResult> History { get; set; } = [];

    /// <summary>Data-parallel ranks of the run (1 alone): their shards and batches make the data order, so a resumed run needs as many.</summary>
    public int Ranks { get; set; } = 1;
}
