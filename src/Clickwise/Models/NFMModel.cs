using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// NFM: logit = w0 + Σ_f w[id_f]·x_f + DNN(f_BI), where f_BI = Σ_{i&lt;j} x_i e_i ⊙ x_j e_j [B, D] is the
/// <see cref="BiInteraction"/> pooling of the shared embeddings and the DNN the <see cref="Mlp"/> (its last linear
/// layer is the paper's projection h). Dropout acts after every hidden layer as the config says; the paper's extra
/// dropout and batch norm on f_BI itself are not part of this model.
/// </summary>
/// <remarks>He and Chua, "Neural Factorization Machines for Sparse Predictive Analytics" (SIGIR 2017), eq. 2-5.</remarks>
public sealed class NFMModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly EmbeddingPart _embedding;
    private readonly BiInteractionPart _biInteraction;
    private readonly DeepPart _deep;

    public NFMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
        _bias = new BiasPart(Parameters);
        _biInteraction = new BiInteractionPart(layout.FieldCount, config.EmbeddingDim);
        _deep = new DeepPart(Parameters, config, config.EmbeddingDim, random);
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
        _biInteraction.Prepare(maxBatchSize);
        _deep.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _embedding.Forward(batch, training);
        _biInteraction.Forward(_embedding.OutputFor(n), n);
        _deep.Forward(_biInteraction.OutputFor(n), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        TapeRegion pooled = _biInteraction.Lower(plan, emb);
        _deep.Lower(plan, pooled);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        Span<float> emb = _embedding.OutputFor(n);
        _deep.Backward(_biInteraction.OutputFor(n), dLogits, n, _biInteraction.DOutputFor(n));
        _embedding.BeginBackward(n); // bi-interaction accumulates, so dEmb starts from zero
        _biInteraction.Backward(emb, n, _embedding.DOutputFor(n));
        _embedding.EndBackward(batch);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
