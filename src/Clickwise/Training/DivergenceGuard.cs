using System.Globalization;

namespace Clickwise.Training;

/// <summary>
/// Tells a diverged run from a bad epoch, at each epoch's end. An optimizer step far too large (Adam with lr 1e6)
/// saturates every logit without making one NaN, so the NaN stop never fires and the run would save a model of
/// chance AUC. Diverged means: a mean logloss (train or validation) over 10 ln 2 — ten times what predicting 0.5
/// for every row costs, which no learning model reaches — that is also over 10 × its best earlier epoch; or a
/// validation AUC back at chance after an epoch that was clearly above it.
/// </summary>
public static class DivergenceGuard
{
    /// <summary>10 ln 2 ≈ 6.93.</summary>
    public static readonly double LossCeiling = 10 * Math.Log(2);

    /// <summary>How far above its best earlier epoch a loss over the ceiling must also be.</summary>
    public const double BestFactor = 10;

    /// <summary>An AUC within this of 0.5 is chance.</summary>
    public const double ChanceBand = 0.01;

    /// <summary>An earlier AUC at least this high was clearly learning.</summary>
    public const double LearnedAuc = 0.6;

    /// <summary>Why <paramref name="epoch"/> diverged, or null; <paramref name="earlier"/> are the run's epochs before it.</summary>
    public static string? Check(EpochResult epoch, IReadOnlyList<EpochResult> earlier)
    {
        return LossDiverged("train logloss", epoch.TrainLoss, earlier.Select(e => e.TrainLoss))
            ?? LossDiverged("valid logloss", epoch.ValidLogLoss, earlier.Select(e => e.ValidLogLoss))
            ?? AucAtChance(epoch.ValidAuc, earlier.Select(e => e.ValidAuc));
    }

    private static string? LossDiverged(string name, double loss, IEnumerable<double> earlier)
    {
        if (double.IsNaN(loss) || loss <= LossCeiling)
        {
            return null;
        }

        double best = earlier.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
        if (double.IsFinite(best) && loss <= BestFactor * best)
        {
            return null;
        }

        string was = double.IsFinite(best) ? $", best earlier epoch {Format(best)}" : "";
        return $"{name} {Format(loss)} is over 10 ln 2 = {Format(LossCeiling)}{was}";
    }

    private static string? AucAtChance(double auc, IEnumerable<double> earlier)
    {
        double best = earlier.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
        return Math.Abs(auc - 0.5) <= ChanceBand && best >= LearnedAuc
            ? $"valid AUC {Format(auc)} is back at chance after {Format(best)}"
            : null;
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
