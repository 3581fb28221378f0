using System.Numerics;
using Clickwise.Layers;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// <see cref="IReluDropoutKernel"/> over <see cref="Vector{T}"/>: the fused passes of <see cref="ReluDropout"/> (the
/// dropout mask compared 16 bits a lane), and the output layer's fused backward, multiply-then-add like the reference.
/// </summary>
public sealed class VectorReluDropout : IReluDropoutKernel
{
    public string Name => "relu-dropout-vector";

    public void Forward(Span<float> rows, ReadOnlySpan<float> bias, int width, int firstRow, int rowCount, DropoutStream? dropout) =>
        ReluDropout.Forward(rows, bias, width, firstRow, rowCount, dropout);

    public void Backward(ReadOnlySpan<float> h, Span<float> d, int rowCount, int width, int columnStart, int columnEnd, float scale,
                         Span<float> dBias) =>
        ReluDropout.Backward(h, d, rowCount, width, columnStart, columnEnd, scale, dBias);

    public void OutputBackward(ReadOnlySpan<float> hAll, ReadOnlySpan<float> dY, ReadOnlySpan<float> wAll, Span<float> dWAll,
                               Span<float> dZAll, Span<float> dBiasAll, int rowCount, int width, int columnStart, int columnEnd,
                               float scale)
    {
        int n = columnEnd - columnStart;
        Span<float> dW = dWAll.Slice(columnStart, n);
        Span<float> dBias = dBiasAll.Slice(columnStart, n);
        ReadOnlySpan<float> w = wAll.Slice(columnStart, n);
        var vs = new Vector<float>(scale);
        for (int b = 0; b < rowCount; b++)
        {
            float g = dY[b];
            ReadOnlySpan<float> h = hAll.Slice(b * width + columnStart, n);
            Span<float> dZ = dZAll.Slice(b * width + columnStart, n);
            var vg = new Vector<float>(g);
            int j = 0;
            for (; j <= n - Vector<float>.Count; j += Vector<float>.Count)
            {
                var hv = new Vector<float>(h[j..]);
                (new Vector<float>(dW[j..]) + hv * vg).CopyTo(dW[j..]);
                Vector<float> z = Vector.ConditionalSelect(Vector.GreaterThan(hv, Vector<float>.Zero),
                    vg * new Vector<float>(w[j..]) * vs, Vector<float>.Zero);
                z.CopyTo(dZ[j..]);
                (new Vector<float>(dBias[j..]) + z).CopyTo(dBias[j..]);
            }

            for (; j < n; j++)
            {
                dW[j] += h[j] * g;
                float z = h[j] > 0f ? g * w[j] * scale : 0f;
                dZ[j] = z;
                dBias[j] += z;
            }
        }
    }
}
