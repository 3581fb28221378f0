namespace Clickwise.Metrics;

/// <summary>
/// Predicted vs observed CTR. <see cref="Ratio"/> = predicted / observed (1 is perfectly calibrated on
/// average, above 1 over-predicts; NaN when nothing was observed positive). <see cref="Bins"/> is the
/// reliability table, lowest predictions first.
/// </summary>
public sealed record CalibrationReport(
    long Rows,
    double PredictedCtr,
    double ObservedCtr,
    double Ratio,
    IReadOnlyList<CalibrationBin> Bins);
