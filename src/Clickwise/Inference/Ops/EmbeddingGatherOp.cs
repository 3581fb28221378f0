using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;

namespace Clickwise.Inference.Ops;

/// <summary>Gathers [B, F, D] embeddings (scaled by the feature values) into the tape.</summary>
internal sealed class EmbeddingGatherOp(float[] table, int fieldCount, int dim, int outputOffset) : IInferenceOp
{
    // Rows of a large table miss every cache; asking for the row this many ids ahead keeps several misses in flight.
    private const int PrefetchDistance = 16;

    public long ParameterCount => table.LongLength;

    public long Bytes => table.LongLength * sizeof(float);

    public unsafe void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, int rowStart,
                               int rowEnd, Span<float> logits)
    {
        Span<float> output = tape.Region(outputOffset, fieldCount * dim, batchSize);
        ReadOnlySpan<float> rows = table;
        int end = rowEnd * fieldCount;
        fixed (float* tablePointer = table)
        {
            for (int i = rowStart * fieldCount; i < end; i++)
            {
                if (Sse.IsSupported && i + PrefetchDistance < end)
                {
                    // A 40-byte row (D = 10) straddles two cache lines more often than not: ask for both ends
                    // (1.11-1.14 → 0.79-0.83 µs a row of 39 ids, in-process A/B).
                    float* ahead = tablePointer + (long)ids[i + PrefetchDistance] * dim;
                    Sse.Prefetch0(ahead);
                    Sse.Prefetch0(ahead + dim - 1);
                }

                ReadOnlySpan<float> row = rows.Slice(ids[i] * dim, dim);
                Span<float> dst = output.Slice(i * dim, dim);
                if (values.IsEmpty)
                {
                    row.CopyTo(dst);
                }
                else
                {
                    TensorPrimitives.Multiply(row, values[i], dst);
                }
            }
        }
    }

    public string Describe() => $"embedding gather F={fieldCount} D={dim} rows={table.Length / dim}";
}
