namespace Clickwise.Experiments.Figures;

/// <summary>One point of a sparsity sweep: its label on the axis, test AUC and batch-1 p50, each the mean over seeds.</summary>
public sealed record SweepPoint(string Label, double TestAuc, double P50Micros);
