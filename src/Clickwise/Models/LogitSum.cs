namespace Clickwise.Models;

/// <summary>A model's logit is the sum of its components' [B] outputs; this adds one of them.</summary>
internal static class LogitSum
{
    public static void Add(ReadOnlySpan<float> term, int batchSize, Span<float> logits)
    {
        for (int b = 0; b < batchSize; b++)
        {
            logits[b] += term[b];
        }
    }
}
