using Clickwise.Data;
using Clickwise.Models;

namespace Clickwise.Training;

/// <summary>Computes metrics from all logits [N] and labels [N] of a data set.</summary>
public delegate EvalResult LogitMetrics(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels);

/// <summary>
/// Runs the model in inference mode over the data in order and hands every logit with its label to a metric
/// function (Clickwise.Metrics' exact AUC and clipped logloss at integration).
/// </summary>
public sealed class LogitEvaluator(LogitMetrics metrics) : IEvaluator
{
    public EvalResult Evaluate(CtrModel model, IBatchSource data, int batchSize)
    {
        int n = checked((int)data.RowCount);
        float[] logits = new float[n];
        float[] labels = new float[n];
        int at = 0;
        if (model.MaxBatchSize == 0)
        {
            model.PrepareTraining(batchSize);
        }

        batchSize = Math.Min(batchSize, model.MaxBatchSize);
        foreach (Batch batch in data.Batches(batchSize, shuffle: false, seed: 0))
        {
            model.Forward(batch, logits.AsSpan(at, batch.Count), training: false);
            batch.LabelsInUse.CopyTo(labels.AsSpan(at));
            at += batch.Count;
        }

        return metrics(logits.AsSpan(0, at), labels.AsSpan(0, at));
    }
}
