using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches", KDD 2013, Algorithm 1), per
/// coordinate with accumulators z and n (both starting at 0):
/// σ = (√(n + g²) − √n)/α; z += g − σ·w; n += g²;
/// w = 0 if |z| ≤ λ1, else −(z − sign(z)·λ1) / ((β + √n)/α + λ2).
/// α is the learning rate, β <see cref="OptimizerSettings.FtrlBeta"/>, λ1 <see cref="OptimizerSettings.L1"/> (exact
/// zeros: FTRL's sparsity), λ2 the role's L2, which FTRL puts in the closed form rather than in the gradient. The
/// weights are a function of (z, n), so a weight's initial value only enters through its first σ·w. The DeepFM
/// paper trains its LR baseline with FTRL (seed 003 §IV.A). Row-sparse tables update only touched rows, exactly: an
/// untouched coordinate's g = 0 leaves z, n and w as they are.
/// </summary>
public sealed class Ftrl : SlottedOptimizer
{
    private readonly float _alpha, _beta, _l1;

    public Ftrl(OptimizerSettings settings, ComputeContext? compute = null)
        : base("ftrl", settings, ["z", "n"], countsSteps: false, countsRowSteps: false, compute)
    {
        _alpha = (float)settings.LearningRate;
        _beta = (float)settings.FtrlBeta;
        _l1 = (float)settings.L1;
    }

    protected override void UpdateDense(Parameter parameter, float[] grad, OptimizerState state, float l2) =>
        Kernel.Ftrl(parameter.Value, grad, state.Slots[0], state.Slots[1], _alpha, _beta, _l1, l2);

    protected override void UpdateRows(Parameter parameter, RowGradient grad, OptimizerState state, float l2)
    {
        int width = grad.Width;
        for (int s = 0; s < grad.Count; s++)
        {
            int start = grad.Rows[s] * width;
            Kernel.Ftrl(parameter.Value.AsSpan(start, width), grad.SlotValues(s), state.Slots[0].AsSpan(start, width),
                state.Slots[1].AsSpan(start, width), _alpha, _beta, _l1, l2);
        }
    }
}
