using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// FiBiNet: logit = w0 + Σ_f w[id_f]·x_f + DNN([p ‖ q]). The <see cref="SqueezeExcitation"/> (SENET) re-weights the
/// shared embeddings E into V; one <see cref="BilinearInteraction"/> turns E into p [B, P, D] and another, with its own
/// weights, V into q [B, P, D]; the DNN reads their concatenation [B, 2·P·D]. The bilinear sharing
/// (<see cref="ModelConfig.BilinearType"/>) and the SENET reduction ratio (<see cref="ModelConfig.SenetReduction"/>)
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
    private readonly float[] _reweighted;    // V [B, F, D]
    private readonly float[] _dReweighted;   // [B, F, D]
    private readonly float[] _p;             // bilinear(E) [B, P, D]
    private readonly float[] _q;             // bilinear(V) [B, P, D]
    private readonly float[] _deepInput;     // [p ‖ q] [B, 2·P·D]
    private readonly float[] _dDeepInput;    // [B, 2·P·D], then reused for dp and dq

    public FiBiNetModel(ModelConfig config, FeatureLayout layout, int maxBatchSize)
        : base(config, layout, maxBatchSize)
    {
        var random = new SeededRandom(config.Seed);
        int f = layout.FieldCount, d = config.EmbeddingDim;
        _embedding = new EmbeddingPart(Parameters, layout, d, maxBatchSize, config.InitStd, random);
        _firstOrder = new FirstOrderPart(Parameters, layout, maxBatchSize, config.InitStd, random);
        _bias = new BiasPart(Parameters);
        _senet = new SqueezeExcitation(Parameters, SenetPrefix, f, d, config.SenetReduction, maxBatchSize, random);
        _bilinearE = new BilinearInteraction(Parameters, BilinearEPrefix, config.BilinearType, f, d, maxBatchSize, random);
        _bilinearV = new BilinearInteraction(Parameters, BilinearVPrefix, config.BilinearType, f, d, maxBatchSize, random);
        _interactionWidth = FieldPairs.Count(f) * d;
        _deep = new DeepPart(Parameters, config, 2 * _interactionWidth, maxBatchSize, random);
        _reweighted = new float[checked(maxBatchSize * f * d)];
        _dReweighted = new float[_reweighted.Length];
        _p = new float[checked(maxBatchSize * _interactionWidth)];
        _q = new float[_p.Length];
        _deepInput = new float[checked(2 * _p.Length)];
        _dDeepInput = new float[_deepInput.Length];
    }

    /// <summary>The SENET's parameter prefix: senet.squeeze [F, R], senet.excite [R, F].</summary>
    public const string SenetPrefix = "senet";

    /// <summary>The prefix of the bilinear layer over the embeddings E: bilinear.e.weight [matrices, D, D].</summary>
    public const string BilinearEPrefix = "bilinear.e";

    /// <summary>The prefix of the bilinear layer over the SENET output V: bilinear.v.weight [matrices, D, D].</summary>
    public const string BilinearVPrefix = "bilinear.v";

    /// <summary>The DNN component, e.g. to replay dropout masks.</summary>
    public Mlp Mlp => _deep.Mlp;

    public override void BeginStep(long globalStep) => _deep.BeginStep(Config.Seed, globalStep);

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count, w = _interactionWidth;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _embedding.Forward(batch);
        Span<float> emb = _embedding.OutputFor(n), v = _reweighted.AsSpan(0, n * _embedding.Width);
        _senet.Forward(emb, n, v);
        _bilinearE.Forward(emb, n, _p);
        _bilinearV.Forward(v, n, _q);
        for (int b = 0; b < n; b++)
        {
            _p.AsSpan(b * w, w).CopyTo(_deepInput.AsSpan(2 * b * w, w));
            _q.AsSpan(b * w, w).CopyTo(_deepInput.AsSpan((2 * b + 1) * w, w));
        }

        _deep.Forward(_deepInput.AsSpan(0, 2 * n * w), n, logits, training);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count, w = _interactionWidth;
        Span<float> emb = _embedding.OutputFor(n), dEmb = _embedding.DOutputFor(n);
        Span<float> v = _reweighted.AsSpan(0, n * _embedding.Width), dV = _dReweighted.AsSpan(0, v.Length);
        _deep.Backward(_deepInput.AsSpan(0, 2 * n * w), dLogits, n, _dDeepInput);

        // Split [dp ‖ dq] rows into dp (reusing _p) and dq (reusing _q): both were only kept for the DNN's input.
        for (int b = 0; b < n; b++)
        {
            _dDeepInput.AsSpan(2 * b * w, w).CopyTo(_p.AsSpan(b * w, w));
            _dDeepInput.AsSpan((2 * b + 1) * w, w).CopyTo(_q.AsSpan(b * w, w));
        }

        _embedding.BeginBackward(n); // the bilinear layers and SENET accumulate, so dEmb starts from zero
        dV.Clear();
        _bilinearV.Backward(v, _q, n, dV);
        _bilinearE.Backward(emb, _p, n, dEmb);
        _senet.Backward(emb, dV, n, dEmb);
        _embedding.EndBackward(batch);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
