using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Metrics;

namespace Clickwise.Runs;

/// <summary>
/// Streams a text file through the model: read → encode with the model's feature map (unseen categories fall
/// into each field's OOV id) → predict in batches. Memory stays at one batch whatever the file size.
/// </summary>
public static class Scoring
{
    public const int BatchSize = 1024;

    /// <summary>Calls <paramref name="onBatch"/> with each batch and its logits [B], in file order.</summary>
    public static BadLineStats Stream(CompiledModel model, FeatureMap map, IRecordReader reader,
                                      Action<Batch, ReadOnlySpan<float>> onBatch) =>
        Stream(model, map, reader, (batch, logits, _) => onBatch(batch, logits));

    /// <summary>
    /// Calls <paramref name="onBatch"/> with each batch, its logits [B] and each row's data-line ordinal [B]
    /// (<see cref="RawRecord.Ordinal"/>: gaps are lines the reader skipped), in file order, at most
    /// <paramref name="batchSize"/> rows at a time (1: every row as soon as it is read, for input from a pipe).
    /// </summary>
    public static BadLineStats Stream(CompiledModel model, FeatureMap map, IRecordReader reader,
                                      Action<Batch, ReadOnlySpan<float>, ReadOnlySpan<long>> onBatch, int batchSize = BatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        map.CheckSchema(reader.Schema); // a model scores only data with the columns it was trained on
        FeatureEncoder encoder = map.CreateEncoder();
        int f = map.FieldCount;
        var record = new RawRecord(f);
        var batch = new Batch(batchSize, f);
        float[] logits = new float[batchSize];
        long[] ordinals = new long[batchSize];
        InferenceTape tape = model.CreateTape(batchSize);
        bool anyValues = false;
        void Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            batch.HasValues = anyValues;
            Span<float> z = logits.AsSpan(0, batch.Count);
            model.PredictLogits(batch, z, tape);
            onBatch(batch, z, ordinals.AsSpan(0, batch.Count));
            batch.Count = 0;
            batch.Extras.Clear();
            anyValues = false;
        }

        while (reader.Read(record))
        {
            int row = batch.Count;
            Span<float> values = batch.Values.AsSpan(row * f, f);
            anyValues |= encoder.Encode(record, batch.Ids.AsSpan(row * f, f), values, batch.Extras);
            batch.Labels[row] = record.Label;
            ordinals[row] = record.Ordinal;
            batch.Count = row + 1;
            if (batch.Count == batchSize)
            {
                Flush();
            }
        }

        Flush();
        return reader.Stats;
    }

    /// <summary>AUC, logloss, calibration and the ROC curve of the model on a labelled file.</summary>
    public static (EvaluationResult Result, CalibrationReport Calibration, RocCurve Roc, BadLineStats Stats) Evaluate(
        CompiledModel model, FeatureMap map, IRecordReader reader)
    {
        var accumulator = new MetricAccumulator();
        BadLineStats stats = Stream(model, map, reader, (batch, logits) => accumulator.AddLogits(logits, batch.LabelsInUse));
        if (accumulator.Rows == 0)
        {
            throw new InvalidDataException("no rows to evaluate");
        }

        return (accumulator.Result(), accumulator.Calibration(), accumulator.Roc(), stats);
    }
}
