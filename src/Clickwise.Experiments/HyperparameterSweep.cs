using System.Text.Json.Serialization;
using Clickwise.Experiments.Statistics;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>One trained model of a sweep: the value it was trained with, its hidden widths, seed, test metrics and file.</summary>
public sealed record SweepMember(string Value, IReadOnlyList<int> HiddenUnits, int Seed, double TestAuc, double TestLogLoss, string ModelPath);

/// <summary>A value's seeds summarised: test AUC and logloss as mean ± std.</summary>
public sealed record SweepRow(string Value, IReadOnlyList<int> HiddenUnits, SeedSummary Auc, SeedSummary LogLoss);

/// <summary>
/// A sweep over one setting: every member trained so far, in order, and which value the others are tested against
/// (the base model's own, else the first).
/// </summary>
public sealed record SweepReport(string Model, string Setting, string Baseline, long TrainRows, long TestRows,
                                 IReadOnlyList<int> Seeds, IReadOnlyList<SweepMember> Members)
{
    /// <summary>One row per value, in the order trained.</summary>
    [JsonIgnore]
    public IReadOnlyList<SweepRow> Rows =>
    [
        .. Members.GroupBy(m => m.Value).Select(g => new SweepRow(g.Key, g.First().HiddenUnits,
            SeedSummary.Of(g.Select(m => m.TestAuc)), SeedSummary.Of(g.Select(m => m.TestLogLoss)))),
    ];
}

/// <summary>
/// The DeepFM journal paper's hyper-parameter study (seed 003, Figs. 10-14): one setting of a base model varied over
/// values, each trained with several seeds on one prepared split, the others held at the base's.
/// </summary>
public static class HyperparameterSweep
{
    /// <param name="resumeFrom">
    /// An earlier, interrupted sweep of the same data and setting: each member it finished (same value, widths and seed,
    /// model file present) is kept, not trained again.
    /// </param>
    /// <param name="progress">Called with the report so far after every member, so a long sweep can save as it goes.</param>
    public static SweepReport Run(TrainRequest baseRequest, string setting, IReadOnlyList<string> values, int seeds,
                                  Func<string, IEnumerable<ITrainingObserver>>? observers = null, CancellationToken cancellationToken = default,
                                  SweepReport? resumeFrom = null, Action<SweepReport>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        ModelConfig baseModel = baseRequest.Model;
        ModelConfig[] models = [.. values.Select(value => SweepSetting.Apply(baseModel, setting, value))];
        using StudyData study = StudyData.Prepare(baseRequest);
        long trainRows = study.Data.Train.RowCount, testRows = study.Data.Test.RowCount;
        if (resumeFrom is not null && (resumeFrom.Setting != setting || resumeFrom.TestRows != testRows))
        {
            throw new InvalidDataException($"cannot resume: the earlier sweep varies {resumeFrom.Setting} over {resumeFrom.TestRows:N0} test rows; "
                + $"this one varies {setting} over {testRows:N0}");
        }

        int baseIndex = Array.FindIndex(models, m => Same(m, baseModel));
        string baseline = values[Math.Max(0, baseIndex)];
        int[] seedList = [.. Enumerable.Range(baseModel.Seed, seeds)];
        var members = new List<SweepMember>();
        for (int v = 0; v < values.Count; v++)
        {
            foreach (int seed in seedList)
            {
                string tag = $"{setting}-{StudyData.Slug(values[v])}-seed{seed}";
                SweepMember? done = resumeFrom?.Members.FirstOrDefault(m => m.Value == values[v] && m.Seed == seed
                    && m.HiddenUnits.SequenceEqual(models[v].HiddenUnits) && File.Exists(m.ModelPath));
                if (done is null)
                {
                    TrainRequest request = baseRequest with
                    {
                        Model = models[v] with { Seed = seed },
                        Training = baseRequest.Training with { Seed = seed },
                        WorkDir = Path.Combine(baseRequest.WorkDir, tag),
                        ModelPath = Path.Combine(baseRequest.WorkDir, tag + ".cwm"),
                    };
                    TrainReport report = study.Train(request, observers?.Invoke(tag), cancellationToken);
                    done = new SweepMember(values[v], models[v].HiddenUnits, seed, report.Test.Auc, report.Test.LogLoss, request.ModelPath);
                }

                members.Add(done);
                progress?.Invoke(new SweepReport(baseModel.Name, setting, baseline, trainRows, testRows, seedList, [.. members]));
            }
        }

        return new SweepReport(baseModel.Name, setting, baseline, trainRows, testRows, seedList, members);
    }

    /// <summary>
    /// Whether a value's model is the base in every setting a sweep varies (records compare arrays by reference; a keep
    /// probability of 0.9 makes a rate of 0.1 only to float rounding).
    /// </summary>
    private static bool Same(ModelConfig a, ModelConfig b) =>
        a.Activation == b.Activation && Math.Abs(a.Dropout - b.Dropout) < 1e-6 && a.HiddenUnits.SequenceEqual(b.HiddenUnits);
}
