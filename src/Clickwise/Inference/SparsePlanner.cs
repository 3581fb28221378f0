using System.Diagnostics;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Inference;

/// <summary>
/// The compiler's choices for pruned weights. A dense layer with zeros is timed both ways on this machine — one
/// request, and one block of rows — and runs each way through whichever kernel was faster; the times are recorded
/// in the op's description. An embedding table is stored compactly when that takes under
/// <see cref="CompactTableRatio"/> of its dense bytes: a memory decision, since the compact gather costs about
/// 70 ns a row against 15 for the dense one (2 µs of a 39-field request), so it is taken only when it halves the table.
/// </summary>
internal static class SparsePlanner
{
    /// <summary>Layers denser than this are never timed: the dense kernels win by a wide margin.</summary>
    public const double MaxTimedDensity = 0.5;

    public const double CompactTableRatio = 0.5;

    private const int BlockRows = 256;

    public static IInferenceOp Embedding(float[] table, int fieldCount, int dim, int outputOffset)
    {
        if (dim <= 64 && table.Length > 0 && Array.IndexOf(table, 0f) >= 0)
        {
            CompactEmbeddingTable compact = CompactEmbeddingTable.FromDense(table, dim);
            if (compact.Bytes < CompactTableRatio * table.LongLength * sizeof(float))
            {
                return new CompactEmbeddingGatherOp(compact, fieldCount, outputOffset);
            }
        }

        return new EmbeddingGatherOp(table, fieldCount, dim, outputOffset);
    }

    public static IInferenceOp Dense(float[] weight, float[] bias, int inputSize, int outputSize, bool relu, int inputOffset, int outputOffset,
                                     bool toLogits, IGemm gemm, IMatVec? matVec)
    {
        CsrMatrix csr = CsrMatrix.FromDense(weight, inputSize, outputSize);
        if (outputSize == 1 || csr.Density > MaxTimedDensity)
        {
            return new DenseOp(weight, bias, inputSize, outputSize, relu, inputOffset, outputOffset, toLogits, gemm, matVec);
        }

        // Time both on a private tape laid out like the real one, with ReLU-like inputs (half of them zero).
        var probeDense = new DenseOp(weight, bias, inputSize, outputSize, relu, 0, inputSize, false, gemm, matVec);
        var probeSparse = new SparseDenseOp(csr, bias, relu, 0, inputSize, false, null, true, true, "");
        var tape = new InferenceTape(BlockRows, inputSize + outputSize);
        Span<float> x = tape.Region(0, inputSize, BlockRows);
        var random = new Random(1);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.Next(2) == 0 ? 0f : (float)random.NextDouble();
        }

        double denseOne = Median(probeDense, tape, 1, 301), sparseOne = Median(probeSparse, tape, 1, 301);
        double denseBlock = Median(probeDense, tape, BlockRows, 21), sparseBlock = Median(probeSparse, tape, BlockRows, 21);
        bool sparseForOne = sparseOne < denseOne, sparseForBlocks = sparseBlock < denseBlock;
        string measured = $"µs dense/csr: batch 1 {denseOne:F2}/{sparseOne:F2}, {BlockRows} rows {denseBlock:F1}/{sparseBlock:F1}";
        // The dense op keeps only the path CSR did not win, so memory shrinks with what was pruned.
        DenseOp? rest = sparseForOne && sparseForBlocks
            ? null
            : new DenseOp(weight, bias, inputSize, outputSize, relu, inputOffset, outputOffset, toLogits, gemm, matVec,
                singleRows: !sparseForOne, blocks: !sparseForBlocks);
        return new SparseDenseOp(csr, bias, relu, inputOffset, outputOffset, toLogits, rest, sparseForOne, sparseForBlocks, measured);
    }

    private static double Median(IInferenceOp op, InferenceTape tape, int rows, int repetitions)
    {
        var micros = new double[repetitions];
        Span<float> logits = stackalloc float[1];
        for (int k = 0; k < repetitions; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            op.RunRows(tape, default, default, rows, 0, rows, logits);
            micros[k] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        Array.Sort(micros);
        return micros[repetitions / 2];
    }
}
