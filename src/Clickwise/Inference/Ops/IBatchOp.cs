namespace Clickwise.Inference.Ops;

/// <summary>An op over the whole batch at once (a dense layer: one GEMM, itself split over the cores).</summary>
internal interface IBatchOp : IInferenceOp
{
    void Run(InferenceTape tape, int batchSize, Span<float> logits);
}
