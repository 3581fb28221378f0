using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Inference.Ops;

/// <summary>
/// FiBiNet's bilinear interaction p[b,(i,j)] = (e[b,i]·W_m) ⊙ e[b,j] over an input region [B, F·D], written into
/// columns [column, column + P·D) of a [B, width] region. The pairs of one left field i are contiguous in
/// <see cref="FieldPairs"/> order, so the op prepares one matrix M_i [D, (F−1−i)·D] per left field (the W_m of pairs
/// (i, i+1) … (i, F−1) side by side: W repeated for field-all, W_i repeated for field-each, W_ij for
/// field-interaction) and runs, per block of rows, e_i [rows, D] × M_i through the packed GEMM (the streaming
/// matrix-vector kernel for one request), then one Hadamard product of the [rows, (F−1−i)·D] result with the
/// contiguous e_{i+1..F−1}. Repeating a shared W costs P·D² multiply-adds per row instead of F·D², about 1% of the
/// DNN's first layer at D = 10, and replaces P D-wide Hadamard calls by F − 1 long ones. Scratch [B, D + (F−1)·D]
/// holds a block's gathered e_i and its products.
/// </summary>
internal sealed class BilinearOp : IInferenceOp, IOnnxExportable
{
    private readonly RowDenseProduct[] _products;  // M_i for left fields 0..F−2
    private readonly BilinearKind _kind;
    private readonly int _fieldCount;
    private readonly int _dim;
    private readonly int _inputOffset;
    private readonly int _scratchOffset;
    private readonly int _outputOffset;
    private readonly int _outputWidth;
    private readonly int _column;
    private readonly string _input;
    private readonly float[] _weight;

    /// <param name="weight">[matrices, D, D], each matrix [in, out]: 1, F − 1 or P matrices by <paramref name="kind"/>.</param>
    /// <param name="input">What the input region holds, for <see cref="Describe"/>.</param>
    public BilinearOp(float[] weight, BilinearKind kind, int fieldCount, int dim, int inputOffset, int scratchOffset,
                      int outputOffset, int outputWidth, int column, ComputeContext compute, string input)
    {
        int pairs = FieldPairs.Count(fieldCount), dd = dim * dim;
        int matrices = kind switch
        {
            BilinearKind.FieldAll => 1,
            BilinearKind.FieldEach => fieldCount - 1,
            _ => pairs,
        };
        if (weight.Length != matrices * dd)
        {
            throw new InvalidDataException($"bilinear {kind} over {fieldCount} fields, D={dim}: weight has {weight.Length} values, expected {matrices}x{dim}x{dim}");
        }

        _products = new RowDenseProduct[Math.Max(0, fieldCount - 1)];
        for (int i = 0, pair = 0; i < fieldCount - 1; i++)
        {
            int width = (fieldCount - 1 - i) * dim;
            var m = new float[dim * width];
            for (int j = i + 1; j < fieldCount; j++, pair++)
            {
                int matrix = kind switch
                {
                    BilinearKind.FieldAll => 0,
                    BilinearKind.FieldEach => i,
                    _ => pair,
                };
                for (int k = 0; k < dim; k++)
                {
                    weight.AsSpan(matrix * dd + k * dim, dim).CopyTo(m.AsSpan(k * width + (j - i - 1) * dim, dim));
                }
            }

            _products[i] = new RowDenseProduct(m, new float[width], dim, width, compute);
        }

        _kind = kind;
        _weight = weight;
        _fieldCount = fieldCount;
        _dim = dim;
        _inputOffset = inputOffset;
        _scratchOffset = scratchOffset;
        _outputOffset = outputOffset;
        _outputWidth = outputWidth;
        _column = column;
        _input = input;
        ParameterCount = weight.LongLength;
    }

    public static int ScratchWidth(int fieldCount, int dim) => fieldCount * dim;

    public long ParameterCount { get; }

    public long Bytes => _products.Sum(p => p.Bytes);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int f = _fieldCount, d = _dim, width = f * d, rows = rowEnd - rowStart, scratchWidth = ScratchWidth(f, d);
        ReadOnlySpan<float> emb = tape.Region(_inputOffset, width, batchSize).Slice(rowStart * width, rows * width);
        Span<float> output = tape.Region(_outputOffset, _outputWidth, batchSize).Slice(rowStart * _outputWidth, rows * _outputWidth);
        Span<float> scratch = tape.Region(_scratchOffset, scratchWidth, batchSize).Slice(rowStart * scratchWidth, rows * scratchWidth);
        Span<float> gathered = scratch[..(rows * d)], projected = scratch[(rows * d)..];
        bool single = batchSize == 1;
        for (int i = 0, pairColumn = _column; i < f - 1; i++)
        {
            int n = (f - 1 - i) * d;
            ReadOnlySpan<float> left;
            if (single)
            {
                left = emb.Slice(i * d, d);
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    emb.Slice(r * width + i * d, d).CopyTo(gathered.Slice(r * d, d));
                }

                left = gathered;
            }

            Span<float> t = projected[..(rows * n)];
            _products[i].Forward(left, rows, t, single);
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Multiply(t.Slice(r * n, n), emb.Slice(r * width + (i + 1) * d, n), output.Slice(r * _outputWidth + pairColumn, n));
            }

            pairColumn += n;
        }
    }

    /// <summary>
    /// Every pair's W_m side by side, [P, D, D] (a shared W repeated): the pairs' left embeddings [P, N, D] times them as one
    /// batched MatMul, then ⊙ the right embeddings, [N, P·D] in pair order.
    /// </summary>
    public void Export(OnnxGraph graph)
    {
        int f = _fieldCount, d = _dim, pairs = FieldPairs.Count(f), dd = d * d;
        float[] perPair = new float[pairs * dd];
        long[] left = new long[pairs], right = new long[pairs];
        for (int i = 0, pair = 0; i < f - 1; i++)
        {
            for (int j = i + 1; j < f; j++, pair++)
            {
                int matrix = _kind switch
                {
                    BilinearKind.FieldAll => 0,
                    BilinearKind.FieldEach => i,
                    _ => pair,
                };
                _weight.AsSpan(matrix * dd, dd).CopyTo(perPair.AsSpan(pair * dd, dd));
                (left[pair], right[pair]) = (i, j);
            }
        }

        string e = graph.Reshape(graph.Read(_inputOffset, f * d), -1, f, d);
        string lefts = graph.Node("Transpose", [graph.Node("Gather", [e, graph.Int64s(left)], null, OnnxAttribute.Of("axis", 1L))], null,
            OnnxAttribute.Of("perm", 1L, 0L, 2L));
        string projected = graph.Node("Transpose", [graph.Node("MatMul", [lefts, graph.Weight("bilinear", perPair, pairs, d, d)])], null,
            OnnxAttribute.Of("perm", 1L, 0L, 2L));
        string rights = graph.Node("Gather", [e, graph.Int64s(right)], null, OnnxAttribute.Of("axis", 1L));
        graph.Write(_outputOffset + _column, pairs * d, graph.Reshape(graph.Node("Mul", [projected, rights]), -1, pairs * d));
    }

    public string Describe() =>
        $"bilinear {_kind} over {_input} F={_fieldCount} D={_dim} (per left field e_i x [D, (F-1-i)*D], then Hadamard)";
}
