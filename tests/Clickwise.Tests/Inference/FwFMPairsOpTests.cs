using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Tests.Kernels;

namespace Clickwise.Tests.Inference;

/// <summary>
/// The FwFM op's planned forms (dense per row, GEMM over a block, sparse pair list) against the registered reference it
/// runs under <c>CLICKWISE_KERNELS=reference</c>, on pruned and full pair weights.
/// </summary>
public sealed class FwFMPairsOpTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 20)]
    [InlineData(false, 1)]
    [InlineData(false, 20)]
    public void EveryFormMatchesTheReferenceKernel(bool dense, int rows)
    {
        foreach ((int fields, int dim) in new[] { (2, 3), (9, 8), (13, 10), (39, 16) })
        {
            float[] pairs = KernelData.Random(fields * (fields - 1) / 2, fields + dim);
            for (int p = 0; p < pairs.Length; p += 3)
            {
                pairs[p] = 0f; // pruned
            }

            int width = fields * dim, scratch = FwFMPairsOp.ScratchWidth(fields, dim);
            float[] expected = Run(new FwFMPairsOp(pairs, fields, dim, 0, width, dense, ComputeContext.Default, KernelRegistry.AllFwFM[0]));
            float[] actual = Run(new FwFMPairsOp(pairs, fields, dim, 0, width, dense, ComputeContext.Default));
            KernelData.AssertClose(expected, actual, 1e-5 * fields * dim, 1e-5, $"dense={dense} rows={rows} F={fields} D={dim}");

            float[] Run(FwFMPairsOp op)
            {
                var tape = new InferenceTape(rows, width + scratch);
                KernelData.Random(rows * width, rows + fields).CopyTo(tape.Region(0, width, rows));
                float[] logits = KernelData.Random(rows, 7);
                op.RunRows(tape, default, default, default, rows, 0, rows, logits);
                return logits;
            }
        }
    }
}
