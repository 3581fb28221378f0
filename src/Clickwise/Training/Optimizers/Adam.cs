using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with PyTorch's arithmetic. Dense parameters keep one step count each; row-sparse tables
/// update as <see cref="OptimizerSettings.AdamMode"/> says: lazily (touched rows, a step count per row), densely
/// (<c>torch.optim.Adam</c>: every row, one count) or sparsely (<c>torch.optim.SparseAdam</c>: touched rows, one count).
/// </summary>
public sealed class Adam : SlottedOptimizer
{
    private const int M = 0;
    private const int V = 1;

    // A dense step feeds untouched rows this many rows of zeros per kernel call.
    private const int ZeroRunRows = 256;

    // stepSize(t) = lr / (1 − β1^t) and √(1 − β2^t), per step count t, grown on demand: per-row counts would
    // otherwise cost two Math.Pow per touched row per step.
    private float[] _stepSize = [0f];
    private float[] _bc2Sqrt = [0f];
    private readonly float _eps;

    // The zero gradient of untouched rows in a dense step, grown to ZeroRunRows of the widest table, then only read.
    private float[] _zeros = [];

    public Adam(OptimizerSettings settings, ComputeContext? compute = null)
        : base("adam", settings, ["m", "v"], countsSteps: true, countsRowSteps: settings.AdamMode == AdamMode.Lazy, compute)
    {
        _eps = (float)(settings.Eps ?? 1e-8);
    }

    public AdamMode Mode => Settings.AdamMode;

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
        switch (Mode)
        {
            case AdamMode.Dense:
                UpdateEveryRow(parameter, grad, state, l2);
                break;
            case AdamMode.Sparse:
                UpdateTouchedRowsAtTableStep(parameter, grad, state, l2);
                break;
            default:
                UpdateTouchedRowsAtOwnSteps(parameter, grad, state, l2);
                break;
        }
    }

    private void UpdateTouchedRowsAtOwnSteps(Parameter parameter, RowGradient grad, OptimizerState state, float l2)
    {
        AdamCoefficients c = Coefficients(1, l2);
        int[] steps = state.RowSteps!;
        if (state.RowStepBound < 0)
        {
            state.RowStepBound = steps.Max();
        }

        EnsureTable(++state.RowStepBound);
        UpdateTouchedRows(parameter.Value, grad, state, steps, c);
    }

    /// <summary>The touched rows, each at its count in <paramref name="steps"/>, or all at <paramref name="c"/> when it is empty.</summary>
    private void UpdateTouchedRows(float[] w, RowGradient grad, OptimizerState state, int[] steps, AdamCoefficients c) =>
        ForChunks(grad.Count, grad.Width, (Adam: this, w, grad, state, steps, c), static (a, from, to) =>
            a.Adam.UpdateRowRange(a.w, a.grad, a.state, a.steps, a.c, from, to));

    private void UpdateRowRange(float[] w, RowGradient grad, OptimizerState state, int[] steps, AdamCoefficients c, int from, int to)
    {
        int width = grad.Width;
        Kernel.AdamRows(w, state.Slots[M], state.Slots[V], steps, grad.Rows.AsSpan(from..to),
            grad.Values.AsSpan(from * width, (to - from) * width), width, c, _stepSize, _bc2Sqrt);
    }

    private void UpdateTouchedRowsAtTableStep(Parameter parameter, RowGradient grad, OptimizerState state, float l2)
    {
        // SparseAdam divides by √v + ε and folds √(1 − β2^t) into the step size; that is the kernel's
        // √v / √(1 − β2^t) + ε' with ε' = ε / √(1 − β2^t).
        AdamCoefficients c = Coefficients(++state.Steps, l2);
        c = c with { Eps = (float)((Settings.Eps ?? 1e-8) / Math.Sqrt(1 - Math.Pow(Settings.Beta2, state.Steps))) };
        UpdateTouchedRows(parameter.Value, grad, state, [], c);
    }

    private void UpdateEveryRow(Parameter parameter, RowGradient grad, OptimizerState state, float l2)
    {
        AdamCoefficients c = Coefficients(++state.Steps, l2);
        if (_zeros.Length < ZeroRunRows * grad.Width)
        {
            _zeros = new float[ZeroRunRows * grad.Width];
        }

        ForChunks(parameter.RowCount, grad.Width,
            (Kernel, W: parameter.Value, Grad: grad, Mean: state.Slots[M], Var: state.Slots[V], Zeros: _zeros, C: c),
            static (a, from, to) => UpdateRowSpan(a.Kernel, a.W, a.Grad, a.Mean, a.Var, a.Zeros, a.C, from, to));
    }

    /// <summary>
    /// Dense Adam over rows [<paramref name="from"/>, <paramref name="to"/>): a touched row takes its gradient row, a run
    /// of untouched rows one call over <paramref name="zeros"/>. The kernel's result does not depend on where a call
    /// starts, so this equals one dense call over the rows with the gradient scattered into zeros — without the table-sized
    /// gradient buffer and the scatter and clear it would cost every step.
    /// </summary>
    private static void UpdateRowSpan(IOptimizerKernel kernel, float[] w, RowGradient grad, float[] m, float[] v, float[] zeros,
                                      AdamCoefficients c, int from, int to)
    {
        int width = grad.Width;
        int maxRun = zeros.Length / width;
        int row = from;
        while (row < to)
        {
            int slot = grad.SlotOf(row);
            int end = row + 1;
            ReadOnlySpan<float> g;
            if (slot >= 0)
            {
                g = grad.SlotValues(slot);
            }
            else
            {
                while (end < to && end - row < maxRun && grad.SlotOf(end) < 0)
                {
                    end++;
                }

                g = zeros.AsSpan(0, (end - row) * width);
            }

            int start = row * width, length = (end - row) * width;
            kernel.Adam(w.AsSpan(start, length), g, m.AsSpan(start, length), v.AsSpan(start, length), c);
            row = end;
        }
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
