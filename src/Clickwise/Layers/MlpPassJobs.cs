using System.Numerics;
using System.Numerics.Tensors;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Layers;

/// <summary>
/// The Mlp's element-wise passes as compute jobs over both cores: forward by rows (each row's result is its own),
/// backward by columns, so each bias or weight-gradient column is summed over the rows in row order by one core and
/// the result is the same for any split. Instances are reused every step (set, then run), so a step allocates nothing.
/// </summary>
internal static class MlpPassJobs
{
    /// <summary>Columns per vector; backward column ranges are cut at multiples of it.</summary>
    private static int Align => Vector<float>.Count;

    /// <summary>h = dropout(ReLU(h + b)) over rows of h [B, H].</summary>
    public sealed class ActivationForward : IComputeJob
    {
        private float[] _h = [];
        private float[] _bias = [];
        private int _width, _rows;
        private DropoutStream? _dropout;

        public void Run(ComputeContext compute, float[] h, float[] bias, int width, int rows, DropoutStream? dropout)
        {
            (_h, _bias, _width, _rows, _dropout) = (h, bias, width, rows, dropout);
            RowParallel.For(compute, rows, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(_rows, part, partCount);
            KernelRegistry.ReluDropout.Forward(_h.AsSpan(start * _width, (end - start) * _width), _bias.AsSpan(0, _width), _width, start,
                end - start, _dropout);
        }
    }

    /// <summary>dZ = ReLU/dropout backward of dH in place over columns of [B, H], with the bias gradient.</summary>
    public sealed class ActivationBackward : IComputeJob
    {
        private float[] _h = [];
        private float[] _d = [];
        private float[] _dBias = [];
        private int _width, _rows;
        private float _scale;

        public void Run(ComputeContext compute, float[] h, float[] d, float[] dBias, int width, int rows, float scale)
        {
            (_h, _d, _dBias, _width, _rows, _scale) = (h, d, dBias, width, rows, scale);
            RowParallel.For(compute, width, Align, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.AlignedRange(_width, part, partCount, Align);
            KernelRegistry.ReluDropout.Backward(_h, _d, _rows, _width, start, end, _scale, _dBias);
        }
    }

    /// <summary>h = dropout(tanh(h + b)) over rows of h [B, H], with the local derivative beside it (<see cref="TanhDropout"/>).</summary>
    public sealed class TanhForward : IComputeJob
    {
        private float[] _h = [];
        private float[] _bias = [];
        private float[] _derivative = [];
        private int _width, _rows;
        private DropoutStream? _dropout;

        public void Run(ComputeContext compute, float[] h, float[] bias, float[] derivative, int width, int rows, DropoutStream? dropout)
        {
            (_h, _bias, _derivative, _width, _rows, _dropout) = (h, bias, derivative, width, rows, dropout);
            RowParallel.For(compute, rows, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(_rows, part, partCount);
            int length = (end - start) * _width;
            TanhDropout.Forward(_h.AsSpan(start * _width, length), _bias.AsSpan(0, _width), _width, start, end - start, _dropout,
                _derivative.AsSpan(start * _width, length));
        }
    }

    /// <summary>dZ = dH ⊙ derivative in place over columns of [B, H], with the bias gradient.</summary>
    public sealed class TanhBackward : IComputeJob
    {
        private float[] _derivative = [];
        private float[] _d = [];
        private float[] _dBias = [];
        private int _width, _rows;

        public void Run(ComputeContext compute, float[] derivative, float[] d, float[] dBias, int width, int rows)
        {
            (_derivative, _d, _dBias, _width, _rows) = (derivative, d, dBias, width, rows);
            RowParallel.For(compute, width, Align, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.AlignedRange(_width, part, partCount, Align);
            TanhDropout.Backward(_derivative, _d, _rows, _width, start, end, _dBias);
        }
    }

    /// <summary>The output layer y[b] = ⟨h[b, :], w⟩ + bias over rows.</summary>
    public sealed class OutputForward : IComputeJob
    {
        private float[] _h = [];
        private float[] _w = [];
        private float[] _y = [];
        private int _width, _rows;
        private float _bias;

        public void Run(ComputeContext compute, float[] h, float[] w, float bias, float[] y, int width, int rows)
        {
            (_h, _w, _bias, _y, _width, _rows) = (h, w, bias, y, width, rows);
            RowParallel.For(compute, rows, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(_rows, part, partCount);
            ReadOnlySpan<float> w = _w.AsSpan(0, _width);
            for (int b = start; b < end; b++)
            {
                _y[b] = TensorPrimitives.Dot(_h.AsSpan(b * _width, _width), w) + _bias;
            }
        }
    }

    /// <summary>
    /// The output layer's backward fused with the top hidden layer's activation backward, over columns j of h [B, H]:
    /// dW[j] += Σ_b h[b, j]·dY[b]; dZ[b, j] = h &gt; 0 ? dY[b]·w[j]·scale : 0; dBias[j] += Σ_b dZ[b, j].
    /// </summary>
    public sealed class OutputBackward : IComputeJob
    {
        private float[] _h = [];
        private float[] _dY = [];
        private float[] _w = [];
        private float[] _dW = [];
        private float[] _dZ = [];
        private float[] _dBias = [];
        private int _width, _rows;
        private float _scale;

        public void Run(ComputeContext compute, float[] h, float[] dY, float[] w, float[] dW, float[] dZ, float[] dBias, int width, int rows, float scale)
        {
            (_h, _dY, _w, _dW, _dZ, _dBias, _width, _rows, _scale) = (h, dY, w, dW, dZ, dBias, width, rows, scale);
            RowParallel.For(compute, width, Align, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.AlignedRange(_width, part, partCount, Align);
            KernelRegistry.ReluDropout.OutputBackward(_h, _dY, _w, _dW, _dZ, _dBias, _rows, _width, start, end, _scale);
        }
    }
}
