using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Adagrad (Duchi et al. 2011) as PyTorch computes it without lr decay: the accumulator starts at 0 and ε
/// (default 1e-10) is added outside the square root, so the first step is lr·g/(|g|+ε) ≈ lr·sign(g).
/// Row-sparse tables update only touched rows.
/// </summary>
public sealed class Adagrad : SlottedOptimizer
{
    private readonly float _lr;
    private readonly float _eps;

    public Adagrad(OptimizerSettings settings, ComputeContext? compute = null)
        : base("adagrad", settings, ["sum"], countsSteps: false, countsRowSteps: false, compute)
    {
        _lr = (float)settings.LearningRate;
        _eps = (float)(settings.Eps ?? 1e-10);
    }

    protected override void UpdateDense(Parameter parameter, float[] grad, OptimizerState state, float l2) =>
        Kernel.Adagrad(parameter.Value, grad, state.Slots[0], _lr, l2, _eps);

    protected override void UpdateRows(Parameter parameter, RowGradient grad, OptimizerState state, float l2) =>
        ForChunks(grad.Count, grad.Width, (Adagrad: this, parameter.Value, grad, Sum: state.Slots[0], l2), static (a, from, to) =>
            a.Adagrad.Kernel.AdagradRows(a.Value, a.Sum, a.grad.Rows.AsSpan(from..to),
                a.grad.Values.AsSpan(from * a.grad.Width, (to - from) * a.grad.Width), a.grad.Width, a.Adagrad._lr, a.l2, a.Adagrad._eps));
}
