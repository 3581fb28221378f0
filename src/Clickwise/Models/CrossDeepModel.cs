using System.Numerics.Tensors;
using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// The parallel cross + deep structure shared by DCN, DCNv2 and GDCN: x_0 is the flattened embeddings [B, F·D]; a
/// <see cref="CrossNetwork"/> of <see cref="CrossOptions.CrossLayers"/> layers and the DNN both read x_0, and the
/// combination layer is one linear unit over [x_L, h_top]. That unit is split in two: its DNN half is the
/// <see cref="Mlp"/>'s own output layer (mlp.{H}.weight, mlp.{H}.bias) and its cross half is cross.output.weight [X, 1],
/// so logit = w0 + x_L·w_cross + DNN(x_0), the same function as the concatenation with no copy of either branch.
/// The subclasses only choose the kind of cross layer.
/// </summary>
public abstract class CrossDeepModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly CrossNetwork _cross;
    private readonly Parameter _crossOutput;
    private readonly DeepPart _deep;
    private float[] _crossTop = [];   // x_L [B, X]
    private float[] _dCrossTop = [];  // ∂/∂x_L [B, X]

    private protected CrossDeepModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights,
                                     Func<ParameterSet, int, SeededRandom, ICrossLayers> crossLayers)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _bias = new BiasPart(Parameters);
        int width = _embedding.Width;
        _cross = new CrossNetwork(crossLayers(Parameters, width, random));
        // Initialised as the cross half of one Xavier-uniform unit over the concatenation [x_L, h_top].
        int top = config.HiddenUnits.Length > 0 ? config.HiddenUnits[^1] : width;
        _crossOutput = Parameters.Add(Parameter.Dense("cross.output.weight", ParameterRole.DenseWeight, width, 1))
            .Glorot(random, width + top, 1);
        _deep = new DeepPart(Parameters, config, width, random);
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
        _cross.Prepare(maxBatchSize, compute);
        _deep.Prepare(maxBatchSize, compute);
        _crossTop = new float[checked(maxBatchSize * _embedding.Width)];
        _dCrossTop = new float[_crossTop.Length];
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count, width = _embedding.Width;
        _bias.Forward(n, logits);
        _embedding.Forward(batch, training);
        Span<float> x0 = _embedding.OutputFor(n);
        _cross.Forward(x0, n, _crossTop);
        ReadOnlySpan<float> w = _crossOutput.Value;
        for (int b = 0; b < n; b++)
        {
            logits[b] += TensorPrimitives.Dot(_crossTop.AsSpan(b * width, width), w);
        }

        _deep.Forward(x0, n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        TapeRegion x0 = _embedding.Lower(plan);
        _cross.Lower(plan, _crossOutput.Value, x0);
        _deep.Lower(plan, x0);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count, width = _embedding.Width;
        Span<float> x0 = _embedding.OutputFor(n);
        Span<float> dX0 = _embedding.DOutputFor(n);
        _deep.Backward(x0, dLogits, n, dX0); // first consumer: writes dX0, so no clearing first
        ReadOnlySpan<float> w = _crossOutput.Value;
        Span<float> dW = _crossOutput.Grad!;
        for (int b = 0; b < n; b++)
        {
            TensorPrimitives.Multiply(w, dLogits[b], _dCrossTop.AsSpan(b * width, width));
            TensorPrimitives.MultiplyAdd(_crossTop.AsSpan(b * width, width), dLogits[b], dW, dW);
        }

        _cross.Backward(x0, _dCrossTop.AsSpan(0, n * width), n, dX0);
        _embedding.EndBackward(batch);
        _bias.Backward(dLogits, n);
    }
}
