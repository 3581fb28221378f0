using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// FinalMLP: two MLP streams over the flattened embeddings e [B, F·D], each behind its own feature-selection gate
/// (x_s = e ⊙ 2σ(MLP_s(c_s)), a learned context and no context features), joined by multi-head bilinear fusion:
/// logit = w0 + o1·w_x + o2·w_y + Σ_h o1_hᵀ W_h o2_h with o1 = mlp1(x_1) (the core's hidden units, activation and dropout)
/// and o2 = mlp2(x_2) (<see cref="FinalMlpOptions"/>). Parameters: embedding, bias, fs1.*, fs2.*, mlp1.*, mlp2.*, fusion.*.
/// In the compiled plan each constant gate is folded into the rows of its stream's first weight.
/// </summary>
/// <remarks>Mao et al., "FinalMLP: An Enhanced Two-Stream MLP Model for CTR Prediction" (AAAI 2023), eq. 1-6, as FuxiCTR's FinalMLP; docs/math/finalmlp.md.</remarks>
public sealed class FinalMlpModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly FeatureSelectionGate _gate1, _gate2;
    private readonly Mlp _stream1, _stream2;
    private readonly BilinearFusion _fusion;
    private float[] _x1 = [], _x2 = [];     // gated inputs [B, F·D]
    private float[] _dX1 = [], _dX2 = [];   // [B, F·D]
    private float[] _o1 = [], _o2 = [];     // stream outputs [B, H1], [B, H2]
    private float[] _dO1 = [], _dO2 = [];
    private float[] _fused = [];            // [B]

    public FinalMlpModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        FinalMlpOptions options = config.OptionsOf<FinalMlpOptions>();
        if (config.HiddenUnits.Length == 0 || config.HiddenUnits[^1] % options.NumHeads != 0)
        {
            throw new ArgumentException(
                $"finalmlp needs hidden_units whose last layer num_heads ({options.NumHeads}) divides, got [{string.Join(", ", config.HiddenUnits)}].");
        }

        if (config.MlpRanks.Length > 0)
        {
            throw new ArgumentException("finalmlp's streams have no low-rank form: mlp_ranks applies to models with one DNN.");
        }

        var random = new SeededRandom(config.Seed);
        int d = config.EmbeddingDim;
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _bias = new BiasPart(Parameters);
        int w = _embedding.Width;
        _gate1 = new FeatureSelectionGate(Parameters, "fs1", d, options.FsHiddenUnits, w, random);
        _gate2 = new FeatureSelectionGate(Parameters, "fs2", d, options.FsHiddenUnits, w, random);
        _stream1 = new Mlp(Parameters, "mlp1", w, config.HiddenUnits, config.Dropout, random, DropoutSeeds.For(config.Seed),
            config.Activation, outputUnit: false);
        _stream2 = new Mlp(Parameters, "mlp2", w, options.Mlp2HiddenUnits, config.Dropout, random, ~DropoutSeeds.For(config.Seed),
            config.Activation, outputUnit: false);
        _fusion = new BilinearFusion(Parameters, "fusion", _stream1.OutputSize, _stream2.OutputSize, options.NumHeads, random);
    }

    /// <summary>Both streams draw their own dropout masks from the step, as every DNN here does.</summary>
    public override void BeginStep(long globalStep)
    {
        _embedding.BeginStep(Config.Seed, globalStep);
        long seed = DropoutSeeds.For(Config.Seed, globalStep);
        _stream1.ResetDropout(seed);
        _stream2.ResetDropout(~seed);
    }

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _embedding.Prepare(maxBatchSize, compute);
        _gate1.Prepare(maxBatchSize, compute);
        _gate2.Prepare(maxBatchSize, compute);
        _stream1.Prepare(maxBatchSize, compute);
        _stream2.Prepare(maxBatchSize, compute);
        _fusion.Prepare(maxBatchSize, compute);
        int inputs = checked(maxBatchSize * _embedding.Width);
        (_x1, _x2, _dX1, _dX2) = (new float[inputs], new float[inputs], new float[inputs], new float[inputs]);
        (_o1, _dO1) = (new float[checked(maxBatchSize * _stream1.OutputSize)], new float[checked(maxBatchSize * _stream1.OutputSize)]);
        (_o2, _dO2) = (new float[checked(maxBatchSize * _stream2.OutputSize)], new float[checked(maxBatchSize * _stream2.OutputSize)]);
        _fused = new float[maxBatchSize];
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _embedding.Forward(batch, training);
        Span<float> emb = _embedding.OutputFor(n);
        _gate1.Forward(emb, n, _x1);
        _stream1.Forward(_x1.AsSpan(0, emb.Length), n, _o1, training);
        _gate2.Forward(emb, n, _x2);
        _stream2.Forward(_x2.AsSpan(0, emb.Length), n, _o2, training);
        _fusion.Forward(_o1, _o2, n, _fused);
        LogitSum.Add(_fused, n, logits);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        TapeRegion o1 = LowerStream(plan, _gate1, _stream1, emb);
        TapeRegion o2 = LowerStream(plan, _gate2, _stream2, emb);
        _fusion.Lower(plan, o1, o2);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count;
        Span<float> emb = _embedding.OutputFor(n), dEmb = _embedding.DOutputFor(n);
        _dO1.AsSpan(0, n * _stream1.OutputSize).Clear();
        _dO2.AsSpan(0, n * _stream2.OutputSize).Clear();
        _fusion.Backward(_o1, _o2, dLogits, n, _dO1, _dO2);
        _stream2.Backward(_x2.AsSpan(0, emb.Length), _dO2, n, _dX2, overwriteInput: true);
        _stream1.Backward(_x1.AsSpan(0, emb.Length), _dO1, n, _dX1, overwriteInput: true);
        _embedding.BeginBackward(n); // both gates accumulate into dEmb
        _gate2.Backward(emb, _dX2, n, dEmb);
        _gate1.Backward(emb, _dX1, n, dEmb);
        _embedding.EndBackward(batch);
        _bias.Backward(dLogits, n);
    }

    /// <summary>A stream as hidden layers over the embeddings, its constant gate folded into the first weight's rows.</summary>
    private static TapeRegion LowerStream(PlanBuilder plan, FeatureSelectionGate gate, Mlp stream, TapeRegion embeddings)
    {
        float[][] weights = [.. stream.Weights.Select(p => p!.Value)]; // streams are never low-rank
        weights[0] = FeatureSelectionGate.FoldIntoWeight(gate.ComputeGate(), weights[0], stream.InputSize, stream.Biases[0].Length);
        return plan.HiddenLayers(weights, [.. stream.Biases.Select(p => p.Value)], stream.Activation, embeddings);
    }
}
