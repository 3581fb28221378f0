using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// A CTR model is a readable program over planned memory: it owns its parameters and activations sized for
/// <see cref="MaxBatchSize"/> rows, <see cref="Forward"/> calls its layers in order and <see cref="Backward"/>
/// in reverse, accumulating into parameter gradients. No allocation happens inside a step.
/// </summary>
public abstract class CtrModel
{
    protected CtrModel(ModelConfig config, FeatureLayout layout, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        Config = config;
        Layout = layout;
        MaxBatchSize = maxBatchSize;
    }

    public ModelConfig Config { get; }

    public FeatureLayout Layout { get; }

    public int MaxBatchSize { get; }

    public ParameterSet Parameters { get; } = new();

    /// <summary>Logits [B] for the batch; <paramref name="training"/> enables dropout and keeps what backward needs.</summary>
    public abstract void Forward(Batch batch, Span<float> logits, bool training);

    /// <summary>
    /// Called by the trainer before each training forward with the global step, so training randomness (dropout
    /// masks) is a pure function of (seed, step): resuming at step s reproduces the masks without saved RNG state.
    /// </summary>
    public virtual void BeginStep(long globalStep)
    {
    }

    /// <summary>Accumulates parameter gradients from dLogits [B]; must follow a training forward of the same batch.</summary>
    public abstract void Backward(Batch batch, ReadOnlySpan<float> dLogits);

    /// <summary>
    /// Emits the model's evaluation forward into a compiled plan, part by part in the order of <see cref="Forward"/>,
    /// binding the parts' parameters themselves: the model is its one description for training and serving.
    /// </summary>
    internal abstract void Lower(PlanBuilder plan);
}
