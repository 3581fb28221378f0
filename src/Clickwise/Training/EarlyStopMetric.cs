namespace Clickwise.Training;

/// <summary>The validation metric that decides the best epoch: AUC (higher is better) or logloss (lower).</summary>
public enum EarlyStopMetric
{
    Auc,
    LogLoss,
}
