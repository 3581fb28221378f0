namespace Clickwise.Metrics;

/// <summary>
/// One row of a reliability table: rows whose predictions fall in [<see cref="LowerPrediction"/>,
/// <see cref="UpperPrediction"/>], their mean prediction and their observed positive rate.
/// </summary>
public readonly record struct CalibrationBin(
    float LowerPrediction,
    float UpperPrediction,
    double MeanPrediction,
    double ObservedRate,
    long Count,
    long Positives);
