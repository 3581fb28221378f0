using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Inference.Ops;

/// <summary>
/// FinalMLP's multi-head bilinear fusion (see <see cref="BilinearFusion"/>) over two tape regions x [B, X] and y [B, Y],
/// added into the logits: per block of rows, x is gathered head-major, each head's x_h·W_h runs through the GEMM, and
/// a row pass adds x·w_x + y·w_y + Σ_h ⟨x_h W_h, y_h⟩, through the layer's own <see cref="BilinearFusion.GatherHeads"/>,
/// <see cref="BilinearFusion.Project"/> and <see cref="BilinearFusion.Combine"/>. Scratch [B, X + Y] holds a block's
/// gathered x and its products.
/// </summary>
internal sealed class BilinearFusionOp : IInferenceOp, IOnnxExportable
{
    private readonly float[] _xWeight;
    private readonly float[] _yWeight;
    private readonly float[] _xyWeight;
    private readonly int _xSize;
    private readonly int _ySize;
    private readonly int _heads;
    private readonly int _xOffset;
    private readonly int _yOffset;
    private readonly int _scratchOffset;
    private readonly IGemm _gemm;

    /// <param name="xWeight">w_x [X, 1].</param>
    /// <param name="yWeight">w_y [Y, 1].</param>
    /// <param name="xyWeight">W [K, X/K, Y/K].</param>
    public BilinearFusionOp(float[] xWeight, float[] yWeight, float[] xyWeight, int xSize, int ySize, int heads, int xOffset,
                            int yOffset, int scratchOffset, IGemm gemm)
    {
        BilinearFusion.CheckShape(xSize, ySize, heads);
        if (xWeight.Length != xSize || yWeight.Length != ySize || xyWeight.Length != xSize / heads * ySize)
        {
            throw new InvalidDataException(
                $"bilinear fusion {xSize}x{ySize}, {heads} heads: w_x {xWeight.Length}, w_y {yWeight.Length}, w_xy {xyWeight.Length} values");
        }

        _xWeight = xWeight;
        _yWeight = yWeight;
        _xyWeight = xyWeight;
        _xSize = xSize;
        _ySize = ySize;
        _heads = heads;
        _xOffset = xOffset;
        _yOffset = yOffset;
        _scratchOffset = scratchOffset;
        _gemm = gemm;
    }

    public static int ScratchWidth(int xSize, int ySize) => xSize + ySize;

    public long ParameterCount => _xWeight.LongLength + _yWeight.LongLength + _xyWeight.LongLength;

    public long Bytes => ParameterCount * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int rows = rowEnd - rowStart, xs = _xSize, ys = _ySize, scratchWidth = ScratchWidth(xs, ys);
        ReadOnlySpan<float> x = tape.Region(_xOffset, xs, batchSize).Slice(rowStart * xs, rows * xs);
        ReadOnlySpan<float> y = tape.Region(_yOffset, ys, batchSize).Slice(rowStart * ys, rows * ys);
        Span<float> scratch = tape.Region(_scratchOffset, scratchWidth, batchSize).Slice(rowStart * scratchWidth, rows * scratchWidth);
        Span<float> gathered = scratch[..(rows * xs)], projected = scratch.Slice(rows * xs, rows * ys);
        BilinearFusion.GatherHeads(x, rows, xs, _heads, gathered);
        BilinearFusion.Project(_gemm, threads: 1, gathered, _xyWeight, rows, xs, ys, _heads, projected); // a block is one thread's
        BilinearFusion.Combine(x, y, projected, _xWeight, _yWeight, rows, xs, ys, _heads, logits[rowStart..rowEnd], accumulate: true);
    }

    /// <summary>x·w_x + y·w_y + Σ_h ⟨x_h·W_h, y_h⟩ with contiguous heads: the heads as a leading axis, one batched MatMul.</summary>
    public void Export(OnnxGraph graph)
    {
        int k = _heads, hx = _xSize / k, hy = _ySize / k;
        string x = graph.Read(_xOffset, _xSize), y = graph.Read(_yOffset, _ySize);
        string xHeads = graph.Node("Transpose", [graph.Reshape(x, -1, k, hx)], null, OnnxAttribute.Of("perm", 1L, 0L, 2L));
        string projected = graph.Node("Transpose", [graph.Node("MatMul", [xHeads, graph.Weight("fusion", _xyWeight, k, hx, hy)])], null,
            OnnxAttribute.Of("perm", 1L, 0L, 2L));
        string pairs = graph.ReduceSum(graph.Node("Mul", [projected, graph.Reshape(y, -1, k, hy)]), 1, 2);
        graph.AddToLogits(graph.Reshape(pairs, -1, 1));
        graph.AddToLogits(graph.Dot(x, _xWeight));
        graph.AddToLogits(graph.Dot(y, _yWeight));
    }

    public string Describe() => $"bilinear fusion X={_xSize} Y={_ySize} K={_heads} gemm={_gemm.Name}";
}
