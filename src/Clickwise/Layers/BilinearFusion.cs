using System.Numerics.Tensors;
using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// FinalMLP's multi-head bilinear fusion of two stream outputs x [B, X] and y [B, Y] into one logit per row:
/// out[b] = x[b]·w_x + y[b]·w_y + Σ_h x_h[b]ᵀ·W_h·y_h[b], where x is split into K heads x_h of X/K columns, y into K
/// heads y_h of Y/K and W_h is [X/K, Y/K]. No bias: the model's global bias is the fusion's b (FuxiCTR's two
/// <c>nn.Linear</c> biases sum to that one scalar). Parameters {prefix}.x.weight [X, 1], {prefix}.y.weight [Y, 1] and
/// {prefix}.xy.weight [K, X/K, Y/K] (FuxiCTR's <c>w_x</c>, <c>w_y</c>, <c>w_xy</c> in its layout), Glorot-uniform.
/// </summary>
/// <remarks>
/// <para>FinalMLP (Mao et al., "FinalMLP: An Enhanced Two-Stream MLP Model for CTR Prediction", AAAI 2023), §3.3
/// "Multi-Head Bilinear Fusion", eq. 5-6, as FuxiCTR's <c>InteractionAggregation</c> with output_dim 1.</para>
/// <para>GEMMs over the batch: x is gathered head-major [K, B, X/K], each head runs T_h = x_h·W_h [B, Y/K], and a row
/// pass adds the dot products ⟨T_h[b], y_h[b]⟩ to the two linear terms. Backward runs dx_h = dT_h·W_hᵀ and
/// dW_h += x_hᵀ·dT_h (W_h is contiguous in the stored tensor, so its gradient accumulates in place) with
/// dT_h[b] = dOut[b]·y_h[b]. The inference op (<c>BilinearFusionOp</c>) calls the same
/// <see cref="GatherHeads"/>, <see cref="Project"/> and <see cref="Combine"/>. Buffers are sized for the maximum batch,
/// so a step allocates nothing.</para>
/// </remarks>
public sealed class BilinearFusion
{
    private readonly Parameter _xWeight;   // w_x [X, 1]
    private readonly Parameter _yWeight;   // w_y [Y, 1]
    private readonly Parameter _xyWeight;  // W [K, X/K, Y/K]
    private ComputeContext _compute = ComputeContext.Default;
    private float[] _gathered = [];        // x head-major [K, B, X/K]
    private float[] _dGathered = [];       // [K, B, X/K]
    private float[] _projected = [];       // T [K, B, Y/K]
    private float[] _dProjected = [];      // dT [K, B, Y/K]

    public BilinearFusion(ParameterSet parameters, string prefix, int xSize, int ySize, int heads, SeededRandom initRandom)
    {
        CheckShape(xSize, ySize, heads);
        XSize = xSize;
        YSize = ySize;
        Heads = heads;
        int hx = xSize / heads, hy = ySize / heads;
        _xWeight = parameters.Add(Parameter.Dense($"{prefix}.x.weight", ParameterRole.DenseWeight, xSize, 1))
            .Glorot(initRandom, xSize, 1);
        _yWeight = parameters.Add(Parameter.Dense($"{prefix}.y.weight", ParameterRole.DenseWeight, ySize, 1))
            .Glorot(initRandom, ySize, 1);
        _xyWeight = parameters.Add(Parameter.Dense($"{prefix}.xy.weight", ParameterRole.DenseWeight, heads, hx, hy))
            .Glorot(initRandom, heads * hx * hy, 1);
    }

    /// <summary>Plans the buffers for batches of up to <paramref name="maxBatchSize"/> rows, run with <paramref name="compute"/>.</summary>
    public BilinearFusion Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _compute = compute ?? ComputeContext.Default;
        _gathered = new float[checked(maxBatchSize * XSize)];
        _dGathered = new float[_gathered.Length];
        _projected = new float[checked(maxBatchSize * YSize)];
        _dProjected = new float[_projected.Length];
        MaxBatchSize = maxBatchSize;
        return this;
    }

    /// <summary>X, the width of the first stream's output.</summary>
    public int XSize { get; }

    /// <summary>Y, the width of the second stream's output.</summary>
    public int YSize { get; }

    /// <summary>K, the number of heads; X and Y are multiples of it.</summary>
    public int Heads { get; }

    /// <summary>Rows the buffers are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    /// <summary>The fusion of the regions <paramref name="x"/> [B, X] and <paramref name="y"/> [B, Y] into the logits, through the same kernels.</summary>
    internal void Lower(PlanBuilder plan, TapeRegion x, TapeRegion y)
    {
        TapeRegion scratch = plan.Allocate(BilinearFusionOp.ScratchWidth(XSize, YSize));
        plan.Add(new BilinearFusionOp(_xWeight.Value, _yWeight.Value, _xyWeight.Value, XSize, YSize, Heads, x.Offset, y.Offset, scratch.Offset,
            plan.Gemm));
    }

    /// <param name="x">[B, X]; must stay unchanged until backward.</param>
    /// <param name="y">[B, Y]; must stay unchanged until backward.</param>
    /// <param name="output">[B], overwritten.</param>
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int n = batchSize;
        Span<float> gathered = _gathered.AsSpan(0, n * XSize), projected = _projected.AsSpan(0, n * YSize);
        GatherHeads(x, n, XSize, Heads, gathered);
        Project(_compute.Gemm, _compute.Threads, gathered, _xyWeight.Value, n, XSize, YSize, Heads, projected);
        Combine(x, y, projected, _xWeight.Value, _yWeight.Value, n, XSize, YSize, Heads, output, accumulate: false);
    }

    /// <param name="dOutput">[B].</param>
    /// <param name="dX">[B, X], accumulated.</param>
    /// <param name="dY">[B, Y], accumulated.</param>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dOutput, int batchSize,
                         Span<float> dX, Span<float> dY)
    {
        int n = batchSize, xs = XSize, ys = YSize, k = Heads, hx = xs / k, hy = ys / k;
        ReadOnlySpan<float> wx = _xWeight.Value, wy = _yWeight.Value, w = _xyWeight.Value;
        ReadOnlySpan<float> gathered = _gathered.AsSpan(0, n * xs), projected = _projected.AsSpan(0, n * ys);
        Span<float> dGathered = _dGathered.AsSpan(0, n * xs), dProjected = _dProjected.AsSpan(0, n * ys);
        Span<float> dW = _xyWeight.Grad!;

        // The linear terms: dw_x += xᵀ·dOut, dw_y += yᵀ·dOut.
        Linear.BackwardWeights(_compute, x, dOutput, n, xs, 1, _xWeight.Grad!);
        Linear.BackwardWeights(_compute, y, dOutput, n, ys, 1, _yWeight.Grad!);

        // dT_h[b] = dOut[b]·y_h[b]; dy_h[b] += dOut[b]·T_h[b]; dy[b] += dOut[b]·w_y.
        for (int b = 0; b < n; b++)
        {
            float g = dOutput[b];
            Span<float> dYRow = dY.Slice(b * ys, ys);
            TensorPrimitives.MultiplyAdd(wy, g, dYRow, dYRow);
            for (int h = 0; h < k; h++)
            {
                int row = (h * n + b) * hy;
                Span<float> dYHead = dYRow.Slice(h * hy, hy);
                TensorPrimitives.Multiply(y.Slice(b * ys + h * hy, hy), g, dProjected.Slice(row, hy));
                TensorPrimitives.MultiplyAdd(projected.Slice(row, hy), g, dYHead, dYHead);
            }
        }

        for (int h = 0; h < k; h++)
        {
            ReadOnlySpan<float> dT = dProjected.Slice(h * n * hy, n * hy), xh = gathered.Slice(h * n * hx, n * hx);
            ReadOnlySpan<float> wh = w.Slice(h * hx * hy, hx * hy);
            _compute.Multiply(dT, wh, dGathered.Slice(h * n * hx, n * hx), n, hx, hy, transA: false, transB: true, accumulate: false);
            _compute.Multiply(xh, dT, dW.Slice(h * hx * hy, hx * hy), hx, hy, n, transA: true, transB: false, accumulate: true);
        }

        // dx[b] += dOut[b]·w_x + the scattered head gradients.
        for (int b = 0; b < n; b++)
        {
            Span<float> dXRow = dX.Slice(b * xs, xs);
            TensorPrimitives.MultiplyAdd(wx, dOutput[b], dXRow, dXRow);
            for (int h = 0; h < k; h++)
            {
                Span<float> dXHead = dXRow.Slice(h * hx, hx);
                TensorPrimitives.Add(dXHead, dGathered.Slice((h * n + b) * hx, hx), dXHead);
            }
        }
    }

    /// <summary>Throws unless both widths split into whole heads.</summary>
    internal static void CheckShape(int xSize, int ySize, int heads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (xSize < heads || ySize < heads || xSize % heads != 0 || ySize % heads != 0)
        {
            throw new ArgumentException($"bilinear fusion: widths {xSize} and {ySize} must be positive multiples of the {heads} heads");
        }
    }

    /// <summary>x [rows, X] to head-major [K, rows, X/K].</summary>
    internal static void GatherHeads(ReadOnlySpan<float> x, int rows, int xSize, int heads, Span<float> gathered)
    {
        int hx = xSize / heads;
        for (int b = 0; b < rows; b++)
        {
            for (int h = 0; h < heads; h++)
            {
                x.Slice(b * xSize + h * hx, hx).CopyTo(gathered.Slice((h * rows + b) * hx, hx));
            }
        }
    }

    /// <summary>T_h = x_h·W_h [rows, Y/K] for every head, head-major [K, rows, Y/K], from gathered x [K, rows, X/K] and W [K, X/K, Y/K].</summary>
    internal static void Project(IGemm gemm, int threads, ReadOnlySpan<float> gathered, ReadOnlySpan<float> weight, int rows, int xSize, int ySize,
                                 int heads, Span<float> projected)
    {
        int hx = xSize / heads, hy = ySize / heads;
        for (int h = 0; h < heads; h++)
        {
            gemm.Multiply(gathered.Slice(h * rows * hx, rows * hx), weight.Slice(h * hx * hy, hx * hy), projected.Slice(h * rows * hy, rows * hy),
                rows, hy, hx, transA: false, transB: false, accumulate: false, threads);
        }
    }

    /// <summary>output[b] (+)= x[b]·w_x + y[b]·w_y + Σ_h ⟨T_h[b], y_h[b]⟩, from T [K, rows, Y/K].</summary>
    internal static void Combine(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> projected, ReadOnlySpan<float> xWeight,
                                 ReadOnlySpan<float> yWeight, int rows, int xSize, int ySize, int heads, Span<float> output, bool accumulate)
    {
        int hy = ySize / heads;
        for (int b = 0; b < rows; b++)
        {
            ReadOnlySpan<float> yRow = y.Slice(b * ySize, ySize);
            float v = TensorPrimitives.Dot(x.Slice(b * xSize, xSize), xWeight) + TensorPrimitives.Dot(yRow, yWeight);
            for (int h = 0; h < heads; h++)
            {
                v += TensorPrimitives.Dot(projected.Slice((h * rows + b) * hy, hy), yRow.Slice(h * hy, hy));
            }

            output[b] = accumulate ? output[b] + v : v;
        }
    }
}
