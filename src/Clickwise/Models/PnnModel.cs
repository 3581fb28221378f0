using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The PNN family: logit = w0 + MLP([e ‖ products]) over the <see cref="ProductPart"/>, with no FM or LR side.
/// w0 is kept (redundant with the MLP's output bias) so every Clickwise plan starts from one folded bias.
/// The three variants differ only in which products the part computes; see <see cref="IpnnModel"/>,
/// <see cref="OpnnModel"/> and <see cref="PnnStarModel"/>.
/// </summary>
public abstract class PnnModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly ProductPart _product;
    private readonly DeepPart _deep;

    private protected PnnModel(ModelConfig config, FeatureLayout layout, int maxBatchSize, bool inner, bool outer)
        : base(config, layout, maxBatchSize)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = new EmbeddingPart(Parameters, layout, config.EmbeddingDim, maxBatchSize, config.InitStd, random);
        _product = new ProductPart(Parameters, layout.FieldCount, config.EmbeddingDim, inner, outer, maxBatchSize, random);
        _bias = new BiasPart(Parameters);
        _deep = new DeepPart(Parameters, config, _product.Width, maxBatchSize, random);
    }

    /// <summary>The DNN component, e.g. to replay dropout masks.</summary>
    public Mlp Mlp => _deep.Mlp;

    public override void BeginStep(long globalStep) => _deep.BeginStep(Config.Seed, globalStep);

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _embedding.Forward(batch);
        _product.Forward(_embedding.OutputFor(n), n);
        _deep.Forward(_product.Output.AsSpan(0, n * _product.Width), n, logits, training);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        Span<float> emb = _embedding.OutputFor(n);
        _deep.Backward(_product.Output.AsSpan(0, n * _product.Width), dLogits, n, _product.DOutput);
        _product.Backward(emb, n, _embedding.DOutputFor(n)); // writes dEmb first, so no clearing
        _embedding.EndBackward(batch);
        _bias.Backward(dLogits, n);
    }
}
