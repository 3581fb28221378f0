namespace Clickwise.Metrics;

/// <summary>
/// The metrics of one evaluation pass. <see cref="Auc"/> is NaN when all rows have one label (or a score was
/// NaN); <see cref="LogLoss"/>, <see cref="PredictedCtr"/> and <see cref="ObservedCtr"/> are NaN with no rows.
/// </summary>
public sealed record EvaluationResult(
    long Rows,
    double Auc,
    double LogLoss,
    double PredictedCtr,
    double ObservedCtr,
    long Positives)
{
    /// <summary>Predicted / observed CTR (1 = calibrated on average); NaN without positives.</summary>
    public double CalibrationRatio => Positives == 0 ? double.NaN : PredictedCtr / ObservedCtr;
}
