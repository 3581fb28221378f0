using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Metrics;

namespace Clickwise.Runs;

/// <summary>
/// The rows a model did not train on, found again for <c>eval --split</c>: a part of a prepared directory (its cache), or
/// the rows of the training text that the model's saved split (ratios, mode, seed) held out; and whether a file is one
/// the model trained on.
/// </summary>
public static class HeldOut
{
    /// <summary>Metrics, calibration and ROC curve of the model on one part of a prepared directory it was trained with.</summary>
    public static (EvaluationResult Result, CalibrationReport Calibration, RocCurve Roc) Evaluate(ModelArtifact artifact, string directory,
                                                                                                SplitPart part, ComputeContext compute) =>
        WithPart(artifact, directory, part, rows =>
        {
            (EvaluationResult result, MetricAccumulator accumulator) = Evaluation.Run(artifact.Compile(compute: compute), rows);
            return (result, accumulator.Calibration(), accumulator.Roc());
        });

    /// <summary>
    /// The model's logits on one part of a prepared directory, in the part's row order, a batch at a time to
    /// <paramref name="write"/>; returns the rows scored.
    /// </summary>
    public static long Predict(ModelArtifact artifact, string directory, SplitPart part, ComputeContext compute, Action<ReadOnlySpan<float>> write) =>
        WithPart(artifact, directory, part, rows =>
        {
            CompiledModel model = artifact.Compile(compute: compute);
            InferenceTape tape = model.CreateTape(Math.Min(Evaluation.BatchSize, 1024));
            float[] logits = new float[Evaluation.BatchSize];
            long scored = 0;
            foreach (Batch batch in rows.Batches(Evaluation.BatchSize, shuffle: false, seed: 0))
            {
                Span<float> z = logits.AsSpan(0, batch.Count);
                model.PredictLogits(batch, z, tape);
                write(z);
                scored += batch.Count;
            }

            return scored;
        });

    /// <summary>Opens a prepared directory the model was trained with and hands <paramref name="use"/> one part of it.</summary>
    public static T WithPart<T>(ModelArtifact artifact, string directory, SplitPart part, Func<CacheBatchSource, T> use)
    {
        using PreparedDataset data = PreparedDirectory.Open(directory, PreparedDirectory.Preprocessing(directory));
        if (data.Map.Checksum != artifact.FeatureMap.Checksum)
        {
            throw new InvalidDataException($"the model was not trained on {directory} (its vocabulary is another one); use it on text with -d FILE");
        }

        CacheBatchSource rows = part switch
        {
            SplitPart.Train => data.Train,
            SplitPart.Valid => data.Valid,
            _ when data.Tests.Count <= 1 => data.Test,
            _ => throw new InvalidDataException($"{directory} holds {data.Tests.Count} test files ({string.Join(", ", data.Tests.Select(t => t.File))}); "
                + "use each by its file with -d FILE"),
        };
        if (rows.RowCount == 0)
        {
            throw new InvalidDataException($"{directory} has no {Name(part)} rows");
        }

        return use(rows);
    }

    /// <summary>test, valid or train as a part; anything else is an <see cref="ArgumentException"/> naming the choices.</summary>
    public static SplitPart PartNamed(string name) => name switch
    {
        "test" => SplitPart.Test,
        "valid" => SplitPart.Valid,
        "train" => SplitPart.Train,
        _ => throw new ArgumentException($"--split wants test, valid or train, got '{name}'"),
    };

    /// <summary>The rows of <paramref name="path"/> (the model's training data) that its saved split gives to <paramref name="part"/>.</summary>
    public static IRecordReader Open(ModelArtifact artifact, string path, ReaderOptions options, SplitPart part, InputProgress? progress = null)
    {
        if (artifact.Preprocessing is not { } saved || artifact.Split is not { } ratios)
        {
            throw new InvalidDataException("the model file does not say how its data was split (it was written before models kept their split); "
                + "evaluate a held-out file instead");
        }

        if (artifact.Sources.Count > 0 && TrainedOn(artifact, path) is null)
        {
            throw new InvalidDataException($"--split takes the data the model was trained on ({string.Join(", ", artifact.Sources)}), not {path}");
        }

        if (part switch { SplitPart.Train => ratios.Train, SplitPart.Valid => ratios.Valid, _ => ratios.Test } == 0)
        {
            throw new InvalidDataException($"the model's split has no {Name(part)} rows: they came from a file of their own (or the ratio is 0); evaluate that file");
        }

        return SplitPartReader.Open(() => RecordReaders.Open(path, options, progress), saved.SplitMode, ratios, saved.Seed, part);
    }

    /// <summary>The files among those <paramref name="path"/> names that the model was trained on, or null when none is.</summary>
    public static string? TrainedOn(ModelArtifact artifact, string path)
    {
        if (path == "-" || artifact.Sources.Count == 0)
        {
            return null;
        }

        string[] trained = [.. InputFiles.Expand(path).Distinct().Where(file => artifact.Sources.Contains(Path.GetFullPath(file)))];
        return trained.Length == 0 ? null : string.Join(", ", trained);
    }

    private static string Name(SplitPart part) => part.ToString().ToLowerInvariant();
}
