using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// DeepFM-D: logit = y_FM + y_DNN with shared embeddings, where y_FM = w0 + Σ_f w[id_f]·x_f + Σ_{i&lt;j} ⟨x_i e_i, x_j e_j⟩
/// and y_DNN is the <see cref="Mlp"/> over the flattened embeddings [B, F·D]. The DNN's output bias and w0 are
/// both kept (the paper's eq. 8 bias and its omitted "constant offset"); they are redundant but harmless.
/// </summary>
/// <remarks>Guo et al., "DeepFM: An End-to-End Wide &amp; Deep Learning Framework for CTR Prediction" (extended version), eq. 1, 4, 7-8.</remarks>
public sealed class DeepFMModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly EmbeddingPart _embedding;
    private readonly FMPart _fm;
    private readonly DeepPart _deep;

    public DeepFMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
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
        _embedding.Forward(batch, training);
        Span<float> emb = _embedding.OutputFor(n);
        _fm.Forward(emb, n, logits);
        _deep.Forward(emb, n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        _fm.Lower(plan, emb);
        _deep.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        Span<float> emb = _embedding.OutputFor(n);
        Span<float> dEmb = _embedding.DOutputFor(n);
        _deep.Backward(emb, dLogits, n, dEmb); // first consumer: writes dEmb, so no clearing first
        _fm.Backward(emb, dLogits, n, dEmb);
        _embedding.EndBackward(batch);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
