using System.Numerics.Tensors;
using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;
using Clickwise.Inference.Ops;

namespace Clickwise.Models;

/// <summary>
/// AutoInt: the value-scaled embeddings e [B, F, D] pass through <see cref="AutoIntOptions.AttentionLayers"/> interacting
/// layers (<see cref="MultiHeadSelfAttention"/>: K = <see cref="AutoIntOptions.AttentionHeads"/> heads of width
/// d' = <see cref="AutoIntOptions.AttentionDim"/>, the residual projection when <see cref="AutoIntOptions.AttentionResidual"/>,
/// ReLU, unscaled scores), and one linear unit over the flattened output [B, F·K·d'] gives the logit:
/// logit = w0 + vec(e^(L))·w, the paper's output layer with its bias as the global w0. As in the paper there is no
/// first-order (LR) term and no DNN. AutoInt+ (<c>autoint+</c>) adds the DNN over the flattened embeddings [B, F·D],
/// trained jointly, its output summed into the logit.
/// Parameters: embedding, bias, attention.{l}.query/.key/.value/.residual [D_in, K·d'] (D_in = D for l = 0, else
/// K·d'), attention.output.weight [F·K·d', 1], and for AutoInt+ mlp.*.
/// </summary>
/// <remarks>Song et al., "AutoInt: Automatic Feature Interaction Learning via Self-Attentive Neural Networks" (CIKM 2019), eq. 5-14; AutoInt+ in §5.</remarks>
public sealed class AutoIntModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly MultiHeadSelfAttention[] _layers;
    private float[][] _outputs = [];   // e^(l+1) [B, F, K·d'] per layer
    private float[][] _dOutputs = [];  // ∂/∂e^(l) between layers, ping-pong [B, F, K·d']
    private readonly Parameter _outputWeight;
    private readonly DeepPart? _deep;

    public AutoIntModel(ModelConfig config, FeatureLayout layout, bool deep, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _bias = new BiasPart(Parameters);
        int f = layout.FieldCount;
        AutoIntOptions options = config.OptionsOf<AutoIntOptions>();
        _layers = new MultiHeadSelfAttention[options.AttentionLayers];
        for (int l = 0; l < _layers.Length; l++)
        {
            int inputDim = l == 0 ? config.EmbeddingDim : options.AttentionHeads * options.AttentionDim;
            _layers[l] = new MultiHeadSelfAttention(Parameters, $"attention.{l}", f, inputDim, options.AttentionHeads, options.AttentionDim,
                options.AttentionResidual, scaleScores: false, random);
        }

        int width = OutputWidth;
        _outputWeight = Parameters.Add(Parameter.Dense("attention.output.weight", ParameterRole.DenseWeight, width, 1))
            .Glorot(random, width, 1);
        _deep = deep ? new DeepPart(Parameters, config, _embedding.Width, random) : null;
    }

    /// <summary>F·K·d', the flattened width of the last interacting layer's output.</summary>
    public int OutputWidth => Layout.FieldCount * _layers[^1].OutputDim;

    public override Mlp? Dnn => _deep?.Mlp;

    public override void BeginStep(long globalStep)
    {
        _embedding.BeginStep(Config.Seed, globalStep);
        _deep?.BeginStep(Config.Seed, globalStep);
    }

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _embedding.Prepare(maxBatchSize, compute);
        foreach (MultiHeadSelfAttention layer in _layers)
        {
            layer.Prepare(maxBatchSize, compute);
        }

        _outputs = [.. _layers.Select(l => new float[checked(maxBatchSize * Layout.FieldCount * l.OutputDim)])];
        _dOutputs = [.. Enumerable.Range(0, Math.Min(2, _layers.Length)).Select(_ => new float[checked(maxBatchSize * OutputWidth)])];
        _deep?.Prepare(maxBatchSize, compute);
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count, width = OutputWidth;
        _bias.Forward(n, logits);
        _embedding.Forward(batch, training);
        ReadOnlySpan<float> input = _embedding.OutputFor(n);
        for (int l = 0; l < _layers.Length; l++)
        {
            Span<float> output = _outputs[l].AsSpan(0, n * Layout.FieldCount * _layers[l].OutputDim);
            _layers[l].Forward(input, n, output);
            input = output;
        }

        ReadOnlySpan<float> w = _outputWeight.Value;
        for (int b = 0; b < n; b++)
        {
            logits[b] += TensorPrimitives.Dot(input.Slice(b * width, width), w);
        }

        _deep?.Forward(_embedding.OutputFor(n), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        TapeRegion emb = _embedding.Lower(plan);
        // The interacting layers and the output unit as one op: each layer's projections packed into one prepared product.
        MultiHeadSelfAttention first = _layers[0];
        plan.Add(new SelfAttentionOp([.. _layers.Select(l => l.LowerProjections(plan.Gemm))], [.. _layers.Select(l => l.InputDim)],
            _outputWeight.Value, Layout.FieldCount, _embedding.Dim, first.HeadCount, first.HeadDim, _layers[0].UsesResidual, emb.Offset,
            _layers.Sum(l => l.ProjectionParameterCount) + _outputWeight.Length, plan.Compute.SelfAttentionFor(first.HeadDim),
            plan.RetainWeights ? [.. _layers.Select(l => l.ProjectionWeights)] : null));
        _deep?.Lower(plan, emb);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count, width = OutputWidth;
        Span<float> emb = _embedding.OutputFor(n);
        Span<float> dEmb = _embedding.DOutputFor(n);
        if (_deep is null)
        {
            _embedding.BeginBackward(n);
        }
        else
        {
            _deep.Backward(emb, dLogits, n, dEmb); // first consumer: writes dEmb, so no clearing first
        }

        // The output unit: ∂/∂e^(L) = dLogit·w, ∂/∂w = Σ_b dLogit_b·e^(L)_b.
        int last = _layers.Length - 1;
        ReadOnlySpan<float> top = _outputs[last].AsSpan(0, n * width);
        Span<float> dTop = _dOutputs[0].AsSpan(0, n * width);
        ReadOnlySpan<float> w = _outputWeight.Value;
        Span<float> dW = _outputWeight.Grad!;
        for (int b = 0; b < n; b++)
        {
            TensorPrimitives.Multiply(w, dLogits[b], dTop.Slice(b * width, width));
            TensorPrimitives.MultiplyAdd(top.Slice(b * width, width), dLogits[b], dW, dW);
        }

        for (int l = last; l >= 0; l--)
        {
            ReadOnlySpan<float> input = l == 0 ? emb : _outputs[l - 1].AsSpan(0, n * Layout.FieldCount * _layers[l].InputDim);
            ReadOnlySpan<float> dOutput = _dOutputs[(last - l) % 2].AsSpan(0, n * Layout.FieldCount * _layers[l].OutputDim);
            Span<float> dInput = l == 0 ? dEmb : _dOutputs[(last - l + 1) % 2].AsSpan(0, input.Length);
            if (l > 0)
            {
                dInput.Clear();
            }

            _layers[l].Backward(input, dOutput, n, dInput);
        }

        _embedding.EndBackward(batch);
        _bias.Backward(dLogits, n);
    }
}
