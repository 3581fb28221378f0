using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// Wide &amp; Deep in the DeepFM paper's "FM &amp; DNN" form: the wide part is an FM — w0 + Σ_f w[id_f]·x_f +
/// Σ_{i&lt;j} ⟨x_i u_i, x_j u_j⟩ over its own table "wide.embedding" — and the deep part the MLP over the flattened
/// embeddings of a separate table "embedding" [B, F·D], trained jointly. The two tables are what set it apart from
/// DeepFM, whose FM and DNN share one.
/// </summary>
/// <remarks>
/// Cheng et al., "Wide &amp; Deep Learning for Recommender Systems" (DLRS 2016) with LR replaced by FM, as Guo et al., DeepFM
/// (extended version), §III.C.3 and §IV.A.3 ("FM &amp; DNN") evaluate it.
/// </remarks>
public sealed class WideDeepFMModel : CtrModel
{
    /// <summary>The wide FM's own table.</summary>
    public const string WideTableName = "wide.embedding";

    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly EmbeddingPart _embedding;
    private readonly EmbeddingPart _wide;
    private readonly FMPart _fm;
    private readonly DeepPart _deep;

    public WideDeepFMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _wide = new EmbeddingPart(Parameters, layout, config.EmbeddingDim, config.InitStd, random, WideTableName);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
        _bias = new BiasPart(Parameters);
        _fm = new FMPart(layout.FieldCount, config.EmbeddingDim);
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
        _wide.Prepare(maxBatchSize, compute);
        _firstOrder.Prepare(maxBatchSize);
        _fm.Prepare(maxBatchSize);
        _deep.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _wide.Forward(batch, training);
        _fm.Forward(_wide.OutputFor(n), n, logits);
        _embedding.Forward(batch, training);
        _deep.Forward(_embedding.OutputFor(n), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        TapeRegion wide = _wide.Lower(plan);
        _fm.Lower(plan, wide);
        TapeRegion emb = _embedding.Lower(plan);
        _deep.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        _deep.Backward(_embedding.OutputFor(n), dLogits, n, _embedding.DOutputFor(n)); // the deep table's only consumer: writes
        _embedding.EndBackward(batch);
        _wide.BeginBackward(n);
        _fm.Backward(_wide.OutputFor(n), dLogits, n, _wide.DOutputFor(n));
        _wide.EndBackward(batch);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
