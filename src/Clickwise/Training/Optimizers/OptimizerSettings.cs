using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Hyper-parameters shared by the optimizers. Held as doubles so bias corrections and the (1 − β) factors are
/// computed the way PyTorch computes them from Python floats before they are narrowed to the fp32 kernels.
/// </summary>
/// <remarks>
/// L2 follows PyTorch's <c>weight_decay</c>: g ← g + λ·w before the moments. λ is <see cref="L2Embedding"/> for
/// <see cref="ParameterRole.Embedding"/> and <see cref="ParameterRole.FirstOrder"/> tables (the rows the update visits: every row in
/// <see cref="AdamMode.Dense"/>, else the touched ones) and for <see cref="ParameterRole.TensorTrainCore"/> cores (dense, every
/// step: they stand for a field's rows), and
/// <see cref="L2Net"/> for every other parameter, biases included: DeepLight's code passes all parameters to one
/// Adam with weight_decay, so biases are decayed there too and we match it.
/// </remarks>
public sealed record OptimizerSettings
{
    public double LearningRate { get; init; } = 1e-3;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator; null picks the optimizer's PyTorch default (Adam 1e-8, Adagrad 1e-10).</summary>
    public double? Eps { get; init; }

    /// <summary>FTRL's β (the per-coordinate learning rate is α/(β + √n)); the paper's default 1.</summary>
    public double FtrlBeta { get; init; } = 1;

    /// <summary>FTRL's λ1: weights whose |z| stays within it are exactly zero. Other optimizers ignore it.</summary>
    public double L1 { get; init; }

    public double L2Embedding { get; init; }

    public double L2Net { get; init; }

    /// <summary>How Adam updates row-sparse tables; other optimizers ignore it.</summary>
    public AdamMode AdamMode { get; init; }

    /// <summary>Plain SGD's rate for <see cref="ParameterRole.Threshold"/> parameters (OptEmbed), whatever the optimizer; 0 freezes them.</summary>
    public double ThresholdLearningRate { get; init; }

    /// <summary>α of the thresholds' penalty α·Σ exp(−t), whose gradient −α·exp(−t) the threshold step adds.</summary>
    public double ThresholdPenalty { get; init; }

    public float L2For(ParameterRole role) =>
        (float)(role is ParameterRole.Embedding or ParameterRole.FirstOrder or ParameterRole.TensorTrainCore ? L2Embedding : L2Net);
}
