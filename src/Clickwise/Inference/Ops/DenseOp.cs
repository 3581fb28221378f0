using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A fully connected layer y = x·W + b (W stored [in, out]), optionally followed by ReLU or tanh (an epilogue after the kernels). Rows are independent,
/// so it runs inside the row stage on each thread's block of rows: a request of one row runs the matrix-vector
/// kernel that streams W once, more rows the GEMM over W prepared (packed) at compile time with bias and ReLU
/// fused into its store. The output layer (out = 1) adds into the logits instead of the tape. Each form keeps
/// only the copy of W it runs on, and a pruned layer that serves one of the two cases through CSR
/// (<see cref="SparseDenseOp"/>) builds only the other.
/// </summary>
internal sealed class DenseOp : IInferenceOp, IOnnxExportable
{
    // The row-major weights, kept only where a path reads them (the output layer's dot, a context matvec).
    private readonly float[]? _weight;
    private readonly float[] _bias;
    private readonly int _inputSize;
    private readonly int _outputSize;
    private readonly bool _relu;
    private readonly bool _tanh;
    private readonly int _inputOffset;
    private readonly int _outputOffset;
    private readonly bool _toLogits;
    private readonly IGemm _gemm;
    private readonly IDenseProduct? _product;
    private readonly IMatVec? _matVec;

    // The weights repacked into contiguous column bands for the batch-1 path (null when a specific matvec is forced).
    private readonly float[]? _packed;
    private readonly string? _measured;

    /// <param name="singleRows">Build the batch-1 (matrix-vector) path; without it single rows take the GEMM path.</param>
    /// <param name="blocks">Build the many-rows (GEMM) path.</param>
    /// <param name="measured">For a pruned layer the dense kernels won: the sparse planner's times, shown by <see cref="Describe"/>.</param>
    /// <param name="retainWeight">Keep the row-major weights whatever the paths read (an export plan's layers write them out).</param>
    public DenseOp(float[] weight, float[] bias, int inputSize, int outputSize, bool relu, int inputOffset,
                   int outputOffset, bool toLogits, IGemm gemm, IMatVec? matVec, bool singleRows = true, bool blocks = true,
                   bool tanh = false, string? measured = null, bool retainWeight = false)
    {
        if (relu && tanh)
        {
            throw new ArgumentException("a dense layer takes ReLU or tanh, not both");
        }

        if (weight.Length != inputSize * outputSize || bias.Length != outputSize)
        {
            throw new ArgumentException($"dense layer {inputSize}x{outputSize}: weight {weight.Length}, bias {bias.Length}");
        }

        _weight = retainWeight || outputSize == 1 || (matVec is not null && singleRows) ? weight : null;
        _bias = bias;
        _inputSize = inputSize;
        _outputSize = outputSize;
        _relu = relu;
        _tanh = tanh;
        _inputOffset = inputOffset;
        _outputOffset = outputOffset;
        _toLogits = toLogits;
        _gemm = gemm;
        _matVec = matVec;
        _product = outputSize > 1 && blocks ? gemm.PrepareDense(weight, bias, inputSize, outputSize, relu) : null;
        _packed = matVec is null && outputSize > 1 && singleRows ? PackedMatVec.Pack(weight, inputSize, outputSize) : null;
        _measured = measured;
    }

    public long ParameterCount => (long)_inputSize * _outputSize + _bias.LongLength;

    public long Bytes => ((_weight?.LongLength ?? 0) + _bias.LongLength + (_packed?.LongLength ?? 0)) * sizeof(float) + (_product?.Bytes ?? 0);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int rows = rowEnd - rowStart;
        ReadOnlySpan<float> x = tape.Region(_inputOffset, _inputSize, batchSize).Slice(rowStart * _inputSize, rows * _inputSize);
        Span<float> y = tape.Region(_outputOffset, _outputSize, batchSize).Slice(rowStart * _outputSize, rows * _outputSize);
        if (_outputSize == 1)
        {
            // The output layer: W [in, 1] is one contiguous column, so each row is a dot product (a GEMM with
            // N = 1 would waste its 32-wide register tile). A context matvec (CLICKWISE_KERNELS=reference sets the
            // reference) computes the dots instead of TensorPrimitives.
            if (_matVec is not null)
            {
                for (int b = 0; b < rows; b++)
                {
                    _matVec.Multiply(x.Slice(b * _inputSize, _inputSize), _weight!, _bias, y.Slice(b, 1), _inputSize, 1, _relu);
                }
            }
            else
            {
                for (int b = 0; b < rows; b++)
                {
                    float v = TensorPrimitives.Dot(x.Slice(b * _inputSize, _inputSize), _weight!) + _bias[0];
                    y[b] = _relu && v < 0f ? 0f : v;
                }
            }
        }
        else if (batchSize == 1 && (_packed is not null || _weight is not null))
        {
            // Decided by the request, not the row range, so a row's result never depends on how rows were split.
            if (_packed is not null)
            {
                PackedMatVec.Multiply(x, _packed, _bias, y, _inputSize, _outputSize, _relu);
            }
            else
            {
                _matVec!.Multiply(x, _weight!, _bias, y, _inputSize, _outputSize, _relu);
            }
        }
        else
        {
            _product!.Forward(x, rows, y);
        }

        if (_tanh)
        {
            TensorPrimitives.Tanh(y, y);
        }

        if (_toLogits)
        {
            Span<float> rowLogits = logits[rowStart..rowEnd];
            TensorPrimitives.Add(rowLogits, y, rowLogits);
        }
    }

    public void Export(OnnxGraph graph)
    {
        float[] weight = _weight ?? throw new InvalidOperationException("a dense layer of a serving plan has no row-major weights to export");
        string y = graph.Dense(graph.Read(_inputOffset, _inputSize), weight, _bias, _inputSize, _outputSize);
        y = _relu ? graph.Node("Relu", [y]) : _tanh ? graph.Node("Tanh", [y]) : y;
        graph.Write(_outputOffset, _outputSize, y);
        if (_toLogits)
        {
            graph.AddToLogits(y);
        }
    }

    public string Describe() => $"dense {_inputSize}x{_outputSize}{(_relu ? " relu" : _tanh ? " tanh" : "")} gemm={_gemm.Name} matvec={_matVec?.Name ?? "packed"}"
        + (_measured is null ? "" : $" ({_measured})");
}
