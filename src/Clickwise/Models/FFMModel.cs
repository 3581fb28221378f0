using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// Field-aware factorization machine: logit = w0 + Σ_f w[id_f]·x_f + Σ_{i&lt;j} ⟨v_{i,f_j}, v_{j,f_i}⟩ x_i x_j, where each
/// feature keeps one D-wide vector per field it may meet. The vectors live in one row-sparse table "ffm.embedding"
/// [V, F·D] (row id = the F vectors of feature id, field-major), read in place by the pair term (nothing [B, F, F, D]
/// is gathered) and updated lazily row by row like any embedding.
/// </summary>
/// <remarks>
/// Juan et al., "Field-aware Factorization Machines for CTR Prediction" (RecSys 2016), eq. 2 plus the linear terms of
/// their libffm; docs/math/ffm.md. The table is F times as wide as an FM's, so FFM is run with a small D (libffm's default k is 4).
/// </remarks>
public sealed class FFMModel : CtrModel
{
    /// <summary>The field-aware table's parameter name.</summary>
    public const string TableName = "ffm.embedding";

    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly FFMPart _ffm;

    public FFMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        EmbeddingPart.RefuseRank(config, "ffm's field-aware table has no compressed form");
        EmbeddingPart.RefuseQuotientRemainder(config, "ffm's field-aware table has no quotient-remainder form");
        EmbeddingPart.RefuseMask(config, "ffm's field-aware rows are F·D wide, one per field pair");

        var random = new SeededRandom(config.Seed);
        _ffm = new FFMPart(Parameters, TableName, layout, config.EmbeddingDim, config.InitStd, random);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
        _bias = new BiasPart(Parameters);
    }

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _ffm.Prepare(maxBatchSize, compute);
        _firstOrder.Prepare(maxBatchSize);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _ffm.Forward(batch, logits);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        _ffm.Lower(plan);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        _ffm.Backward(batch, dLogits);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
