using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;
using Clickwise.Inference.Ops;

namespace Clickwise.Models;

/// <summary>
/// FiBiNet: logit = w0 + Σ_f w[id_f]·x_f + DNN([p ‖ q]). The <see cref="SqueezeExcitation"/> (SENET) re-weights the
/// shared embeddings E into V; one <see cref="BilinearInteraction"/> turns E into p [B, P, D] and another, with its own
/// weights, V into q [B, P, D]; the DNN reads their concatenation [B, 2·P·D]. The bilinear sharing
/// (<see cref="FiBiNetOptions.BilinearType"/>) and the SENET reduction ratio (<see cref="FiBiNetOptions.SenetReduction"/>)
/// come from the config. Parameters: embedding, first_order, bias, senet.squeeze, senet.excite, bilinear.e.weight,
/// bilinear.v.weight, mlp.*.
/// </summary>
/// <remarks>Huang et al., "FiBiNET: Combining Feature Importance and Bilinear feature Interaction for Click-Through Rate Prediction" (RecSys 2019), §3 eq. 3-13 (deep FiBiNET).</remarks>
public sealed class FiBiNetModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly EmbeddingPart _embedding;
    private readonly SqueezeExcitation _senet;
    private readonly BilinearInteraction _bilinearE;
    private readonly BilinearInteraction _bilinearV;
    private readonly DeepPart _deep;
    private readonly int _interactionWidth;  // P·D
    private float[] _reweighted = [];    // V [B, F, D]
    private float[] _dReweighted = [];   // [B, F, D]
    private float[] _deepInput = [];     // [p ‖ q] [B, 2·P·D], written in place by the bilinear layers
    private float[] _dDeepInput = [];    // [B, 2·P·D], read in place by the bilinear layers

    public FiBiNetModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        int f = layout.FieldCount, d = config.EmbeddingDim;
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
        _bias = new BiasPart(Parameters);
        FiBiNetOptions options = config.OptionsOf<FiBiNetOptions>();
        _senet = new SqueezeExcitation(Parameters, SenetPrefix, f, d, options.SenetReduction, random);
        _bilinearE = new BilinearInteraction(Parameters, BilinearEPrefix, options.BilinearType, f, d, random);
        _bilinearV = new BilinearInteraction(Parameters, BilinearVPrefix, options.BilinearType, f, d, random);
        _interactionWidth = FieldPairs.Count(f) * d;
        _deep = new DeepPart(Parameters, config, 2 * _interactionWidth, random);
    }

    /// <summary>The SENET's parameter prefix: senet.squeeze [F, R], senet.excite [R, F].</summary>
    public const string SenetPrefix = "senet";

    /// <summary>The prefix of the bilinear layer over the embeddings E: bilinear.e.weight [matrices, D, D].</summary>
    public const string BilinearEPrefix = "bilinear.e";

    /// <summary>The prefix of the bilinear layer over the SENET output V: bilinear.v.weight [matrices, D, D].</summary>
    public const string BilinearVPrefix = "bilinear.v";

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
        _senet.Prepare(maxBatchSize, compute);
        _bilinearE.Prepare(maxBatchSize, compute);
        _bilinearV.Prepare(maxBatchSize, compute);
        _deep.Prepare(maxBatchSize, compute);
        _reweighted = new float[checked(maxBatchSize * _embedding.Width)];
        _dReweighted = new float[_reweighted.Length];
        _deepInput = new float[checked(2 * maxBatchSize * _interactionWidth)];
        _dDeepInput = new float[_deepInput.Length];
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count, w = _interactionWidth;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _embedding.Forward(batch, training);
        Compute.EndPhase("embedding gather");
        _senet.Forward(_embedding.Output, n, _reweighted);
        Compute.EndPhase("senet fwd");
        _bilinearE.Forward(_embedding.Output, n, _deepInput, 2 * w, 0);
        _bilinearV.Forward(_reweighted, n, _deepInput, 2 * w, w);
        Compute.EndPhase("bilinear fwd");
        _deep.Forward(_deepInput.AsSpan(0, 2 * n * w), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        int w = _interactionWidth;
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        TapeRegion reweighted = _senet.Lower(plan, emb);
        TapeRegion deepInput = plan.Allocate(2 * w);
        TapeRegion scratch = plan.Allocate(BilinearOp.ScratchWidth(Layout.FieldCount, _embedding.Dim)); // the two layers run in turn
        _bilinearE.Lower(plan, emb, scratch, deepInput, 0, "e");
        _bilinearV.Lower(plan, reweighted, scratch, deepInput, w, "senet(e)");
        _deep.Lower(plan, deepInput);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count, w = _interactionWidth;
        _deep.Backward(_deepInput.AsSpan(0, 2 * n * w), dLogits, n, _dDeepInput);
        _embedding.BeginBackward(n); // the bilinear layers and SENET accumulate, so dEmb starts from zero
        _dReweighted.AsSpan(0, n * _embedding.Width).Clear();
        _bilinearV.Backward(_reweighted, _dDeepInput, 2 * w, w, n, _dReweighted);
        _bilinearE.Backward(_embedding.Output, _dDeepInput, 2 * w, 0, n, _embedding.DOutput);
        Compute.EndPhase("bilinear bwd");
        _senet.Backward(_embedding.Output, _dReweighted, n, _embedding.DOutput);
        Compute.EndPhase("senet bwd");
        _embedding.EndBackward(batch);
        Compute.EndPhase("embedding scatter");
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
