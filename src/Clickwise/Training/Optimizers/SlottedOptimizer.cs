using Clickwise.IO;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Shared bookkeeping of the optimizers: per-parameter state created on first use, the dense/row-sparse dispatch,
/// and the checkpoint tensors. Subclasses only write the two update rules.
/// </summary>
public abstract class SlottedOptimizer : IOptimizer
{
    private const long MinElementsPerWorker = 1 << 17;

    private readonly Dictionary<Parameter, OptimizerState> _states = new(ReferenceEqualityComparer.Instance);
    private readonly string[] _slotNames;
    private readonly bool _countsSteps;
    private readonly bool _countsRowSteps;

    /// <param name="countsSteps">Keep a step count per parameter (written to checkpoints).</param>
    /// <param name="countsRowSteps">With <paramref name="countsSteps"/>, count a row-sparse table's steps per row instead.</param>
    /// <param name="compute">Threads of the update passes and the phase sink; null is <see cref="ComputeContext.Default"/>.</param>
    protected SlottedOptimizer(string name, OptimizerSettings settings, string[] slotNames, bool countsSteps, bool countsRowSteps,
                               ComputeContext? compute)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.LearningRate);
        Name = name;
        Settings = settings;
        Compute = compute ?? ComputeContext.Default;
        _slotNames = slotNames;
        _countsSteps = countsSteps;
        _countsRowSteps = countsSteps && countsRowSteps;
    }

    public string Name { get; }

    public OptimizerSettings Settings { get; }

    public ComputeContext Compute { get; }

    /// <summary>The element-wise updates, <see cref="ComputeContext.Optimizer"/> of <see cref="Compute"/>.</summary>
    protected IOptimizerKernel Kernel => Compute.Optimizer;

    public void Step(ParameterSet parameters)
    {
        for (int i = 0; i < parameters.Count; i++) // indexed: the interface enumerator would allocate every step
        {
            Parameter p = parameters[i];
            if (p.Role == ParameterRole.Threshold)
            {
                StepThresholds(p);
                continue;
            }

            if (p.Role == ParameterRole.RowMask)
            {
                continue; // a constant of the model
            }

            OptimizerState state = StateOf(p);
            if (p.RowGrad is { } rows)
            {
                UpdateRows(p, rows, state, Settings.L2For(p.Role));
                Compute.EndPhase("optimizer rows");
            }
            else
            {
                UpdateDense(p, p.Grad!, state, Settings.L2For(p.Role));
                Compute.EndPhase("optimizer dense");
            }
        }
    }

    /// <summary>
    /// Routes OptEmbed's thresholds to plain SGD on their own rate, as the reference code's separate threshold optimizer:
    /// t ← t − lr_t·(g − α·e^(−t)), the penalty's gradient added here like L2 is elsewhere. They hold no state.
    /// </summary>
    private void StepThresholds(Parameter thresholds)
    {
        float lr = (float)Settings.ThresholdLearningRate, alpha = (float)Settings.ThresholdPenalty;
        if (lr == 0f)
        {
            return;
        }

        float[] t = thresholds.Value, g = thresholds.Grad!;
        for (int i = 0; i < t.Length; i++)
        {
            g[i] -= alpha * MathF.Exp(-t[i]);
        }

        Kernel.Sgd(t, g, lr, 0f);
    }

    /// <summary>The state of <paramref name="parameter"/>, created zeroed on first use.</summary>
    public OptimizerState StateOf(Parameter parameter)
    {
        if (!_states.TryGetValue(parameter, out OptimizerState? state))
        {
            state = new OptimizerState(parameter, _slotNames.Length, _countsRowSteps);
            _states.Add(parameter, state);
        }

        return state;
    }

    /// <summary>
    /// Runs <paramref name="body"/> over ranges [from, to) of <paramref name="count"/> items of
    /// <paramref name="itemWidth"/> floats each, split across up to <see cref="ComputeContext.Threads"/> workers when there
    /// is enough work. Updates are element-wise and touched rows are distinct, so the split never changes a result.
    /// </summary>
    protected void ForChunks<TArg>(int count, int itemWidth, TArg arg, Action<TArg, int, int> body)
    {
        int workers = (int)Math.Min(Compute.Threads, Math.Max(1, (long)count * itemWidth / MinElementsPerWorker));
        if (workers <= 1)
        {
            body(arg, 0, count); // the common path allocates nothing when body is a static lambda
            return;
        }

        ChunkJob<TArg>.Run(Compute, count, workers, arg, body);
    }

    // Boundaries at multiples of 64 items keep dense chunks vector- and cache-line-aligned.
    private static int Boundary(int count, int k, int workers) =>
        k == workers ? count : (int)Math.Min(count, (long)count * k / workers / 64 * 64);

    /// <summary>A <see cref="ForChunks"/> call as a compute-pool job; one reused instance per argument type and thread.</summary>
    private sealed class ChunkJob<TArg> : IComputeJob
    {
        [ThreadStatic]
        private static ChunkJob<TArg>? t_instance;

        private int _count;
        private TArg? _arg;
        private Action<TArg, int, int>? _body;

        public static void Run(ComputeContext compute, int count, int workers, TArg arg, Action<TArg, int, int> body)
        {
            ChunkJob<TArg> job = t_instance ??= new ChunkJob<TArg>();
            (job._count, job._arg, job._body) = (count, arg, body);
            try
            {
                RowParallel.For(compute, workers, 1, job);
            }
            finally
            {
                (job._arg, job._body) = (default, null); // do not keep the parameters alive
            }
        }

        public void Run(int part, int partCount) =>
            _body!(_arg!, Boundary(_count, part, partCount), Boundary(_count, part + 1, partCount));
    }

    protected abstract void UpdateDense(Parameter parameter, float[] grad, OptimizerState state, float l2);

    protected abstract void UpdateRows(Parameter parameter, RowGradient grad, OptimizerState state, float l2);

    public IReadOnlyList<ModelTensor> ExportState(ParameterSet parameters)
    {
        var tensors = new List<ModelTensor>();
        foreach (Parameter p in parameters.Where(HasState))
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

        foreach (Parameter p in parameters.Where(HasState))
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
                state.RowStepBound = -1;
            }
            else if (_countsSteps)
            {
                state.Steps = Require(byName, TensorName("step", p), TensorDType.Int64, 1).Int64Data.Span[0];
            }
        }
    }

    private static bool HasState(Parameter p) => p.Role is not (ParameterRole.Threshold or ParameterRole.RowMask);

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
