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
                part.TableExtrasOf(batch).Slice(start * f, (end - start) * f));
        }
    }

    public sealed class Scatter(EmbeddingPart part, int[] slots) : IComputeJob
    {
        private Batch? _batch;
        private int[] _extraSlots = [];
        private int[] _remainderSlots = [];

        public void Run(Batch batch)
        {
            _batch = batch;
            part.Table.RowGrad!.Register(part.TableRowsOf(batch), slots);
            ExtraLookups extras = part.TableExtrasOf(batch);
            if (!extras.IsEmpty)
            {
                EnsureLength(ref _extraSlots, extras.Ids.Length);
                part.Table.RowGrad!.Register(extras.Ids, _extraSlots);
            }

            ReadOnlySpan<int> remainders = part.RemainderRowsOf(batch);
            if (!remainders.IsEmpty)
            {
                EnsureLength(ref _remainderSlots, remainders.Length);
                part.Table.RowGrad!.Register(remainders, _remainderSlots);
            }

            part.Compute.EndPhase("embedding register rows");
            RowParallel.For(part.Compute, batch.Count, this);
        }

        public void Run(int index, int partCount)
        {
            Batch batch = _batch!;
            int n = batch.Count * part.FieldCount;
            Embedding.Accumulate(part.DGatherFor(batch.Count), slots.AsSpan(0, n), batch.ValuesInUse, batch.HasValues,
                part.TableDim, part.Table.RowGrad!, index, partCount, part.TableExtrasOf(batch), _extraSlots);
            int remainders = part.RemainderRowsOf(batch).Length;
            if (remainders > 0) // their values are in the gradients already
            {
                Embedding.Accumulate(part.DRemainderOf(batch), _remainderSlots.AsSpan(0, remainders), default, false, part.TableDim,
                    part.Table.RowGrad!, index, partCount);
            }
        }
    }

    /// <summary>
    /// The tensor-train fields' rows (<see cref="TensorTrainEmbedding"/>): the forward split by batch rows (each slot is written
    /// once), the backward by train field (one part accumulates a field's cores, in row order, then clears its slots' dOut),
    /// so every split gives the bits of one part. Each part contracts in its own scratch.
    /// </summary>
    public sealed class Trains(EmbeddingPart part, TensorTrainFields trains, int threads) : IComputeJob
    {
        private readonly float[] _scratch = new float[checked(threads * trains.BackwardScratchLength)];
        private Batch? _batch;
        private bool _backward;

        public void Forward(Batch batch)
        {
            (_batch, _backward) = (batch, false);
            RowParallel.For(part.Compute, batch.Count, this);
        }

        public void Backward(Batch batch)
        {
            (_batch, _backward) = (batch, true);
            RowParallel.For(part.Compute, trains.Fields.Length, minRowsPerPart: 1, this);
        }

        public void Run(int index, int partCount)
        {
            Batch batch = _batch!;
            int f = part.FieldCount, dim = part.Dim;
            Span<float> scratch = _scratch.AsSpan(index * trains.BackwardScratchLength, trains.BackwardScratchLength);
            if (!_backward)
            {
                (int start, int end) = RowParallel.Range(batch.Count, index, partCount);
                for (int t = 0; t < trains.Fields.Length; t++)
                {
                    int field = trains.Fields[t];
                    TensorTrainEmbedding.Forward(part.Cores[t].Value, trains.Shape(field), batch.IdsInUse[(start * f)..(end * f)],
                        batch.ValuesInUse[(start * f)..(end * f)], batch.HasValues, end - start, f, field, trains.FirstRow(field),
                        part.Output.AsSpan(start * f * dim, (end - start) * f * dim), scratch, batch.ExtrasInUse.Slice(start * f, (end - start) * f));
                }

                return;
            }

            (int first, int last) = RowParallel.Range(trains.Fields.Length, index, partCount);
            for (int t = first; t < last; t++)
            {
                int field = trains.Fields[t];
                TensorTrainEmbedding.Backward(part.Cores[t].Value, trains.Shape(field), batch.IdsInUse, batch.ValuesInUse, batch.HasValues,
                    part.DOutput, batch.Count, f, field, trains.FirstRow(field), part.Cores[t].Grad!, scratch, batch.ExtrasInUse);
                for (int b = 0; b < batch.Count; b++)
                {
                    part.DOutput.AsSpan((b * f + field) * dim, dim).Clear(); // the placeholder row's true gradient: it never reaches the output
                }
            }
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
