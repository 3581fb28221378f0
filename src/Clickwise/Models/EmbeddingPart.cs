using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The shared embedding table of a model and its activations: out [B, F, D] and the gradient buffer
/// dOut [B, F, D] into which every consumer (FM, FwFM, DNN) accumulates before one scatter into the table.
/// </summary>
internal sealed class EmbeddingPart
{
    public EmbeddingPart(ParameterSet parameters, FeatureLayout layout, int dim, int maxBatchSize, float initStd, SeededRandom random)
    {
        FieldCount = layout.FieldCount;
        Dim = dim;
        int maxTouched = checked(maxBatchSize * layout.FieldCount);
        Table = parameters.Add(Parameter.RowSparse("embedding", ParameterRole.Embedding, layout.TotalRows, dim, maxTouched));
        random.FillNormal(Table.Value, initStd);
        Output = new float[checked(maxTouched * dim)];
        DOutput = new float[Output.Length];
    }

    public Parameter Table { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    /// <summary>[B, F, D] embeddings scaled by the feature values; also the flattened [B, F·D] DNN input.</summary>
    public float[] Output { get; }

    /// <summary>[B, F, D] gradient w.r.t. <see cref="Output"/>, accumulated by every consumer.</summary>
    public float[] DOutput { get; }

    public int Width => FieldCount * Dim;

    public Span<float> OutputFor(int batchSize) => Output.AsSpan(0, batchSize * Width);

    public Span<float> DOutputFor(int batchSize) => DOutput.AsSpan(0, batchSize * Width);

    public void Forward(Batch batch) =>
        Embedding.Forward(Table.Value, batch.IdsInUse, batch.ValuesInUse, batch.HasValues,
            batch.Count, FieldCount, Dim, OutputFor(batch.Count));

    /// <summary>Zeroes dOut so the consumers can accumulate into it.</summary>
    public void BeginBackward(int batchSize) => DOutputFor(batchSize).Clear();

    /// <summary>Scatters the accumulated dOut into the table's row gradient.</summary>
    public void EndBackward(Batch batch) =>
        Embedding.Backward(Table.Value, batch.IdsInUse, batch.ValuesInUse, batch.HasValues,
            DOutputFor(batch.Count), batch.Count, FieldCount, Dim, Table.RowGrad!, default);
}
