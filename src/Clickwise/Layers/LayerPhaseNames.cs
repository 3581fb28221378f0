namespace Clickwise.Layers;

/// <summary>The <see cref="Kernels.ComputeContext.EndPhase"/> names of one Mlp layer, built once so marking allocates nothing.</summary>
internal sealed class LayerPhaseNames(string layer)
{
    public string Forward { get; } = $"{layer} fwd";

    public string Activation { get; } = $"{layer} bias+relu+dropout";

    public string BackwardData { get; } = $"{layer} bwd-data";

    public string BackwardWeights { get; } = $"{layer} bwd-weights";

    public string OutputBackward { get; } = $"{layer} bwd + relu+dropout+bias bwd below";

    public string ActivationBackward { get; } = $"{layer} relu+dropout+bias bwd";
}
