namespace Clickwise.Training;

/// <summary>Validation metrics of a model on a labelled set.</summary>
public readonly record struct EvalResult(double Auc, double LogLoss, long Rows);
