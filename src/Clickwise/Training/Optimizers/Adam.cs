using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with PyTorch's arithmetic. Dense parameters keep one step count each; row-sparse
/// tables update lazily — only touched rows, each with its own step count t_r, so a row's bias correction
/// 1 − β^t_r reflects how often that row has actually been updated (a rare feature's first update is unbiased).
/// </summary>
public sealed class Adam : SlottedOptimizer
{
    private const int M = 0;
    private const int V = 1;

    // stepSize(t) = lr / (1 − β1^t) and √(1 − β2^t), per step count t, grown on demand: per-row counts would
    // otherwise cost two Math.Pow per touched row per step.
    private float[] _stepSize = [0f];
    private float[] _bc2Sqrt = [0f];
    private readonly float _eps;

    public Adam(OptimizerSettings settings, ComputeContext? compute = null)
        : base("adam", settings, ["m", "v"], countsSteps: true, compute)
    {
        _eps = (float)(settings.Eps ?? 1e-8);
    }

    /// <summary>The coefficients of an update that is a parameter's (or row's) <paramref name="step"/>-th.</summary>
    public AdamCoefficients Coefficients(long step, float l2)
    {
        EnsureTable(step);
        return new AdamCoefficients(l2, (float)Settings.Beta1, (float)(1 - Settings.Beta1), (float)Settings.Beta2,
            (float)(1 - Settings.Beta2), _stepSize[step], _bc2Sqrt[step], _eps);
    }

    protected override void UpdateDense(Parameter parameter, float[] grad, OptimizerState state, float l2)
    {
        AdamCoefficients c = Coefficients(++state.Steps, l2);
        float[] w = parameter.Value, m = state.Slots[M], v = state.Slots[V];
        ForChunks(w.Length, 1, (Kernel, w, grad, m, v, c), static (a, from, to) =>
            a.Kernel.Adam(a.w.AsSpan(from..to), a.grad.AsSpan(from..to), a.m.AsSpan(from..to), a.v.AsSpan(from..to), a.c));
    }

    protected override void UpdateRows(Parameter parameter, RowGradient grad, OptimizerState state, float l2)
    {
        AdamCoefficients c = Coefficients(1, l2);
        int[] steps = state.RowSteps!;
        if (state.RowStepBound < 0)
        {
            state.RowStepBound = steps.Max();
        }

        EnsureTable(++state.RowStepBound);
        ForChunks(grad.Count, grad.Width, (Adam: this, parameter.Value, grad, state, steps, c), static (a, from, to) =>
            a.Adam.UpdateRowRange(a.Value, a.grad, a.state, a.steps, a.c, from, to));
    }

    private void UpdateRowRange(float[] w, RowGradient grad, OptimizerState state, int[] steps, AdamCoefficients c, int from, int to)
    {
        int width = grad.Width;
        Kernel.AdamRows(w, state.Slots[M], state.Slots[V], steps, grad.Rows.AsSpan(from..to),
            grad.Values.AsSpan(from * width, (to - from) * width), width, c, _stepSize, _bc2Sqrt);
    }

    private void EnsureTable(long step)
    {
        if (step < _stepSize.Length)
        {
            return;
        }

        int old = _stepSize.Length;
        int size = (int)Math.Max(step + 1, Math.Min(2L * old, int.MaxValue));
        Array.Resize(ref _stepSize, size);
        Array.Resize(ref _bc2Sqrt, size);
        for (int t = old; t < size; t++)
        {
            _stepSize[t] = (float)(Settings.LearningRate / (1 - Math.Pow(Settings.Beta1, t)));
            _bc2Sqrt[t] = (float)Math.Sqrt(1 - Math.Pow(Settings.Beta2, t));
        }
    }
}
