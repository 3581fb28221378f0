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

/// <summary>The LR first-order term Σ_f w[id]·x with w a row-sparse [V, 1] table, and its output [B].</summary>
internal sealed class FirstOrderPart
{
    public FirstOrderPart(ParameterSet parameters, FeatureLayout layout, int maxBatchSize, float initStd, SeededRandom random)
    {
        FieldCount = layout.FieldCount;
        Weights = parameters.Add(Parameter.RowSparse("first_order", ParameterRole.FirstOrder, layout.TotalRows, 1,
            checked(maxBatchSize * layout.FieldCount)));
        random.FillNormal(Weights.Value, initStd);
        Output = new float[maxBatchSize];
    }

    public Parameter Weights { get; }

    public int FieldCount { get; }

    public float[] Output { get; }

    public void Forward(Batch batch) =>
        FirstOrder.Forward(Weights.Value, batch.IdsInUse, batch.ValuesInUse, batch.HasValues,
            batch.Count, FieldCount, Output);

    public void Backward(Batch batch, ReadOnlySpan<float> dLogits) =>
        FirstOrder.Backward(Weights.Value, batch.IdsInUse, batch.ValuesInUse, batch.HasValues,
            dLogits, batch.Count, FieldCount, Weights.RowGrad!, default);
}

/// <summary>The global bias w0 (one dense scalar, named "bias").</summary>
internal sealed class BiasPart
{
    public BiasPart(ParameterSet parameters) =>
        Value = parameters.Add(Parameter.Dense("bias", ParameterRole.Bias, 1));

    public Parameter Value { get; }

    /// <summary>Writes logits[b] = w0, the starting point every other component adds onto.</summary>
    public void Forward(int batchSize, Span<float> logits)
    {
        logits[..batchSize].Clear();
        GlobalBias.Forward(Value.Value[0], batchSize, logits);
    }

    public void Backward(ReadOnlySpan<float> dLogits, int batchSize) =>
        Value.Grad![0] += GlobalBias.Backward(dLogits, batchSize);
}

/// <summary>
/// The FwFM component without w0: linear term Σ_f ⟨e_f, v_f⟩ ("fwfm.v", [F, D]) plus pairwise term
/// Σ_{i&lt;j} r_(i,j) ⟨e_i, e_j⟩ ("fwfm.r", [P] upper triangle of the symmetric R).
/// </summary>
internal sealed class FwFMPart
{
    public FwFMPart(ParameterSet parameters, FeatureLayout layout, int dim, int maxBatchSize, SeededRandom random)
    {
        FieldCount = layout.FieldCount;
        Dim = dim;
        FieldVectors = parameters.Add(Parameter.Dense("fwfm.v", ParameterRole.FieldLinear, layout.FieldCount, dim));
        PairWeights = parameters.Add(Parameter.Dense("fwfm.r", ParameterRole.FieldMatrix, FieldPairs.Count(layout.FieldCount)));
        // The reference code builds v and R as nn.Linear weights; we keep PyTorch's default U(±1/√fan_in) scale.
        random.FillUniform(FieldVectors.Value, 1.0 / Math.Sqrt(dim));
        random.FillUniform(PairWeights.Value, 1.0 / Math.Sqrt(layout.FieldCount));
        LinearOutput = new float[maxBatchSize];
        PairOutput = new float[maxBatchSize];
    }

    public Parameter FieldVectors { get; }

    public Parameter PairWeights { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    public float[] LinearOutput { get; }

    public float[] PairOutput { get; }

    /// <summary>Adds the FwFM linear and pairwise terms to <paramref name="logits"/>.</summary>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> logits)
    {
        FwFMLinear.Forward(embeddings, FieldVectors.Value, batchSize, FieldCount, Dim, LinearOutput);
        FwFMInteraction.Forward(embeddings, PairWeights.Value, batchSize, FieldCount, Dim, PairOutput);
        for (int b = 0; b < batchSize; b++)
        {
            logits[b] += LinearOutput[b] + PairOutput[b];
        }
    }

    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dLogits, int batchSize, Span<float> dEmbeddings)
    {
        FwFMLinear.Backward(embeddings, FieldVectors.Value, dLogits, batchSize, FieldCount, Dim, dEmbeddings, FieldVectors.Grad);
        FwFMInteraction.Backward(embeddings, PairWeights.Value, dLogits, batchSize, FieldCount, Dim, dEmbeddings, PairWeights.Grad);
    }
}

/// <summary>The FM second-order term over the shared embeddings, with its [B, D] field-sum and [B] output.</summary>
internal sealed class FMPart
{
    public FMPart(int fieldCount, int dim, int maxBatchSize)
    {
        FieldCount = fieldCount;
        Dim = dim;
        Sum = new float[checked(maxBatchSize * dim)];
        Output = new float[maxBatchSize];
    }

    public int FieldCount { get; }

    public int Dim { get; }

    public float[] Sum { get; }

    public float[] Output { get; }

    /// <summary>Adds the FM second-order term to <paramref name="logits"/>.</summary>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> logits)
    {
        FMInteraction.Forward(embeddings, batchSize, FieldCount, Dim, Sum, Output);
        AddInto(Output, batchSize, logits);
    }

    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dLogits, int batchSize, Span<float> dEmbeddings) =>
        FMInteraction.Backward(embeddings, Sum, dLogits, batchSize, FieldCount, Dim, dEmbeddings);

    internal static void AddInto(ReadOnlySpan<float> term, int batchSize, Span<float> logits)
    {
        for (int b = 0; b < batchSize; b++)
        {
            logits[b] += term[b];
        }
    }
}
