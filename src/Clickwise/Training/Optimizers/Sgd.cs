using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>Plain SGD without momentum; row-sparse tables update only touched rows (so L2 decays only those).</summary>
public sealed class Sgd : SlottedOptimizer
{
    private readonly float _lr;

    public Sgd(OptimizerSettings settings, ComputeContext? compute = null)
        : base("sgd", settings, [], countsSteps: false, countsRowSteps: false, compute)
    {
        _lr = (float)settings.LearningRate;
    }

    protected override void UpdateDense(Parameter parameter, float[] grad, OptimizerState state, float l2) =>
        Kernel.Sgd(parameter.Value, grad, _lr, l2);

    protected override void UpdateRows(Parameter parameter, RowGradient grad, OptimizerState state, float l2)
    {
        int width = grad.Width;
        for (int s = 0; s < grad.Count; s++)
        {
            Kernel.Sgd(parameter.Value.AsSpan(grad.Rows[s] * width, width), grad.SlotValues(s), _lr, l2);
        }
    }
}
