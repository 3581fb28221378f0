using Clickwise.Experiments.Statistics;
using Clickwise.Metrics;

namespace Clickwise.Experiments.Figures;

/// <summary>
/// Each study's figures, written beside its Markdown (NAME-*.svg and .png) through <see cref="FigureFile"/>: what the
/// study's rows look like as charts. Returns the PNGs written.
/// </summary>
public static class StudyFigures
{
    /// <summary><c>compare</c>: test AUC per model, mean ± std over seeds; the learning curves of every run under <paramref name="runs"/>.</summary>
    public static IReadOnlyList<string> Write(ComparisonReport report, string directory, string? runs = null)
    {
        var written = new List<string>
        {
            FigureFile.Write(Charts.Bars("Test AUC over seeds (mean ± std)", "test AUC", [.. report.Rows.Select(r => r.Model)],
                [.. report.Rows.Select(r => r.AucMean)], [.. report.Rows.Select(r => r.AucStd)]), directory, "compare-auc"),
            FigureFile.Write(Charts.Pareto("Test AUC vs batch-1 latency", "batch-1 p50 µs", "test AUC",
                [.. report.Rows.Select(r => new LabeledPoint(r.Model, r.P50Micros, r.AucMean))]), directory, "compare-auc-latency"),
        };
        IReadOnlyList<(string Model, double Ratio)> time = NormalisedTrainingTime.Of(report);
        if (time.Count > 0)
        {
            written.Add(FigureFile.Write(Charts.Bars("Training time normalised by LR", "time ÷ LR", [.. time.Select(t => t.Model)],
                [.. time.Select(t => t.Ratio)], [.. time.Select(_ => 0.0)], fromZero: true), directory, "compare-time-vs-lr"));
        }

        written.AddRange(Curves(runs, directory, "compare"));
        return written;
    }

    /// <summary><c>sweep</c>: test AUC and test logloss against the varied value, mean with ± std error bars over seeds (the paper's Figs. 10-14).</summary>
    public static IReadOnlyList<string> Write(SweepReport report, string directory)
    {
        IReadOnlyList<SweepRow> rows = report.Rows;
        string axis = SweepMarkdown.Axis(report.Setting);
        string Chart(string metric, Func<SweepRow, SeedSummary> of, string name) => FigureFile.Write(
            Charts.Bars($"Test {metric} vs {axis} (mean ± std over seeds)", $"test {metric}", [.. rows.Select(r => r.Value)],
                [.. rows.Select(r => of(r).Mean)], [.. rows.Select(r => of(r).Std)]), directory, name);
        return [Chart("AUC", r => r.Auc, "sweep-auc"), Chart("logloss", r => r.LogLoss, "sweep-logloss")];
    }

    /// <summary>
    /// <c>deeplight</c>: every setting and size-matched network or embedding (mean AUC over seeds) against its latency and
    /// its bytes; for a sweep (<see cref="SparsitySweep"/>), test AUC and latency against the swept sparsity (the paper's Figs. 3-4).
    /// </summary>
    public static IReadOnlyList<string> Write(PruningStudyReport report, string directory, string? runs = null)
    {
        LabeledPoint[] Points(Func<PruningStudyRow, double> cost) =>
            [.. report.Settings.Concat(report.SizeMatched).Concat(report.EmbeddingMatched).GroupBy(r => r.Label)
                .Select(g => new LabeledPoint(g.Key, cost(g.First()), SeedSummary.Of(g.Select(r => r.TestAuc)).Mean))];
        var written = new List<string>
        {
            FigureFile.Write(Charts.Pareto("Test AUC vs batch-1 latency", "batch-1 p50 µs", "test AUC", Points(r => r.P50Micros)),
                directory, "deeplight-auc-latency"),
            FigureFile.Write(Charts.Pareto("Test AUC vs bytes (smallest plan)", "bytes (log scale)", "test AUC", Points(r => r.SmallestBytes), logX: true),
                directory, "deeplight-auc-bytes"),
        };
        if (SparsitySweep.Of(report.Settings) is { } sweep)
        {
            written.Add(FigureFile.Write(SweepChart(sweep), directory, "deeplight-sweep"));
        }

        written.AddRange(Curves(runs, directory, "deeplight"));
        return written;
    }

    /// <summary>
    /// <c>ensemble</c>: every candidate alone and every ensemble of two or more, test AUC against the measured p50; budgets
    /// that chose the same members are drawn once, at the smallest (a one-member ensemble is its candidate's point).
    /// </summary>
    public static IReadOnlyList<string> Write(CrossModelEnsembleReport report, string directory) =>
    [
        FigureFile.Write(Charts.Pareto("Cross-model ensembles: test AUC vs batch-1 latency", "batch-1 p50 µs", "test AUC",
            [.. report.Candidates.Select(c => new LabeledPoint(c.Name, c.P50Micros, c.TestAuc)),
             .. report.Ensembles.Where(e => e.Members.Count > 1)
                 .GroupBy(e => string.Join('\n', e.Members.Order()))
                 .Select(g => g.MinBy(e => e.BudgetMicros)!)
                 .Select(e => new LabeledPoint($"≤ {e.BudgetMicros:0.#} µs: {e.Members.Count} models", e.P50Micros, e.TestAuc))]),
            directory, "ensemble-auc-latency"),
    ];

    /// <summary><c>lowrank</c>: every model (mean AUC over seeds, each model's own label) against its latency and the parameters it serves.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<LowRankStudyReport> reports, string directory)
    {
        LabeledPoint[] Points(Func<LowRankRow, double> cost) =>
            [.. reports.SelectMany(report => report.Rows.GroupBy(r => (r.Label, r.Stage)).Select(g => new LabeledPoint(
                (reports.Count > 1 ? report.Model + " " : "") + g.Key.Label + (g.Key.Stage is "PT" or "FT" ? $" ({g.Key.Stage})" : ""),
                g.Average(cost), g.Average(r => r.TestAuc))))];
        return
        [
            FigureFile.Write(Charts.Pareto("Test AUC vs batch-1 latency", "batch-1 p50 µs", "test AUC", Points(r => r.P50Micros)),
                directory, "lowrank-auc-latency"),
            FigureFile.Write(Charts.Pareto("Test AUC vs parameters served", "parameters served (log scale)", "test AUC", Points(r => r.PlanParameters), logX: true),
                directory, "lowrank-auc-params"),
        ];
    }

    /// <summary>
    /// <c>optembed --models/--seeds</c>: every model's rows (mean over seeds) as test AUC against the table they keep, 1 − sparsity
    /// (the paper's parameter-AUC trade-off; a cost axis, so the Pareto front is drawn).
    /// </summary>
    public static IReadOnlyList<string> Write(OptEmbedTable2Report report, string directory) =>
    [
        FigureFile.Write(Charts.Pareto("Test AUC vs embedding table kept (1 − sparsity, mean over seeds)", "table kept (1 − sparsity)", "test AUC",
            [.. report.Rows.Select(r => new LabeledPoint($"{r.Model} {r.Label}", 1 - r.Sparsity.Mean, r.Auc.Mean))]), directory, "optembed-auc-sparsity"),
    ];

    /// <summary><c>eval --plot</c>: the ROC curve (roc) and the reliability diagram of the calibration bins (calibration).</summary>
    public static IReadOnlyList<string> Write(EvaluationResult result, RocCurve roc, CalibrationReport calibration, string directory)
    {
        string auc = result.Auc.ToString("F5", System.Globalization.CultureInfo.InvariantCulture);
        CalibrationBin[] bins = [.. calibration.Bins.Where(b => b.Count > 0)];
        return
        [
            FigureFile.Write(Charts.Lines($"ROC curve (AUC {auc}, {result.Rows:N0} rows)", "false-positive rate", "true-positive rate",
                [new Series("model", roc.FalsePositiveRate, roc.TruePositiveRate)], diagonal: "chance"), directory, "roc"),
            FigureFile.Write(Charts.Lines($"Reliability diagram ({bins.Length} bins of equal rows)", "mean prediction", "observed click rate",
                [new Series("model", [.. bins.Select(b => b.MeanPrediction)], [.. bins.Select(b => b.ObservedRate)])], diagonal: "perfect calibration"), directory, "calibration"),
        ];
    }

    // The paper's Figs. 3-4: the settings evenly spaced as categories, AUC on the left axis and latency on the right.
    private static ScottPlot.Plot SweepChart(SparsitySweep sweep)
    {
        char letter = Clickwise.Compression.Pruning.SparsityTargets.Letter(sweep.Component);
        double[] x = [.. Enumerable.Range(0, sweep.Points.Count).Select(i => (double)i)];
        string held = sweep.Held == "None" ? "" : $" at {sweep.Held}";
        return Charts.Lines($"Test AUC and batch-1 latency vs {letter} sparsity{held}", $"{letter} sparsity", "test AUC (mean over seeds)",
            [new Series("test AUC", x, [.. sweep.Points.Select(p => p.TestAuc)]),
             new Series("batch-1 p50 µs", x, [.. sweep.Points.Select(p => p.P50Micros)], RightAxis: true)],
            rightLabel: "batch-1 p50 µs", xTicks: [.. sweep.Points.Select(p => p.Label)]);
    }

    /// <summary>Valid AUC per epoch of every run (a metrics.jsonl in a folder of <paramref name="runs"/>), one line each.</summary>
    private static IEnumerable<string> Curves(string? runs, string directory, string study)
    {
        Series[] curves = runs is null || !Directory.Exists(runs)
            ? []
            : [.. Directory.GetDirectories(runs).Order(StringComparer.Ordinal)
                .Select(run => LearningCurve.Read(Path.Combine(run, "metrics.jsonl")) is { Count: > 0 } epochs
                    ? LearningCurve.ValidAuc(epochs, Path.GetFileName(run))
                    : null)
                .OfType<Series>()];
        return curves.Length == 0
            ? []
            : [FigureFile.Write(Charts.Lines("Validation AUC per epoch", "epoch", "valid AUC", curves, wholeX: true), directory, study + "-curves")];
    }
}
