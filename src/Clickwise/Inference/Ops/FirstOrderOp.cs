namespace Clickwise.Inference.Ops;

/// <summary>Adds the LR term Σ_f w[id_f]·x_f to the logits.</summary>
internal sealed class FirstOrderOp(float[] weights, int fieldCount) : IInferenceOp
{
    public long ParameterCount => weights.LongLength;

    public long Bytes => weights.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, int rowStart, int rowEnd,
                        Span<float> logits)
    {
        for (int b = rowStart; b < rowEnd; b++)
        {
            float sum = 0f;
            int start = b * fieldCount;
            for (int f = 0; f < fieldCount; f++)
            {
                float x = values.IsEmpty ? 1f : values[start + f];
                sum += weights[ids[start + f]] * x;
            }

            logits[b] += sum;
        }
    }

    public string Describe() => $"first-order F={fieldCount}";
}
