using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Inference;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The FFM pairwise term Σ_{i&lt;j} x_i x_j ⟨T[id_i][j], T[id_j][i]⟩ (<see cref="IFFMKernel"/>) and its
/// row-sparse table T "ffm.embedding" [V, F·D], read in place: forward split by batch rows through the registry's pair
/// kernel (<see cref="KernelRegistry.FFM"/>, which the inference op calls too, so training and serving logits agree), backward
/// straight into the touched rows' gradient split by slot ownership like the embedding scatter. Each row, and each slot, is computed
/// whole by one thread in lookup order, so the result does not depend on the split.
/// </summary>
internal sealed class FFMPart
{
    private int[] _slots = [];
    private int[] _extraSlots = [];
    private float[] _dY = [];
    private readonly Job _job;

    public FFMPart(ParameterSet parameters, string name, FeatureLayout layout, int dim, float initStd, SeededRandom random)
    {
        FieldCount = layout.FieldCount;
        Dim = dim;
        Table = parameters.Add(Parameter.RowSparse(name, ParameterRole.Embedding, layout.TotalRows, checked(FieldCount * dim)))
            .Normal(random, initStd);
        _job = new Job(this);
    }

    /// <summary>Plans the outputs for batches of up to <paramref name="maxBatchSize"/> rows (the model plans the table's row gradient).</summary>
    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        Compute = compute;
        int maxTouched = checked(maxBatchSize * FieldCount);
        Output = new float[maxBatchSize];
        _dY = new float[maxBatchSize];
        _slots = new int[maxTouched];
    }

    /// <summary>The context of the last <see cref="Prepare"/>: threads, kernels and phase marks of this part's passes.</summary>
    public ComputeContext Compute { get; private set; } = ComputeContext.Default;

    public Parameter Table { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    /// <summary>[B] pair terms of the last forward.</summary>
    public float[] Output { get; private set; } = [];

    /// <summary>Adds the pair term of the batch to <paramref name="logits"/>.</summary>
    public void Forward(Batch batch, Span<float> logits)
    {
        _job.Run(batch, backward: false);
        LogitSum.Add(Output, batch.Count, logits);
        Compute.EndPhase("ffm fwd");
    }

    /// <summary>Registers the batch's rows in the table's row gradient and accumulates their gradient.</summary>
    public void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        dLogits[..batch.Count].CopyTo(_dY);
        Table.RowGrad!.Register(batch.IdsInUse, _slots);
        ExtraLookups extras = batch.ExtrasInUse;
        if (!extras.IsEmpty)
        {
            EmbeddingJobs.EnsureLength(ref _extraSlots, extras.Ids.Length);
            Table.RowGrad!.Register(extras.Ids, _extraSlots);
        }

        Compute.EndPhase("ffm register rows");
        _job.Run(batch, backward: true);
        Compute.EndPhase("ffm bwd");
    }

    /// <summary>The pair term reads the field-aware table in place, as in training.</summary>
    public void Lower(PlanBuilder plan) => plan.Add(new FFMOp(Table.Value, FieldCount, Dim));

    private sealed class Job(FFMPart part) : IComputeJob
    {
        private Batch? _batch;
        private bool _backward;

        public void Run(Batch batch, bool backward)
        {
            (_batch, _backward) = (batch, backward);
            RowParallel.For(part.Compute, batch.Count, this);
        }

        public void Run(int index, int partCount)
        {
            Batch batch = _batch!;
            int f = part.FieldCount;
            ReadOnlySpan<float> values = batch.HasValues ? batch.ValuesInUse : default;
            ExtraLookups extras = batch.ExtrasInUse;
            if (_backward && !extras.IsEmpty)
            {
                FieldAwareInteraction.BackwardPooled(part.Table.Value, batch.IdsInUse, values, extras, part._dY, part._slots, part._extraSlots,
                    batch.Count, f, part.Dim, part.Table.RowGrad!.Values, index, partCount);
                return;
            }

            if (_backward)
            {
                FieldAwareInteraction.Backward(part.Table.Value, batch.IdsInUse, values, part._dY, part._slots.AsSpan(0, batch.Count * f), batch.Count, f,
                    part.Dim, part.Table.RowGrad!.Values, index, partCount);
                return;
            }

            (int start, int end) = RowParallel.Range(batch.Count, index, partCount);
            part.Output.AsSpan(start, end - start).Clear();
            if (extras.IsEmpty)
            {
                KernelRegistry.FFM.AddRows(part.Table.Value, batch.IdsInUse, values, f, part.Dim, start, end, part.Output);
            }
            else
            {
                PooledFieldAwareRows.AddRows(KernelRegistry.FFM, part.Table.Value, batch.IdsInUse, values, extras, f, part.Dim, start, end,
                    part.Output);
            }
        }
    }
}
