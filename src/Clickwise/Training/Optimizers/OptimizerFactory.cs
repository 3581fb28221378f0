using Clickwise.Kernels;

namespace Clickwise.Training.Optimizers;

/// <summary>Optimizers by registry name (the <c>optimizer</c> key of a training config).</summary>
public static class OptimizerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["adam", "adagrad", "sgd", "ftrl"];

    /// <param name="compute">Threads of the update passes and the phase sink; null is <see cref="ComputeContext.Default"/>.</param>
    public static IOptimizer Create(string name, OptimizerSettings settings, ComputeContext? compute = null) => name switch
    {
        "adam" => new Adam(settings, compute),
        "adagrad" => new Adagrad(settings, compute),
        "sgd" => new Sgd(settings, compute),
        "ftrl" => new Ftrl(settings, compute),
        _ => throw new ArgumentException($"unknown optimizer '{name}'; expected one of: {string.Join(", ", Names)}"),
    };
}
