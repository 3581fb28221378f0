using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// The DNN baseline: logit = w0 + MLP over the flattened embeddings [B, F·D], with no first- or second-order term.
/// w0 and the DNN's output bias are both kept, as in <see cref="DeepFMModel"/>: redundant but harmless.
/// </summary>
/// <remarks>Guo et al., "DeepFM: An End-to-End Wide &amp; Deep Learning Framework for CTR Prediction" (extended version), §III.A.1 baseline "DNN".</remarks>
public sealed class DnnModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly DeepPart _deep;

    public DnnModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _bias = new BiasPart(Parameters);
        _deep = new DeepPart(Parameters, config, _embedding.Width, random);
    }

    public override Mlp? Dnn => _deep.Mlp;

    public override void BeginStep(long globalStep)
    {
        _embedding.BeginStep(Config.Seed, globalStep);
        _deep.BeginStep(Config.Seed, globalStep);
    }

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _embedding.Prepare(maxBatchSize, compute);
        _deep.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _embedding.Forward(batch, training);
        _deep.Forward(_embedding.OutputFor(n), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        _deep.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        _deep.Backward(_embedding.OutputFor(n), dLogits, n, _embedding.DOutputFor(n)); // the only consumer: writes dEmb
        _embedding.EndBackward(batch);
        _bias.Backward(dLogits, n);
    }
}
