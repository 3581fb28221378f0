using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Inference.Ops;

/// <summary>Adds the LR term Σ_f w[id_f]·x_f (multi-hot fields: every feature's) to the logits, by the training layer's sum.</summary>
internal sealed class FirstOrderOp(float[] weights, int fieldCount) : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => weights.LongLength;

    public long Bytes => weights.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        for (int b = rowStart; b < rowEnd; b++)
        {
            logits[b] += FirstOrder.Row(weights, ids, values, extras, fieldCount, b);
        }
    }

    public void Export(OnnxGraph graph) => graph.AddToLogits(graph.ReduceSum(graph.Lookup("first_order", weights), 1));

    public string Describe() => $"first-order F={fieldCount}";
}
