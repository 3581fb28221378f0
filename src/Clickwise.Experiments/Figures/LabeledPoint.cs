namespace Clickwise.Experiments.Figures;

/// <summary>One model on a trade-off chart: its name, cost (latency, bytes) on x and quality (AUC) on y.</summary>
public sealed record LabeledPoint(string Label, double X, double Y);
