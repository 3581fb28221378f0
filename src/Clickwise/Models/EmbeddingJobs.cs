using Clickwise.Data;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The embedding gather (by batch rows) and the scatter into the row gradient (by slot ownership, see
/// <see cref="Embedding.Accumulate"/>) over both cores. Reused every step: set, then run.
/// </summary>
internal static class EmbeddingJobs
{
    public sealed class Gather(EmbeddingPart part) : IComputeJob
    {
        private Batch? _batch;

        public void Run(Batch batch)
        {
            _batch = batch;
            RowParallel.For(part.Compute, batch.Count, this);
        }

        public void Run(int index, int partCount)
        {
            Batch batch = _batch!;
            int f = part.FieldCount;
            (int start, int end) = RowParallel.Range(batch.Count, index, partCount);
            ReadOnlySpan<float> values = batch.HasValues ? batch.ValuesInUse[(start * f)..(end * f)] : default;
            int width = f * part.TableDim;
            Embedding.Forward(part.Table.Value, part.TableRowsOf(batch)[(start * f)..(end * f)], values, batch.HasValues,
                end - start, f, part.TableDim, part.GatherOutput.AsSpan(start * width, (end - start) * width),
                batch.ExtrasInUse.Slice(start * f, (end - start) * f));
        }
    }

    public sealed class Scatter(EmbeddingPart part, int[] slots) : IComputeJob
    {
        private Batch? _batch;
        private int[] _extraSlots = [];

        public void Run(Batch batch)
        {
            _batch = batch;
            part.Table.RowGrad!.Register(part.TableRowsOf(batch), slots);
            ExtraLookups extras = batch.ExtrasInUse;
            if (!extras.IsEmpty)
            {
                EnsureLength(ref _extraSlots, extras.Ids.Length);
                part.Table.RowGrad!.Register(extras.Ids, _extraSlots);
            }

            part.Compute.EndPhase("embedding register rows");
            RowParallel.For(part.Compute, batch.Count, this);
        }

        public void Run(int index, int partCount)
        {
            Batch batch = _batch!;
            int n = batch.Count * part.FieldCount;
            Embedding.Accumulate(part.DGatherFor(batch.Count), slots.AsSpan(0, n), batch.ValuesInUse, batch.HasValues,
                part.TableDim, part.Table.RowGrad!, index, partCount, batch.ExtrasInUse, _extraSlots);
        }
    }

    /// <summary>Grows a reused buffer to at least <paramref name="length"/> (multi-hot batches vary in extra features).</summary>
    public static void EnsureLength(ref int[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new int[Math.Max(length, 2 * buffer.Length)];
        }
    }
}
