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
/// </summary>
internal sealed class EmbeddingPart
{
    public const string DefaultName = "embedding";

    private readonly EmbeddingJobs.Gather _gather;
    private EmbeddingJobs.Scatter? _scatter;

    /// <param name="role">
    /// <see cref="ParameterRole.Embedding"/>, or <see cref="ParameterRole.FirstOrder"/> for a [V, 1] first-order table
    /// gathered as a one-wide embedding (FNN's per-field w_i).
    /// </param>
    public EmbeddingPart(ParameterSet parameters, FeatureLayout layout, int dim, float initStd, SeededRandom random,
                         string name = DefaultName, ParameterRole role = ParameterRole.Embedding)
    {
        FieldCount = layout.FieldCount;
        Dim = dim;
        Table = parameters.Add(Parameter.RowSparse(name, role, layout.TotalRows, dim)).Normal(random, initStd);
        _gather = new EmbeddingJobs.Gather(this);
    }

    /// <summary>Plans the activations for batches of up to <paramref name="maxBatchSize"/> rows (the model plans the table's row gradient).</summary>
    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        Compute = compute;
        int maxTouched = checked(maxBatchSize * FieldCount);
        Output = new float[checked(maxTouched * Dim)];
        DOutput = new float[Output.Length];
        _scatter = new EmbeddingJobs.Scatter(this, new int[maxTouched]);
    }

    /// <summary>The context of the last <see cref="Prepare"/>: threads, kernels and phase marks of this part's passes.</summary>
    public ComputeContext Compute { get; private set; } = ComputeContext.Default;

    public Parameter Table { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    /// <summary>[B, F, D] embeddings scaled by the feature values; also the flattened [B, F·D] DNN input.</summary>
    public float[] Output { get; private set; } = [];

    /// <summary>[B, F, D] gradient w.r.t. <see cref="Output"/>, accumulated by every consumer.</summary>
    public float[] DOutput { get; private set; } = [];

    public int Width => FieldCount * Dim;

    public Span<float> OutputFor(int batchSize) => Output.AsSpan(0, batchSize * Width);

    public Span<float> DOutputFor(int batchSize) => DOutput.AsSpan(0, batchSize * Width);

    public void Forward(Batch batch) => _gather.Run(batch);

    /// <summary>Zeroes dOut so the consumers can accumulate into it.</summary>
    public void BeginBackward(int batchSize) => DOutputFor(batchSize).Clear();

    /// <summary>Scatters the accumulated dOut into the table's row gradient.</summary>
    public void EndBackward(Batch batch) => _scatter!.Run(batch);

    /// <summary>The gather of <see cref="Forward"/>: a new [B, F, D] region (the planner may store a pruned table compactly).</summary>
    public TapeRegion Lower(PlanBuilder plan) => plan.Gather(Table.Value, Dim);
}
