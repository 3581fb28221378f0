using Clickwise.Layers;

namespace Clickwise.Tests.Models;

/// <summary>
/// TEST-ONLY stand-in for the training optimizer, written to the exact rules of tools/reference/golden_models.py:
/// dense parameters — every entry, g = grad + l2·w, one global step count; row-sparse parameters — only the rows
/// in the step's RowGradient, g = grad + l2·w, a step count per row for bias correction.
/// Replace with the real Adam from src/Clickwise/Training/ at integration (the golden fixtures stay the same).
/// </summary>
internal sealed class GoldenReferenceAdam
{
    private readonly ParameterSet _parameters;
    private readonly double _lr, _beta1, _beta2, _eps, _l2;
    private readonly Dictionary<string, double[]> _m = [], _v = [];
    private readonly Dictionary<string, int[]> _rowSteps = [];
    private int _step;

    public GoldenReferenceAdam(ParameterSet parameters, double lr, double beta1, double beta2, double eps, double l2)
    {
        _parameters = parameters;
        (_lr, _beta1, _beta2, _eps, _l2) = (lr, beta1, beta2, eps, l2);
        foreach (Parameter p in parameters)
        {
            _m[p.Name] = new double[p.Length];
            _v[p.Name] = new double[p.Length];
            if (p.IsRowSparse)
            {
                _rowSteps[p.Name] = new int[p.RowCount];
            }
        }
    }

    public void Step()
    {
        _step++;
        foreach (Parameter p in _parameters)
        {
            if (p.IsRowSparse)
            {
                RowGradient g = p.RowGrad!;
                int[] steps = _rowSteps[p.Name];
                for (int s = 0; s < g.Count; s++)
                {
                    int row = g.Rows[s];
                    int t = ++steps[row];
                    ReadOnlySpan<float> grad = g.SlotValues(s);
                    for (int k = 0; k < g.Width; k++)
                    {
                        Update(p, row * g.Width + k, grad[k], t);
                    }
                }
            }
            else
            {
                for (int i = 0; i < p.Length; i++)
                {
                    Update(p, i, p.Grad![i], _step);
                }
            }
        }
    }

    private void Update(Parameter p, int i, float gradient, int t)
    {
        double[] m = _m[p.Name], v = _v[p.Name];
        double g = gradient + _l2 * p.Value[i];
        m[i] = _beta1 * m[i] + (1 - _beta1) * g;
        v[i] = _beta2 * v[i] + (1 - _beta2) * g * g;
        double mHat = m[i] / (1 - Math.Pow(_beta1, t));
        double vHat = v[i] / (1 - Math.Pow(_beta2, t));
        p.Value[i] = (float)(p.Value[i] - _lr * mHat / (Math.Sqrt(vHat) + _eps));
    }
}
