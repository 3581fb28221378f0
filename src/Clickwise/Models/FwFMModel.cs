using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// Field-weighted FM: logit = w0 + Σ_f ⟨x_f e_f, v_f⟩ + Σ_{i&lt;j} r_(i,j) ⟨x_i e_i, x_j e_j⟩.
/// Exactly the seed's eq. 6: there is no per-feature first-order weight — the field vectors v replace it
/// (the reference code's <c>use_fwlw</c>), which is what cuts the linear part from V to F·D parameters.
/// </summary>
/// <remarks>Pan et al., "Field-weighted Factorization Machines" (WWW 2018), as written in DeepLight (Deng et al., WSDM 2021) eq. 6.</remarks>
public sealed class FwFMModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly FwFMPart _fwfm;

    public FwFMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _fwfm = new FwFMPart(Parameters, layout, config.EmbeddingDim, random);
        _bias = new BiasPart(Parameters);
    }

    public override void BeginStep(long globalStep) => _embedding.BeginStep(Config.Seed, globalStep);

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _embedding.Prepare(maxBatchSize, compute);
        _fwfm.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _embedding.Forward(batch, training);
        _fwfm.Forward(_embedding.Output, n, logits);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        _fwfm.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        _embedding.BeginBackward(n);
        _fwfm.Backward(_embedding.Output, dLogits, n, _embedding.DOutput);
        _embedding.EndBackward(batch);
        _bias.Backward(dLogits, n);
    }
}
