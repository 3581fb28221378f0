using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// FiBiNet's SENET over the embedding region: z[b,f] = mean_d e[b,f,d], a = ReLU(ReLU(z·W1)·W2) through two
/// prepared products (the packed GEMM on a block of rows, the streaming matrix-vector kernel for one request), then
/// v[b,f,:] = a[b,f]·e[b,f,:] into the output region [B, F·D]. Scratch [B, F + R + F] holds z, h and a.
/// </summary>
internal sealed class SqueezeExcitationOp : IInferenceOp, IOnnxExportable
{
    private readonly RowDenseProduct _squeeze;
    private readonly RowDenseProduct _excite;
    private readonly int _fieldCount;
    private readonly int _dim;
    private readonly int _reduced;
    private readonly int _embeddingOffset;
    private readonly int _scratchOffset;
    private readonly int _outputOffset;
    private readonly float[] _squeezeWeight;
    private readonly float[] _exciteWeight;

    /// <param name="squeeze">W1 [F, R].</param>
    /// <param name="excite">W2 [R, F].</param>
    public SqueezeExcitationOp(float[] squeeze, float[] excite, int fieldCount, int dim, int reduced, int embeddingOffset,
                               int scratchOffset, int outputOffset, ComputeContext compute)
    {
        if (squeeze.Length != fieldCount * reduced || excite.Length != reduced * fieldCount)
        {
            throw new InvalidDataException($"SENET {fieldCount}->{reduced}->{fieldCount}: squeeze {squeeze.Length}, excite {excite.Length} values");
        }

        (_squeezeWeight, _exciteWeight) = (squeeze, excite);
        _squeeze = new RowDenseProduct(squeeze, new float[reduced], fieldCount, reduced, compute, relu: true);
        _excite = new RowDenseProduct(excite, new float[fieldCount], reduced, fieldCount, compute, relu: true);
        _fieldCount = fieldCount;
        _dim = dim;
        _reduced = reduced;
        _embeddingOffset = embeddingOffset;
        _scratchOffset = scratchOffset;
        _outputOffset = outputOffset;
        ParameterCount = squeeze.LongLength + excite.LongLength;
    }

    public static int ScratchWidth(int fieldCount, int reduced) => 2 * fieldCount + reduced;

    public long ParameterCount { get; }

    public long Bytes => _squeeze.Bytes + _excite.Bytes;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int f = _fieldCount, d = _dim, r = _reduced, width = f * d, rows = rowEnd - rowStart;
        ReadOnlySpan<float> emb = tape.Region(_embeddingOffset, width, batchSize).Slice(rowStart * width, rows * width);
        Span<float> output = tape.Region(_outputOffset, width, batchSize).Slice(rowStart * width, rows * width);
        int scratchWidth = ScratchWidth(f, r);
        Span<float> scratch = tape.Region(_scratchOffset, scratchWidth, batchSize).Slice(rowStart * scratchWidth, rows * scratchWidth);
        Span<float> z = scratch[..(rows * f)], h = scratch.Slice(rows * f, rows * r), a = scratch.Slice(rows * (f + r), rows * f);
        for (int k = 0; k < rows * f; k++)
        {
            z[k] = TensorPrimitives.Sum(emb.Slice(k * d, d)) / d;
        }

        bool single = batchSize == 1;
        _squeeze.Forward(z, rows, h, single);
        _excite.Forward(h, rows, a, single);
        for (int k = 0; k < rows * f; k++)
        {
            TensorPrimitives.Multiply(emb.Slice(k * d, d), a[k], output.Slice(k * d, d));
        }
    }

    /// <summary>z = mean over D, a = ReLU(ReLU(z·W1)·W2) [N, F], each field's embedding scaled by its a.</summary>
    public void Export(OnnxGraph graph)
    {
        int f = _fieldCount, r = _reduced;
        string e = graph.Reshape(graph.Read(_embeddingOffset, f * _dim), -1, f, _dim);
        // Opset 17's ReduceMean takes its axes as an attribute (ReduceSum's became an input at 13).
        string z = graph.Node("ReduceMean", [e], null, OnnxAttribute.Of("axes", [2L]), OnnxAttribute.Of("keepdims", 0L));
        string h = graph.Node("Relu", [graph.Node("MatMul", [z, graph.Weight("senet_squeeze", _squeezeWeight, f, r)])]);
        string a = graph.Node("Relu", [graph.Node("MatMul", [h, graph.Weight("senet_excite", _exciteWeight, r, f)])]);
        graph.Write(_outputOffset, f * _dim, graph.Reshape(graph.Node("Mul", [e, graph.Node("Unsqueeze", [a, graph.Int64s(2)])]), -1, f * _dim));
    }

    public string Describe() => $"senet F={_fieldCount} R={_reduced} D={_dim}";
}
