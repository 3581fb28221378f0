using System.Numerics.Tensors;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A fully connected layer y = x·W + b (W stored [in, out]), optionally followed by ReLU; batch 1 runs the
/// matrix-vector kernel that streams W once, larger batches the packed GEMM. The output layer (out = 1) adds
/// into the logits instead of the tape.
/// </summary>
internal sealed class DenseOp : IBatchOp
{
    private readonly float[] _weight;
    private readonly float[] _bias;
    private readonly int _inputSize;
    private readonly int _outputSize;
    private readonly bool _relu;
    private readonly int _inputOffset;
    private readonly int _outputOffset;
    private readonly bool _toLogits;
    private readonly IGemm _gemm;
    private readonly IMatVec? _matVec;

    // The weights repacked into contiguous column bands for the batch-1 path (null when a specific matvec is forced).
    private readonly float[]? _packed;

    public DenseOp(float[] weight, float[] bias, int inputSize, int outputSize, bool relu, int inputOffset,
                   int outputOffset, bool toLogits, IGemm gemm, IMatVec? matVec)
    {
        if (weight.Length != inputSize * outputSize || bias.Length != outputSize)
        {
            throw new ArgumentException($"dense layer {inputSize}x{outputSize}: weight {weight.Length}, bias {bias.Length}");
        }

        _weight = weight;
        _bias = bias;
        _inputSize = inputSize;
        _outputSize = outputSize;
        _relu = relu;
        _inputOffset = inputOffset;
        _outputOffset = outputOffset;
        _toLogits = toLogits;
        _gemm = gemm;
        _matVec = matVec;
        _packed = matVec is null && outputSize > 1 ? PackedMatVec.Pack(weight, inputSize, outputSize) : null;
    }

    public long ParameterCount => _weight.LongLength + _bias.LongLength;

    public long Bytes => (ParameterCount + (_packed?.LongLength ?? 0)) * sizeof(float);

    public void Run(InferenceTape tape, int batchSize, Span<float> logits)
    {
        ReadOnlySpan<float> x = tape.Region(_inputOffset, _inputSize, batchSize);
        Span<float> y = tape.Region(_outputOffset, _outputSize, batchSize);
        if (_outputSize == 1)
        {
            // The output layer: W [in, 1] is one contiguous column, so each row is a dot product (a GEMM with
            // N = 1 would waste its 32-wide register tile).
            for (int b = 0; b < batchSize; b++)
            {
                float v = TensorPrimitives.Dot(x.Slice(b * _inputSize, _inputSize), _weight) + _bias[0];
                y[b] = _relu && v < 0f ? 0f : v;
            }
        }
        else if (batchSize == 1)
        {
            if (_packed is not null)
            {
                PackedMatVec.Multiply(x, _packed, _bias, y, _inputSize, _outputSize, _relu);
            }
            else
            {
                _matVec!.Multiply(x, _weight, _bias, y, _inputSize, _outputSize, _relu);
            }
        }
        else
        {
            _gemm.Multiply(x, _weight, y, batchSize, _outputSize, _inputSize, transA: false, transB: false, accumulate: false);
            unsafe
            {
                fixed (float* output = y)
                {
                    RowParallel.For(batchSize, new BiasActivation(output, _bias, _outputSize, batchSize, _relu));
                }
            }
        }

        if (_toLogits)
        {
            TensorPrimitives.Add(logits[..batchSize], y, logits[..batchSize]);
        }
    }

    public string Describe() => $"dense {_inputSize}x{_outputSize}{(_relu ? " relu" : "")} gemm={_gemm.Name} matvec={_matVec?.Name ?? "packed"}";

    /// <summary>y[b, :] += bias, then ReLU, over a range of rows.</summary>
    private sealed unsafe class BiasActivation(float* y, float[] bias, int width, int rows, bool relu) : IComputeJob
    {
        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(rows, part, partCount);
            for (int b = start; b < end; b++)
            {
                var row = new Span<float>(y + (long)b * width, width);
                TensorPrimitives.Add(row, bias, row);
                if (relu)
                {
                    TensorPrimitives.Max(row, 0f, row);
                }
            }
        }
    }
}
