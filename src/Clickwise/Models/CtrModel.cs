using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// A CTR model is a readable program over planned memory. Construction builds the architecture and its weights
/// (initialised from the config's seed, or taken from saved tensors) and nothing sized by a batch, so a model can be
/// compiled, inspected or transformed as built. <see cref="PrepareTraining"/> then plans the activations and row
/// gradients for <see cref="MaxBatchSize"/> rows; <see cref="Forward"/> calls the parts in order and
/// <see cref="Backward"/> in reverse, accumulating into parameter gradients. No allocation happens inside a step.
/// </summary>
public abstract class CtrModel
{
    /// <param name="weights">Saved tensors by parameter name, taken as the values (not copied); null initialises.</param>
    protected CtrModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights)
    {
        Config = config;
        Layout = layout;
        Parameters = new ParameterSet(weights);
    }

    public ModelConfig Config { get; }

    public FeatureLayout Layout { get; }

    /// <summary>Rows a step may hold; 0 until <see cref="PrepareTraining"/>.</summary>
    public int MaxBatchSize { get; private set; }

    public ParameterSet Parameters { get; }

    /// <summary>The threads, kernels and phase sink of <see cref="Forward"/> and <see cref="Backward"/>, from <see cref="PrepareTraining"/>.</summary>
    public ComputeContext Compute { get; private set; } = ComputeContext.Default;

    /// <summary>
    /// Plans the training state for batches of up to <paramref name="maxBatchSize"/> rows: every part's activations
    /// and the row gradients of the tables (a one-hot step touches at most B·F rows of each; multi-hot steps grow them). Needed before
    /// <see cref="Forward"/>, in training and evaluation alike; calling it again with another size or context re-plans.
    /// </summary>
    /// <param name="maxBatchSize">Most rows of a step.</param>
    /// <param name="compute">How the steps run; null is <see cref="ComputeContext.Default"/>.</param>
    public void PrepareTraining(int maxBatchSize, ComputeContext? compute = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        compute ??= ComputeContext.Default;
        if (maxBatchSize == MaxBatchSize && compute == Compute)
        {
            return;
        }

        ModelTooLargeException.Guard(() =>
        {
            Parameters.PrepareRowGradients(checked(maxBatchSize * Layout.FieldCount));
            Prepare(maxBatchSize, compute);
        }, () => $"a batch of {maxBatchSize:N0} rows of {Config.Name}'s activations");
        Compute = compute;
        MaxBatchSize = maxBatchSize;
    }

    /// <summary>The model's DNN (φ_Deep), for compressions that rewrite it; null for a model without one.</summary>
    public virtual Mlp? Dnn => null;

    /// <summary>Allocates the parts' activations for <paramref name="maxBatchSize"/> rows; the parts keep <paramref name="compute"/>.</summary>
    protected abstract void Prepare(int maxBatchSize, ComputeContext compute);

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
