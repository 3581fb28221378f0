using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The shared embedding table of a model and its activations: out [B, F, D] and the gradient buffer
/// dOut [B, F, D] into which every consumer (FM, FwFM, DNN) accumulates before one scatter into the table.
/// A model with more than one table names the others (<c>wide.embedding</c>, <c>ffm.embedding</c> with rows F·D wide);
/// every table is row-sparse and updated lazily like the shared one.
/// With a rank k (AFM's compressed embeddings, <see cref="ModelConfig.EmbeddingRank"/>) the table holds k-wide rows,
/// gathered into <see cref="Compressed"/> [B, F, k], and <see cref="FieldProjection"/> (embedding.proj.weight [F, k, D],
/// embedding.proj.bias [F, D]) turns them into the D-wide <see cref="Output"/> every consumer reads.
/// With tensor-train fields (<see cref="ModelConfig.EmbeddingTtRank"/>, <see cref="TensorTrainFields"/>) those fields'
/// rows leave the table for three cores each (embedding.tt.{f}); the gather reads the table by mapped rows and the
/// train fields' lookups are then contracted from the cores into the same <see cref="Output"/>.
/// With quotient-remainder fields (<see cref="ModelConfig.EmbeddingQrCollisions"/>, <see cref="QuotientRemainderFields"/>)
/// those fields' quotient and remainder rows take their rows' place in the table: each lookup gathers its quotient row and
/// joins its remainder row in; the backward scatters both.
/// </summary>
internal sealed class EmbeddingPart
{
    public const string DefaultName = "embedding";

    private readonly EmbeddingJobs.Gather _gather;
    private EmbeddingJobs.Scatter? _scatter;
    private int[] _rows = [];
    private int[] _extraRows = [];
    private int[] _remainderRows = [];
    private float[] _dRemainder = [];
    private EmbeddingJobs.Trains? _trains;

    /// <param name="role">
    /// <see cref="ParameterRole.Embedding"/>, or <see cref="ParameterRole.FirstOrder"/> for a [V, 1] first-order table
    /// gathered as a one-wide embedding (FNN's per-field w_i).
    /// </param>
    /// <param name="rank">k of AFM's compressed form; 0: the table is D wide.</param>
    /// <param name="tensorTrain">The fields whose rows are tensor trains; null: none.</param>
    /// <param name="quotientRemainder">The fields whose rows are quotient and remainder rows; null: none.</param>
    /// <param name="mask">The config whose OptEmbed settings (row thresholds or a fixed row mask, sampled or per-field widths) this table takes; null: none.</param>
    public EmbeddingPart(ParameterSet parameters, FeatureLayout layout, int dim, float initStd, SeededRandom random,
                         string name = DefaultName, ParameterRole role = ParameterRole.Embedding, int rank = 0,
                         TensorTrainFields? tensorTrain = null, QuotientRemainderFields? quotientRemainder = null, ModelConfig? mask = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        FieldCount = layout.FieldCount;
        Dim = dim;
        Rank = rank;
        TensorTrain = tensorTrain;
        QuotientRemainder = quotientRemainder;
        int rows = tensorTrain?.TableRows ?? quotientRemainder?.TableRows ?? layout.TotalRows;
        Table = parameters.Add(Parameter.RowSparse(name, role, rows, TableDim)).Normal(random, initStd);
        if (quotientRemainder is not null && !Table.IsLoaded)
        {
            ScaleQuotientRemainderRows(quotientRemainder, initStd);
        }

        Cores = tensorTrain is null ? [] : [.. tensorTrain.Fields.Select(f => TrainCores(parameters, name, tensorTrain, f, initStd, random))];
        if (tensorTrain is not null && !Table.IsLoaded)
        {
            Table.Value.AsSpan(tensorTrain.PlaceholderRow * TableDim).Clear(); // zero with zero gradients, it stays zero under L2
        }

        if (rank > 0)
        {
            ProjectionWeight = parameters.Add(Parameter.Dense($"{name}.proj.weight", ParameterRole.EmbeddingProjection, FieldCount, rank, dim))
                .Uniform(random, Math.Sqrt(6.0 / (rank + dim)));
            ProjectionBias = parameters.Add(Parameter.Dense($"{name}.proj.bias", ParameterRole.Bias, FieldCount, dim));
        }

        if (mask is { HasEmbeddingMask: true })
        {
            Mask = new EmbeddingMaskPart(parameters, layout, dim, mask, name);
        }

        _gather = new EmbeddingJobs.Gather(this);
    }

    /// <summary>Refuses AFM's compressed embeddings and tensor-train fields for a model without a shared table they could replace.</summary>
    public static void RefuseRank(ModelConfig config, string why)
    {
        if (config.EmbeddingRank > 0)
        {
            throw new ArgumentException($"embedding_rank: {why}.");
        }

        if (config.EmbeddingTtRank > 0)
        {
            throw new ArgumentException($"embedding_tt_rank: {why}.");
        }
    }

    /// <summary>Refuses quotient-remainder fields for a model without a shared table whose rows they could replace.</summary>
    public static void RefuseQuotientRemainder(ModelConfig config, string why)
    {
        if (config.EmbeddingQrCollisions > 0)
        {
            throw new ArgumentException($"embedding_qr_collisions: {why}.");
        }
    }

    /// <summary>Refuses OptEmbed's row masks and widths for a model without a shared table they could act on.</summary>
    public static void RefuseMask(ModelConfig config, string why)
    {
        if (config.EmbeddingThreshold != RowThreshold.None || config.EmbeddingKeptRows)
        {
            throw new ArgumentException($"{(config.EmbeddingKeptRows ? "embedding_kept_rows" : "embedding_threshold")}: {why}.");
        }

        if (config.EmbeddingDimSampling || config.EmbeddingFieldDims.Length > 0)
        {
            throw new ArgumentException($"{(config.EmbeddingDimSampling ? "embedding_dim_sampling" : "embedding_field_dims")}: {why}.");
        }
    }

    /// <summary>
    /// The model's shared table as its description says: D, the initialisation, AFM's rank, the tensor-train fields and
    /// OptEmbed's masks.
    /// </summary>
    public static EmbeddingPart Shared(ParameterSet parameters, FeatureLayout layout, ModelConfig config, SeededRandom random) =>
        new(parameters, layout, config.EmbeddingDim, config.InitStd, random, rank: config.EmbeddingRank,
            tensorTrain: config.EmbeddingTtRank > 0
                ? new TensorTrainFields(layout, config.EmbeddingDim, config.EmbeddingTtRank, config.EmbeddingTtFields)
                : null,
            quotientRemainder: QuotientRemainderFields.Of(config, layout),
            mask: config);

    /// <summary>
    /// Rescales the quotient and remainder rows drawn at <paramref name="initStd"/> so a joined row has the table's spread: a
    /// product of two N(0, s²) entries has variance s⁴ (s = √std), a sum 2s² (s = std/√2). Scaling keeps the draws' order.
    /// </summary>
    private void ScaleQuotientRemainderRows(QuotientRemainderFields fields, float initStd)
    {
        float scale = fields.Operation == QrOperation.Multiply ? 1f / MathF.Sqrt(initStd) : 1f / MathF.Sqrt(2f);
        foreach (int f in fields.Fields)
        {
            int first = fields.TableRow(f, fields.Layout.Offsets[f]);
            Span<float> rows = Table.Value.AsSpan(first * TableDim, (fields.QuotientRows(f) + fields.Collisions(f)) * TableDim);
            System.Numerics.Tensors.TensorPrimitives.Multiply(rows, scale, rows);
        }
    }

    /// <summary>
    /// A train field's cores, drawn so a contracted row has the table's spread: each element sums r1·r2 products of
    /// three N(0, σ²) entries, so σ⁶·r1·r2 = std² (FBTT's approx-normal idea).
    /// </summary>
    private static Parameter TrainCores(ParameterSet parameters, string name, TensorTrainFields tensorTrain, int field, float initStd,
                                        SeededRandom random)
    {
        TensorTrainShape shape = tensorTrain.Shape(field);
        double std = Math.Pow((double)initStd * initStd / (shape.Ranks[1] * shape.Ranks[2]), 1.0 / 6);
        return parameters.Add(Parameter.Dense(TensorTrainFields.CoresName(name, field), ParameterRole.TensorTrainCore, shape.Length))
            .Normal(random, std);
    }

    /// <summary>Plans the activations for batches of up to <paramref name="maxBatchSize"/> rows (the model plans the table's row gradient).</summary>
    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        Compute = compute;
        int maxTouched = checked(maxBatchSize * FieldCount);
        Output = new float[checked(maxTouched * Dim)];
        DOutput = new float[Output.Length];
        Compressed = Rank > 0 ? new float[checked(maxTouched * Rank)] : [];
        DCompressed = new float[Compressed.Length];
        _scatter = new EmbeddingJobs.Scatter(this, new int[maxTouched]);
        _rows = TensorTrain is null && QuotientRemainder is null && Mask is not { MapsRows: true } ? [] : new int[maxTouched];
        _remainderRows = QuotientRemainder is null ? [] : new int[checked(maxBatchSize * QuotientRemainder.Fields.Length)];
        _dRemainder = new float[checked(_remainderRows.Length * Dim)];
        Mask?.Prepare(maxTouched);
        _trains = TensorTrain is null ? null : new EmbeddingJobs.Trains(this, TensorTrain, compute.Threads);
    }

    /// <summary>The context of the last <see cref="Prepare"/>: threads, kernels and phase marks of this part's passes.</summary>
    public ComputeContext Compute { get; private set; } = ComputeContext.Default;

    public Parameter Table { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    /// <summary>AFM's k; 0 when the table is D wide.</summary>
    public int Rank { get; }

    /// <summary>The table's row width: k when compressed, else D.</summary>
    public int TableDim => Rank > 0 ? Rank : Dim;

    public Parameter? ProjectionWeight { get; }

    /// <summary>OptEmbed's row mask (learnable thresholds or fixed) and widths (sampled or per field); null when the table has none.</summary>
    public EmbeddingMaskPart? Mask { get; }

    /// <summary>
    /// The table as evaluation and the compiled plan read it: with OptEmbed's masks, a copy whose pruned rows are zeros or OOV
    /// rows and whose dimensions past each field's width are zero.
    /// </summary>
    /// With quotient-remainder fields, the full [V, D] table they stand for.
    public float[] ServedTable => QuotientRemainder?.Expand(Table.Value, Dim) ?? Mask?.Served(Table.Value) ?? Table.Value;

    /// <summary>The quotient-remainder fields; null when none.</summary>
    public QuotientRemainderFields? QuotientRemainder { get; }

    /// <summary>The remainder rows of the last forward's quotient-remainder lookups, [B, Q] (the scatter registers them).</summary>
    public ReadOnlySpan<int> RemainderRowsOf(Batch batch) => _remainderRows.AsSpan(0, QuotientRemainder is null ? 0 : batch.Count * QuotientRemainder.Fields.Length);

    /// <summary>The remainder rows' gradients of the last backward, [B, Q, D].</summary>
    public ReadOnlySpan<float> DRemainderOf(Batch batch) => _dRemainder.AsSpan(0, RemainderRowsOf(batch).Length * Dim);

    /// <summary>The tensor-train fields; null when every field is a table row.</summary>
    public TensorTrainFields? TensorTrain { get; }

    /// <summary>The cores of each of <see cref="TensorTrainFields.Fields"/>, in that order (empty without trains).</summary>
    public IReadOnlyList<Parameter> Cores { get; }

    /// <summary>The table rows the gather and scatter read for the batch: its ids, or with trains (or OptEmbed's OOV mode) their mapped rows.</summary>
    public ReadOnlySpan<int> TableRowsOf(Batch batch) => _rows.Length == 0 ? batch.IdsInUse : _rows.AsSpan(0, batch.Count * FieldCount);

    /// <summary>The batch's extra features as the table sees them: theirs, or with trains their mapped rows.</summary>
    public ExtraLookups TableExtrasOf(Batch batch)
    {
        ExtraLookups extras = batch.ExtrasInUse;
        return TensorTrain is null || extras.IsEmpty ? extras : new ExtraLookups(extras.Offsets, _extraRows.AsSpan(0, extras.Offsets[^1]), extras.Values);
    }

    public Parameter? ProjectionBias { get; }

    /// <summary>[B, F, k] gathered compressed rows (empty without a rank).</summary>
    public float[] Compressed { get; private set; } = [];

    public float[] DCompressed { get; private set; } = [];

    /// <summary>Where the gather writes: <see cref="Compressed"/> with a rank, else <see cref="Output"/>.</summary>
    public float[] GatherOutput => Rank > 0 ? Compressed : Output;

    /// <summary>The gradient the scatter reads, laid out like <see cref="GatherOutput"/>.</summary>
    public Span<float> DGatherFor(int batchSize) => (Rank > 0 ? DCompressed : DOutput).AsSpan(0, batchSize * FieldCount * TableDim);

    /// <summary>[B, F, D] embeddings scaled by the feature values; also the flattened [B, F·D] DNN input.</summary>
    public float[] Output { get; private set; } = [];

    /// <summary>[B, F, D] gradient w.r.t. <see cref="Output"/>, accumulated by every consumer.</summary>
    public float[] DOutput { get; private set; } = [];

    public int Width => FieldCount * Dim;

    public Span<float> OutputFor(int batchSize) => Output.AsSpan(0, batchSize * Width);

    public Span<float> DOutputFor(int batchSize) => DOutput.AsSpan(0, batchSize * Width);

    /// <param name="training">Whether the step draws OptEmbed's sampled widths (evaluation reads whole rows).</param>
    public void Forward(Batch batch, bool training)
    {
        Mask?.MapRowsIfPruning(batch, Table.Value, _rows);
        if (TensorTrain is not null)
        {
            TensorTrain.MapRows(batch.IdsInUse, _rows);
            ExtraLookups extras = batch.ExtrasInUse;
            if (!extras.IsEmpty)
            {
                EmbeddingJobs.EnsureLength(ref _extraRows, extras.Offsets[^1]);
                TensorTrain.MapExtraRows(extras, _extraRows);
            }
        }

        if (QuotientRemainder is not null)
        {
            if (!batch.ExtrasInUse.IsEmpty)
            {
                throw new NotSupportedException("embedding_qr_collisions needs one feature per field; this batch has multi-hot fields.");
            }

            QuotientRemainder.MapRows(batch.IdsInUse, _rows);
            QuotientRemainder.MapRemainderRows(batch.IdsInUse, batch.Count, _remainderRows);
        }

        _gather.Run(batch);
        QuotientRemainder?.Forward(Table.Value, Dim, batch.IdsInUse, batch.HasValues ? batch.ValuesInUse : default, batch.Count, OutputFor(batch.Count));
        _trains?.Forward(batch);
        Mask?.Forward(batch, Table.Value, TableRowsOf(batch), OutputFor(batch.Count), training);

        if (Rank > 0)
        {
            FieldProjection.Forward(Compressed, ProjectionWeight!.Value, ProjectionBias!.Value, batch.Count, FieldCount, Rank, Dim, Output);
        }
    }

    /// <summary>Seeds the sampled widths of the next training forward (see <see cref="CtrModel.BeginStep"/>).</summary>
    public void BeginStep(int modelSeed, long globalStep) => Mask?.BeginStep(modelSeed, globalStep);

    /// <summary>Zeroes dOut so the consumers can accumulate into it.</summary>
    public void BeginBackward(int batchSize) => DOutputFor(batchSize).Clear();

    /// <summary>Scatters the accumulated dOut into the table's row gradient (and the train fields' into their cores).</summary>
    public void EndBackward(Batch batch)
    {
        _trains?.Backward(batch);
        QuotientRemainder?.Backward(Table.Value, Dim, batch.IdsInUse, batch.HasValues ? batch.ValuesInUse : default, batch.Count,
            DOutputFor(batch.Count), _dRemainder);
        Mask?.Backward(batch, Table.Value, TableRowsOf(batch), DOutputFor(batch.Count));

        if (Rank > 0)
        {
            FieldProjection.Backward(Compressed, ProjectionWeight!.Value, DOutput, batch.Count, FieldCount, Rank, Dim, DCompressed,
                ProjectionWeight.Grad!, ProjectionBias!.Grad!);
        }

        _scatter!.Run(batch);
    }

    /// <summary>
    /// The gather of <see cref="Forward"/>, projected when compressed: a new [B, F, D] region (the planner may store a pruned
    /// table compactly). With OptEmbed's masks the plan holds only the kept rows at their fields' widths; an ONNX export,
    /// which reads the weights as given, takes the masked dense table.
    /// </summary>
    public TapeRegion Lower(PlanBuilder plan)
    {
        if (Mask is not null && !plan.RetainWeights)
        {
            return plan.FieldWidthGather(Mask.Compact(Table.Value));
        }

        if (TensorTrain is not null)
        {
            return plan.TensorTrainGather(Table.Value, TensorTrain, [.. Cores.Select(c => c.Value)], Dim);
        }

        if (QuotientRemainder is not null)
        {
            return plan.QuotientRemainderGather(Table.Value, QuotientRemainder, Dim);
        }

        TapeRegion gathered = plan.Gather(ServedTable, TableDim);
        return Rank > 0 ? plan.FieldProjection(ProjectionWeight!.Value, ProjectionBias!.Value, Rank, Dim, gathered) : gathered;
    }
}
