using Clickwise.Data;

namespace Clickwise.Models;

/// <summary>Rejects a batch the model's planned memory cannot hold, with a message naming both sizes.</summary>
internal static class BatchGuard
{
    public static void Check(CtrModel model, Batch batch, ReadOnlySpan<float> logits)
    {
        if (model.MaxBatchSize == 0)
        {
            throw new InvalidOperationException($"{model.Config.Name}: call PrepareTraining(maxBatchSize) before running the model.");
        }

        if (batch.Count > model.MaxBatchSize)
        {
            throw new ArgumentException($"batch of {batch.Count} rows exceeds the model's planned maximum of {model.MaxBatchSize}.");
        }

        if (batch.FieldCount != model.Layout.FieldCount)
        {
            throw new ArgumentException($"batch has {batch.FieldCount} fields but the model's layout has {model.Layout.FieldCount}.");
        }

        if (logits.Length < batch.Count)
        {
            throw new ArgumentException($"logits span holds {logits.Length} values, the batch has {batch.Count} rows.");
        }
    }
}
