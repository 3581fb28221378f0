using System.Runtime.CompilerServices;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>A pruned DNN run as its compacted live sub-network (<see cref="SparseMlp"/>), one row at a time, into the logits.</summary>
internal sealed class SparseMlpOp(SparseMlp mlp, int inputOffset, int scratchOffset, string measured) : IInferenceOp
{
    /// <summary>Scratch floats per row: two activation buffers.</summary>
    public static int ScratchWidth(SparseMlp mlp) => 2 * mlp.Width;

    public long ParameterCount => mlp.NonZeroCount;

    public long Bytes => mlp.Bytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                               int rowStart, int rowEnd, Span<float> logits)
    {
        int width = mlp.InputSize, scratch = ScratchWidth(mlp);
        Span<float> input = tape.Region(inputOffset, width, batchSize);
        Span<float> buffers = tape.Region(scratchOffset, scratch, batchSize);
        fixed (float* x = input, s = buffers)
        {
            for (int b = rowStart; b < rowEnd; b++)
            {
                float* a = s + (long)b * scratch;
                logits[b] += mlp.Forward(x + (long)b * width, a, a + mlp.Width);
            }
        }
    }

    public string Describe() =>
        $"sparse mlp {mlp.InputSize}x{string.Join("x", mlp.HiddenSizes)}x1 live {string.Join("/", mlp.LiveNeurons)} nnz={mlp.NonZeroCount} ({measured})";
}
