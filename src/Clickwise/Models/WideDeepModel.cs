using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// Wide &amp; Deep in the DeepFM paper's "LR &amp; DNN" form: logit = w0 + Σ_f w[id_f]·x_f (wide: LR over the raw
/// features, no hand-made cross features) + MLP over the flattened embeddings [B, F·D] (deep), trained jointly.
/// </summary>
/// <remarks>Cheng et al., "Wide &amp; Deep Learning for Recommender Systems" (DLRS 2016), eq. 3, in the LR &amp; DNN form of Guo et al., DeepFM (extended version), §III.A.1.</remarks>
public sealed class WideDeepModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly EmbeddingPart _embedding;
    private readonly DeepPart _deep;

    public WideDeepModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
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
        _firstOrder.Prepare(maxBatchSize);
        _deep.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _embedding.Forward(batch, training);
        _deep.Forward(_embedding.OutputFor(n), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        _deep.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        _deep.Backward(_embedding.OutputFor(n), dLogits, n, _embedding.DOutputFor(n)); // the only consumer: writes dEmb
        _embedding.EndBackward(batch);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
