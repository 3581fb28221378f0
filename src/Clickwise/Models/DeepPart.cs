using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>φ_Deep: the <see cref="Mlp"/> over the flattened shared embeddings [B, F·D], adding its output to the logits.</summary>
internal sealed class DeepPart
{
    private float[] _output = [];

    public DeepPart(ParameterSet parameters, ModelConfig config, int inputSize, SeededRandom random) =>
        Mlp = new Mlp(parameters, "mlp", inputSize, config.HiddenUnits, config.Dropout, random, DropoutSeeds.For(config.Seed), config.Activation,
            ranks: config.MlpRanks, innerRelu: config.MlpInnerRelu);

    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        Mlp.Prepare(maxBatchSize, compute);
        _output = new float[maxBatchSize];
    }

    public Mlp Mlp { get; }

    /// <summary>Reseeds dropout for a training step (see <see cref="CtrModel.BeginStep"/>).</summary>
    public void BeginStep(int modelSeed, long globalStep) => Mlp.ResetDropout(DropoutSeeds.For(modelSeed, globalStep));

    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> logits, bool training)
    {
        Mlp.Forward(embeddings, batchSize, _output, training);
        LogitSum.Add(_output, batchSize, logits);
    }

    /// <summary>Writes (not accumulates) dEmbeddings [B, F·D]: models run it first, so their buffer needs no clearing.</summary>
    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dLogits, int batchSize, Span<float> dEmbeddings) =>
        Mlp.Backward(embeddings, dLogits, batchSize, dEmbeddings, overwriteInput: true);

    /// <summary>The DNN over <paramref name="input"/> into the logits, dense or as the sparse planner measures best.</summary>
    public void Lower(PlanBuilder plan, TapeRegion input) => Mlp.Lower(plan, input);
}
