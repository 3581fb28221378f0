namespace Clickwise.Training.Optimizers;

/// <summary>Optimizers by registry name (the <c>optimizer</c> key of a training config).</summary>
public static class OptimizerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["adam", "adagrad", "sgd", "ftrl"];

    public static IOptimizer Create(string name, OptimizerSettings settings) => name switch
    {
        "adam" => new Adam(settings),
        "adagrad" => new Adagrad(settings),
        "sgd" => new Sgd(settings),
        "ftrl" => new Ftrl(settings),
        _ => throw new ArgumentException($"unknown optimizer '{name}'; expected one of: {string.Join(", ", Names)}"),
    };
}
