using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>NFM's bi-interaction pooling over the shared embeddings: its [B, D] output (the DNN input), field-sum and output gradient.</summary>
internal sealed class BiInteractionPart
{
    public BiInteractionPart(int fieldCount, int dim)
    {
        FieldCount = fieldCount;
        Dim = dim;
    }

    public void Prepare(int maxBatchSize)
    {
        Sum = new float[checked(maxBatchSize * Dim)];
        Output = new float[Sum.Length];
        DOutput = new float[Sum.Length];
    }

    public int FieldCount { get; }

    public int Dim { get; }

    public float[] Sum { get; private set; } = [];

    public float[] Output { get; private set; } = [];

    public float[] DOutput { get; private set; } = [];

    public Span<float> OutputFor(int batchSize) => Output.AsSpan(0, batchSize * Dim);

    public Span<float> DOutputFor(int batchSize) => DOutput.AsSpan(0, batchSize * Dim);

    public void Forward(ReadOnlySpan<float> embeddings, int batchSize) =>
        BiInteraction.Forward(embeddings, batchSize, FieldCount, Dim, Sum, Output);

    /// <summary>Accumulates into dEmbeddings from <see cref="DOutput"/>, which the DNN has written.</summary>
    public void Backward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> dEmbeddings) =>
        BiInteraction.Backward(embeddings, Sum, DOutputFor(batchSize), batchSize, FieldCount, Dim, dEmbeddings);

    /// <summary>The pooled [B, D] region the DNN reads.</summary>
    public TapeRegion Lower(PlanBuilder plan, TapeRegion embeddings)
    {
        TapeRegion sum = plan.Allocate(Dim), output = plan.Allocate(Dim);
        plan.Add(new BiInteractionOp(FieldCount, Dim, embeddings.Offset, sum.Offset, output.Offset));
        return output;
    }
}
