using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>The FM second-order term over the shared embeddings, with its [B, D] field-sum and [B] output.</summary>
internal sealed class FMPart
{
    public FMPart(int fieldCount, int dim)
    {
        FieldCount = fieldCount;
        Dim = dim;
    }

    public void Prepare(int maxBatchSize)
    {
        Sum = new float[checked(maxBatchSize * Dim)];
        Output = new float[maxBatchSize];
    }

    public int FieldCount { get; }

    public int Dim { get; }

    public float[] Sum { get; private set; } = [];

    public float[] Output { get; private set; } = [];

    /// <summary>Adds the FM second-order term to <paramref name="logits"/>.</summary>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> logits)
    {
        FMInteraction.Forward(embeddings, batchSize, FieldCount, Dim, Sum, Output);
        LogitSum.Add(Output, batchSize, logits);
    }

    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dLogits, int batchSize, Span<float> dEmbeddings) =>
        FMInteraction.Backward(embeddings, Sum, dLogits, batchSize, FieldCount, Dim, dEmbeddings);

    public void Lower(PlanBuilder plan, TapeRegion embeddings) =>
        plan.Add(new FMOp(FieldCount, Dim, embeddings.Offset, plan.Allocate(Dim).Offset));
}
