using System.Numerics.Tensors;
using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// xDeepFM: logit = w0 + Σ_f w[id_f]·x_f + p⁺·w_cin + DNN(x_0) over one shared embedding, where p⁺ [B, Σ pooled] is
/// the sum-pooled output of the <see cref="CompressedInteractionNetwork"/> over the embeddings [B, F, D]
/// (<see cref="XDeepFMOptions"/>) and the DNN the <see cref="Mlp"/>
/// over the flattened embeddings [B, F·D]. The paper's single output unit over [a, x_dnn, p⁺] is split like the
/// cross models' combination unit: the DNN half is the Mlp's output layer, the CIN half is cin.output.weight
/// [Σ pooled, 1], and the linear half is the first-order table itself.
/// </summary>
/// <remarks>Lian et al., "xDeepFM: Combining Explicit and Implicit Feature Interactions for Recommender Systems" (KDD 2018), eq. 6-8.</remarks>
public sealed class XDeepFMModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly FirstOrderPart _firstOrder;
    private readonly EmbeddingPart _embedding;
    private readonly CompressedInteractionNetwork _cin;
    private readonly Parameter _cinOutput;
    private readonly DeepPart _deep;
    private float[] _pooled = [];   // p⁺ [B, Σ pooled]
    private float[] _dPooled = [];  // ∂/∂p⁺ [B, Σ pooled]

    public XDeepFMModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _firstOrder = new FirstOrderPart(Parameters, layout, config.InitStd, random);
        _bias = new BiasPart(Parameters);
        XDeepFMOptions options = config.OptionsOf<XDeepFMOptions>();
        _cin = new CompressedInteractionNetwork(Parameters, "cin", layout.FieldCount, config.EmbeddingDim, options.CinLayers,
            options.CinSplitHalf, random);
        // Initialised as the CIN half of one Xavier-uniform unit over [p⁺, h_top].
        int pooled = _cin.OutputSize;
        int top = config.HiddenUnits.Length > 0 ? config.HiddenUnits[^1] : _embedding.Width;
        _cinOutput = Parameters.Add(Parameter.Dense("cin.output.weight", ParameterRole.DenseWeight, pooled, 1))
            .Glorot(random, pooled + top, 1);
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
        _cin.Prepare(maxBatchSize, compute);
        _deep.Prepare(maxBatchSize, compute);
        _pooled = new float[checked(maxBatchSize * _cin.OutputSize)];
        _dPooled = new float[_pooled.Length];
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count, pooled = _cin.OutputSize;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, logits);
        _embedding.Forward(batch, training);
        Span<float> emb = _embedding.OutputFor(n);
        _cin.Forward(emb, n, _pooled);
        ReadOnlySpan<float> w = _cinOutput.Value;
        for (int b = 0; b < n; b++)
        {
            logits[b] += TensorPrimitives.Dot(_pooled.AsSpan(b * pooled, pooled), w);
        }

        _deep.Forward(emb, n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        _firstOrder.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        plan.Add(_cin.Lower(_cinOutput.Value, emb, plan));
        _deep.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count, pooled = _cin.OutputSize;
        Span<float> emb = _embedding.OutputFor(n);
        Span<float> dEmb = _embedding.DOutputFor(n);
        _deep.Backward(emb, dLogits, n, dEmb); // first consumer: writes dEmb, so no clearing first
        ReadOnlySpan<float> w = _cinOutput.Value;
        Span<float> dW = _cinOutput.Grad!;
        for (int b = 0; b < n; b++)
        {
            TensorPrimitives.Multiply(w, dLogits[b], _dPooled.AsSpan(b * pooled, pooled));
            TensorPrimitives.MultiplyAdd(_pooled.AsSpan(b * pooled, pooled), dLogits[b], dW, dW);
        }

        _cin.Backward(_dPooled.AsSpan(0, n * pooled), n, dEmb);
        _embedding.EndBackward(batch);
        _firstOrder.Backward(batch, dLogits);
        _bias.Backward(dLogits, n);
    }
}
