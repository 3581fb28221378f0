using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Training;

namespace Clickwise.Runs;

/// <summary>Metrics of a compiled model over a batch source, and the metric function the trainer validates with.</summary>
public static class Evaluation
{
    public const int BatchSize = 4096;

    public static (EvaluationResult Result, MetricAccumulator Accumulator) Run(CompiledModel model, IBatchSource data)
    {
        var accumulator = new MetricAccumulator(checked((int)Math.Min(data.RowCount, int.MaxValue)));
        InferenceTape tape = model.CreateTape(Math.Min(BatchSize, 1024));
        float[] logits = new float[BatchSize];
        foreach (Batch batch in data.Batches(BatchSize, shuffle: false, seed: 0))
        {
            Span<float> z = logits.AsSpan(0, batch.Count);
            model.PredictLogits(batch, z, tape);
            accumulator.AddLogits(z, batch.LabelsInUse);
        }

        return (accumulator.Result(), accumulator);
    }

    /// <summary>Exact AUC and clipped logloss for the trainer's per-epoch validation.</summary>
    public static EvalResult FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels)
    {
        var accumulator = new MetricAccumulator(Math.Max(1, logits.Length));
        accumulator.AddLogits(logits, labels);
        EvaluationResult result = accumulator.Result();
        return new EvalResult(result.Auc, result.LogLoss, result.Rows);
    }
}
