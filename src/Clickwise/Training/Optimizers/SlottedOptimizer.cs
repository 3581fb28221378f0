using Clickwise.IO;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Shared bookkeeping of the optimizers: per-parameter state created on first use, the dense/row-sparse dispatch,
/// and the checkpoint tensors. Subclasses only write the two update rules.
/// </summary>
public abstract class SlottedOptimizer : IOptimizer
{
    private readonly Dictionary<Parameter, OptimizerState> _states = new(ReferenceEqualityComparer.Instance);
    private readonly string[] _slotNames;
    private readonly bool _countsSteps;

    protected SlottedOptimizer(string name, OptimizerSettings settings, string[] slotNames, bool countsSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.LearningRate);
        Name = name;
        Settings = settings;
        _slotNames = slotNames;
        _countsSteps = countsSteps;
    }

    public string Name { get; }

    public OptimizerSettings Settings { get; }

    public void Step(ParameterSet parameters)
    {
        foreach (Parameter p in parameters)
        {
            OptimizerState state = StateOf(p);
            if (p.RowGrad is { } rows)
            {
                UpdateRows(p, rows, state, Settings.L2For(p.Role));
            }
            else
            {
                UpdateDense(p, p.Grad!, state, Settings.L2For(p.Role));
            }
        }
    }

    /// <summary>The state of <paramref name="parameter"/>, created zeroed on first use.</summary>
    public OptimizerState StateOf(Parameter parameter)
    {
        if (!_states.TryGetValue(parameter, out OptimizerState? state))
        {
            state = new OptimizerState(parameter, _slotNames.Length, _countsSteps);
            _states.Add(parameter, state);
        }

        return state;
    }

    protected abstract void UpdateDense(Parameter parameter, float[] grad, OptimizerState state, float l2);

    protected abstract void UpdateRows(Parameter parameter, RowGradient grad, OptimizerState state, float l2);

    public IReadOnlyList<ModelTensor> ExportState(ParameterSet parameters)
    {
        var tensors = new List<ModelTensor>();
        foreach (Parameter p in parameters)
        {
            OptimizerState state = StateOf(p);
            for (int i = 0; i < _slotNames.Length; i++)
            {
                tensors.Add(ModelTensor.Float32(TensorName(_slotNames[i], p), OptimizerState.Role, p.Shape, state.Slots[i]));
            }

            if (state.RowSteps is { } rowSteps)
            {
                tensors.Add(ModelTensor.Int32(TensorName("step", p), OptimizerState.Role, [rowSteps.Length], rowSteps));
            }
            else if (_countsSteps)
            {
                tensors.Add(ModelTensor.Int64(TensorName("step", p), OptimizerState.Role, [1], new[] { state.Steps }));
            }
        }

        return tensors;
    }

    public void ImportState(ParameterSet parameters, IReadOnlyList<ModelTensor> tensors)
    {
        var byName = new Dictionary<string, ModelTensor>(StringComparer.Ordinal);
        foreach (ModelTensor t in tensors)
        {
            byName[t.Name] = t;
        }

        foreach (Parameter p in parameters)
        {
            OptimizerState state = StateOf(p);
            for (int i = 0; i < _slotNames.Length; i++)
            {
                Require(byName, TensorName(_slotNames[i], p), TensorDType.Float32, p.Length)
                    .Float32Data.Span.CopyTo(state.Slots[i]);
            }

            if (state.RowSteps is { } rowSteps)
            {
                Require(byName, TensorName("step", p), TensorDType.Int32, rowSteps.Length).Int32Data.Span.CopyTo(rowSteps);
            }
            else if (_countsSteps)
            {
                state.Steps = Require(byName, TensorName("step", p), TensorDType.Int64, 1).Int64Data.Span[0];
            }
        }
    }

    private string TensorName(string slot, Parameter p) => $"{Name}.{slot}/{p.Name}";

    private ModelTensor Require(Dictionary<string, ModelTensor> byName, string name, TensorDType dtype, long length)
    {
        if (!byName.TryGetValue(name, out ModelTensor? t))
        {
            throw new ModelFormatException($"checkpoint has no {Name} state tensor '{name}'");
        }

        if (t.DType != dtype || t.ElementCount != length)
        {
            throw new ModelFormatException(
                $"{Name} state tensor '{name}' is {t.DType}[{t.ElementCount}] but this model needs {dtype}[{length}]");
        }

        return t;
    }
}
