using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>Logistic regression: logit = w0 + Σ_f w[id_f]·x_f.</summary>
/// <remarks>DeepLight (Deng et al., WSDM 2021) eq. 2, φ_LR.</remarks>
public sealed class LRModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;

    public LRModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        EmbeddingPart.RefuseRank(config, "lr has no embedding table");
        EmbeddingPart.RefuseQuotientRemainder(config, "lr has no embedding table");
        EmbeddingPart.RefuseMask(config, "lr has no embedding table");

        var random = new SeededRandom(config.Seed);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
        _bias = new BiasPart(Parameters);
    }

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _firstOrder.Prepare(maxBatchSize);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, batch.Count);
    }
}
