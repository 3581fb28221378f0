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
        : base("adagrad", settings, ["sum"], countsSteps: false, compute)
    {
        _lr = (float)settings.LearningRate;
        _eps = (float)(settings.Eps ?? 1e-10);
    }

    protected override void UpdateDense(Parameter parameter, float[] grad, OptimizerState state, float l2) =>
        Kernel.Adagrad(parameter.Value, grad, state.Slots[0], _lr, l2, _eps);

    protected override void UpdateRows(Parameter parameter, RowGradient grad, OptimizerState state, float l2)
    {
        int width = grad.Width;
        for (int s = 0; s < grad.Count; s++)
        {
            int start = grad.Rows[s] * width;
            Kernel.Adagrad(parameter.Value.AsSpan(start, width), grad.SlotValues(s),
                state.Slots[0].AsSpan(start, width), _lr, l2, _eps);
        }
    }
}
