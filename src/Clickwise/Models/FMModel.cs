using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>Factorization machine: logit = w0 + Σ_f w[id_f]·x_f + Σ_{i&lt;j} ⟨x_i e_i, x_j e_j⟩.</summary>
/// <remarks>Rendle, "Factorization Machines" (ICDM 2010), as written in DeepLight (Deng et al., WSDM 2021) eq. 4.</remarks>
public sealed class FMModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly EmbeddingPart _embedding;
    private readonly FMPart _fm;

    public FMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
        _bias = new BiasPart(Parameters);
        _fm = new FMPart(layout.FieldCount, config.EmbeddingDim);
    }

    public override void BeginStep(long globalStep) => _embedding.BeginStep(Config.Seed, globalStep);

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _embedding.Prepare(maxBatchSize, compute);
        _firstOrder.Prepare(maxBatchSize);
        _fm.Prepare(maxBatchSize);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _embedding.Forward(batch, training);
        _fm.Forward(_embedding.OutputFor(n), n, logits);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        _fm.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        _embedding.BeginBackward(n);
        _fm.Backward(_embedding.OutputFor(n), dLogits, n, _embedding.DOutputFor(n));
        _embedding.EndBackward(batch);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
