using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// DeepFwFM: φ_DeepFwFM = φ_Deep + φ_FwFM over shared embeddings, with φ_FwFM as in <see cref="FwFMModel"/>
/// (w0, field vectors v, pair weights r; no per-feature first-order weights) and φ_Deep the <see cref="Mlp"/>
/// over the flattened embeddings [B, F·D].
/// </summary>
/// <remarks>Deng et al., "DeepLight: Deep Lightweight Feature Interactions for Accelerating CTR Predictions in Ad Serving" (WSDM 2021), eq. 6-7.</remarks>
public sealed class DeepFwFMModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly FwFMPart _fwfm;
    private readonly DeepPart _deep;

    public DeepFwFMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _fwfm = new FwFMPart(Parameters, layout, config.EmbeddingDim, random);
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
        _fwfm.Prepare(maxBatchSize, compute);
        _deep.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _embedding.Forward(batch, training);
        Compute.EndPhase("embedding gather");
        Span<float> emb = _embedding.OutputFor(n);
        _fwfm.Forward(_embedding.Output, n, logits);
        Compute.EndPhase("fwfm fwd");
        _deep.Forward(emb, n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        _fwfm.Lower(plan, emb);
        _deep.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        Span<float> emb = _embedding.OutputFor(n);
        Span<float> dEmb = _embedding.DOutputFor(n);
        _deep.Backward(emb, dLogits, n, dEmb); // first consumer: writes dEmb, so no clearing first
        _fwfm.Backward(_embedding.Output, dLogits, n, _embedding.DOutput);
        Compute.EndPhase("fwfm bwd");
        _embedding.EndBackward(batch);
        _bias.Backward(dLogits, n);
        Compute.EndPhase("embedding scatter");
    }
}
