using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// The PNN family: logit = w0 + MLP([e ‖ products]) over the <see cref="ProductPart"/>; the PNNs have no FM or LR
/// side, the DeepFM-P variants add DeepFM's first-order and FM terms over the same embeddings. w0 is kept
/// (redundant with the MLP's output bias) so every Clickwise plan starts from one folded bias. The variants differ
/// only in which products the part computes and whether the FM side is on; see <see cref="IpnnModel"/>,
/// <see cref="OpnnModel"/>, <see cref="PnnStarModel"/> and the DeepFM-IP/OP/*P models.
/// </summary>
public abstract class PnnModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly ProductPart _product;
    private readonly DeepPart _deep;
    private readonly FirstOrderPart? _firstOrder;
    private readonly FMPart? _fm;

    private protected PnnModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights, bool inner, bool outer, bool fm = false)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        if (fm)
        {
            _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
            _fm = new FMPart(layout.FieldCount, config.EmbeddingDim);
        }

        _product = new ProductPart(Parameters, layout.FieldCount, config.EmbeddingDim, inner, outer, random);
        _bias = new BiasPart(Parameters);
        _deep = new DeepPart(Parameters, config, _product.Width, random);
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
        _firstOrder?.Prepare(maxBatchSize);
        _fm?.Prepare(maxBatchSize);
        _product.Prepare(maxBatchSize, compute);
        _deep.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder?.Forward(batch, logits);
        _embedding.Forward(batch, training);
        _fm?.Forward(_embedding.OutputFor(n), n, logits);
        _product.Forward(_embedding.OutputFor(n), n);
        _deep.Forward(_product.Output.AsSpan(0, n * _product.Width), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder?.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        _fm?.Lower(plan, emb);
        TapeRegion products = _product.Lower(plan, emb);
        _deep.Lower(plan, products);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        Span<float> emb = _embedding.OutputFor(n);
        _deep.Backward(_product.Output.AsSpan(0, n * _product.Width), dLogits, n, _product.DOutput);
        _product.Backward(emb, n, _embedding.DOutputFor(n)); // writes dEmb first, so no clearing
        _fm?.Backward(emb, dLogits, n, _embedding.DOutputFor(n));
        _embedding.EndBackward(batch);
        _firstOrder?.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
