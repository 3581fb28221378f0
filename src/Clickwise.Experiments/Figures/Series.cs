namespace Clickwise.Experiments.Figures;

/// <summary>A named line of a chart (a learning curve, a ROC curve); <paramref name="RightAxis"/> plots it against the right y axis.</summary>
public sealed record Series(string Name, double[] X, double[] Y, bool RightAxis = false);
