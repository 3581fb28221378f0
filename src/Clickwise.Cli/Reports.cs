using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Cli;

/// <summary>The short plain-text summaries verbs print at the end.</summary>
internal static class Reports
{
    public static void PrintTrain(TrainReport report)
    {
        Console.WriteLine($"rows {report.Rows:N0} (train {report.TrainRows:N0}, valid {report.ValidRows:N0}, test {report.TestRows:N0}); {report.BadLines}");
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
        Console.WriteLine($"test AUC {report.Test.Auc:F5}  logloss {report.Test.LogLoss:F5}  predicted CTR {report.Test.PredictedCtr:F4}"
            + $" / observed {report.Test.ObservedCtr:F4}  ({report.Test.Rows:N0} rows)");
        if (report.Sparsity is not null)
        {
            Console.WriteLine($"pruned: {report.Sparsity}");
        }

        Console.WriteLine($"parameters {report.Parameters:N0}; model written to {report.ModelPath}");
    }
}
