using System.Text.Json.Serialization;
using Clickwise.Data.Pipeline;
using Clickwise.Experiments.Statistics;
using Clickwise.Inference;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>One model of a comparison: test metrics over seeds (mean and sample standard deviation), size and speed.</summary>
public sealed record ComparisonRow(
    string Model,
    int Seeds,
    double AucMean,
    double AucStd,
    double LogLossMean,
    double LogLossStd,
    long Parameters,
    double P50Micros,
    double TrainSamplesPerSec)
{
    [JsonIgnore]
    public SeedSummary Auc => new(Seeds, AucMean, AucStd);

    [JsonIgnore]
    public SeedSummary LogLoss => new(Seeds, LogLossMean, LogLossStd);
}

/// <summary>The seed paper's Table 2 shape for one dataset and split.</summary>
public sealed record ComparisonReport(long TrainRows, long TestRows, IReadOnlyList<int> Seeds, IReadOnlyList<ComparisonRow> Rows);

/// <summary>
/// Trains a list of models on one cached dataset and one split with several seeds (the split stays fixed; the seed
/// changes initialisation, dropout and batch order) and reports test logloss and AUC as mean ± std, parameters,
/// batch-1 latency of the compiled plan on one thread, and training samples/s.
/// </summary>
public static class ModelComparison
{
    /// <param name="resumeFrom">
    /// An earlier, interrupted comparison of the same data, split and seeds: its models are kept as they are and not
    /// trained again. It must match this run's training and test rows and seeds.
    /// </param>
    /// <param name="progress">Called with the report so far after every model, so a long run can save as it goes.</param>
    /// <param name="modelFor">Each model's architecture (a per-model preset); null: the base request's, renamed.</param>
    /// <param name="trainingFor">Each model's training settings (a preset may give one its own optimiser); null: the base request's.</param>
    /// <param name="readings">
    /// How each model reads its training batches, one row per entry: prefetched (false, the default) and/or on the training
    /// thread (true; the row is named <see cref="SynchronousRow"/>), for the DeepFM paper's Table I; null: as the base request's compute reads.
    /// </param>
    public static ComparisonReport Run(TrainRequest baseRequest, IReadOnlyList<string> models, int seeds, int latencyRequests = 10_000,
                                       Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                       CancellationToken cancellationToken = default, Func<string, Models.ModelConfig>? modelFor = null,
                                       ComparisonReport? resumeFrom = null, Action<ComparisonReport>? progress = null,
                                       Func<string, TrainingConfig>? trainingFor = null, IReadOnlyList<bool>? readings = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        using StudyData study = StudyData.Prepare(baseRequest);
        PreparedDataset data = study.Data;
        (int[] ids, int rows) = (study.SampleIds, study.SampleRows);
        int[] seedList = [.. Enumerable.Range(baseRequest.Model.Seed, seeds)];
        if (resumeFrom is not null && (resumeFrom.TrainRows != data.Train.RowCount || resumeFrom.TestRows != data.Test.RowCount
                                       || !resumeFrom.Seeds.SequenceEqual(seedList)))
        {
            throw new InvalidDataException($"cannot resume: the earlier comparison has {resumeFrom.TrainRows:N0} training and "
                + $"{resumeFrom.TestRows:N0} test rows and seeds {string.Join(",", resumeFrom.Seeds)}; this run has "
                + $"{data.Train.RowCount:N0}, {data.Test.RowCount:N0} and {string.Join(",", seedList)}");
        }

        var result = new List<ComparisonRow>();
        foreach ((string name, bool synchronous) in models.SelectMany(m => (readings ?? [baseRequest.Compute.SynchronousReading]).Select(sync => (m, sync))))
        {
            string rowName = synchronous && readings is not null ? SynchronousRow(name) : name;
            ComparisonRow? earlier = resumeFrom?.Rows.FirstOrDefault(row => row.Model == rowName);
            if (earlier is not null)
            {
                result.Add(earlier);
                continue;
            }

            var aucs = new List<double>();
            var losses = new List<double>();
            var rates = new List<double>();
            long parameters = 0;
            double p50 = double.NaN;
            foreach (int seed in seedList)
            {
                string tag = $"{name}{(synchronous ? "-sync" : "")}-seed{seed}";
                TrainRequest request = baseRequest with
                {
                    Compute = baseRequest.Compute with { SynchronousReading = synchronous },
                    Model = (modelFor?.Invoke(name) ?? baseRequest.Model with { Name = name }) with { Seed = seed },
                    Training = (trainingFor?.Invoke(name) ?? baseRequest.Training) with { Seed = seed },
                    WorkDir = Path.Combine(baseRequest.WorkDir, tag),
                    ModelPath = Path.Combine(baseRequest.WorkDir, tag + ".cwm"),
                };
                TrainReport report = study.Train(request, observers?.Invoke(tag), cancellationToken);
                aucs.Add(report.Test.Auc);
                losses.Add(report.Test.LogLoss);
                rates.Add(report.TrainSamplesPerSec);
                parameters = report.Parameters;
                if (seed == seedList[0])
                {
                    CompiledModel compiled = ModelArtifact.Load(request.ModelPath).Compile();
                    p50 = SpeedProbe.Measure(compiled, ids, rows, latencyRequests, batchSize: 1, batchRepetitions: 1).P50Micros;
                }
            }

            (SeedSummary auc, SeedSummary loss) = (SeedSummary.Of(aucs), SeedSummary.Of(losses));
            result.Add(new ComparisonRow(rowName, seeds, auc.Mean, auc.Std, loss.Mean, loss.Std, parameters, p50, Median(rates)));
            progress?.Invoke(new ComparisonReport(data.Train.RowCount, data.Test.RowCount, seedList, [.. result]));
        }

        return new ComparisonReport(data.Train.RowCount, data.Test.RowCount, seedList, result);
    }

    /// <summary>The row of <paramref name="model"/> trained with synchronous reading.</summary>
    public static string SynchronousRow(string model) => $"{model} (sync reading)";

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
