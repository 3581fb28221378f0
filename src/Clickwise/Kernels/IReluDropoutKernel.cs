using Clickwise.Layers;

namespace Clickwise.Kernels;

/// <summary>
/// The Mlp's fused element-wise passes around a ReLU hidden layer's GEMM (<see cref="ReluDropout"/>): forward
/// h = dropout(ReLU(z + b)) in place, backward dZ = (h &gt; 0 ? dH · scale : 0) in place with the bias gradient, and the
/// output layer's backward fused with the top hidden layer's. Every variant gives the reference's bits.
/// </summary>
public interface IReluDropoutKernel
{
    string Name { get; }

    /// <summary>
    /// Rows [firstRow, firstRow + rowCount) of h [B, width] (<paramref name="rows"/> holds exactly those rows):
    /// h = max(h + bias, 0), then times the mask of <paramref name="dropout"/> when it is given.
    /// </summary>
    void Forward(Span<float> rows, ReadOnlySpan<float> bias, int width, int firstRow, int rowCount, DropoutStream? dropout);

    /// <summary>
    /// Columns [columnStart, columnEnd) of every row of dH [rowCount, width], in place: dZ = h &gt; 0 ? dH · scale : 0;
    /// dBias[j] += Σ_b dZ[b, j], summed in row order (so the result does not depend on how columns are split).
    /// </summary>
    void Backward(ReadOnlySpan<float> h, Span<float> d, int rowCount, int width, int columnStart, int columnEnd, float scale,
                  Span<float> dBias);

    /// <summary>
    /// Columns [columnStart, columnEnd) of the output layer's backward fused with the top hidden layer's, over h [B, H]:
    /// dW[j] += Σ_b h[b, j]·dY[b]; dZ[b, j] = h &gt; 0 ? dY[b]·w[j]·scale : 0; dBias[j] += Σ_b dZ[b, j], in row order.
    /// </summary>
    void OutputBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dW, Span<float> dZ,
                        Span<float> dBias, int rowCount, int width, int columnStart, int columnEnd, float scale);
}
