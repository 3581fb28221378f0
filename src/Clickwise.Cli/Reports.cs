using Clickwise.Metrics;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Cli;

/// <summary>The short plain-text summaries verbs print at the end.</summary>
internal static class Reports
{
    public static void PrintTrain(TrainReport report)
    {
        Console.WriteLine($"rows {report.Rows:N0} (train {report.TrainRows:N0}, valid {report.ValidRows:N0}{(report.ValidFromFile ? " from file" : "")}, "
            + $"test {report.TestRows:N0}); {report.BadLines}");
        foreach (string warning in report.Warnings)
        {
            Console.WriteLine($"warning: {warning}");
        }

        if (report.ValidRows == 0)
        {
            Console.WriteLine("valid: none (no --valid file and split valid ratio 0): no early stopping, the last epoch is kept");
        }

        if (report.FmPretraining is { Epochs.Count: > 0 } fm)
        {
            EpochResult best = fm.Epochs.FirstOrDefault(e => e.Epoch == fm.BestEpoch) ?? fm.Epochs[^1];
            Console.WriteLine($"fm pre-training: {fm.Epochs.Count} epoch{(fm.Epochs.Count == 1 ? "" : "s")}, best {best.Epoch}: "
                + $"valid AUC {best.ValidAuc:F5}  logloss {best.ValidLogLoss:F5}");
        }

        if (report.Start is not null)
        {
            Console.WriteLine($"start: {report.Start}");
        }

        Console.WriteLine($"best epoch {report.Training.BestEpoch}{(report.Training.StoppedEarly ? " (stopped early)" : "")}"
            + $"{(report.Training.RestoredBest ? ", restored" : "")}; train {report.TrainSamplesPerSec:N0} samples/s, {report.TrainSeconds:F1} s"
            + $" (+{report.PrepareSeconds:F1} s to build the cache)");
        if (report.Communication is { } communication)
        {
            Console.WriteLine($"distributed (rank 0): {communication}");
        }

        if (report.Tests.Count == 0)
        {
            Console.WriteLine("test: none (no --test file and split test ratio 0)");
        }

        foreach (TestResult test in report.Tests)
        {
            EvaluationResult r = test.Result;
            Console.WriteLine($"test{(test.File is null ? "" : " " + test.File)} AUC {r.Auc:F5}  logloss {r.LogLoss:F5}  predicted CTR {r.PredictedCtr:F4}"
                + $" / observed {r.ObservedCtr:F4}  ({r.Rows:N0} rows)");
        }
        if (report.Sparsity is not null)
        {
            Console.WriteLine($"pruned: {report.Sparsity}");
        }

        Console.WriteLine($"parameters {report.Parameters:N0}; model written to {report.ModelPath}");
    }
}
