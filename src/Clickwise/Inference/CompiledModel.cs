using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>
/// A trained model lowered to a flat list of ops over one scratch tape: no training buffers, no gradients,
/// weights shared read-only, so one instance serves any number of threads (each with its own
/// <see cref="InferenceTape"/>). Dropout is gone, the global bias is folded into the starting logit.
/// </summary>
public sealed class CompiledModel
{
    private readonly IInferenceOp[] _ops;
    private readonly RowStage _stage;
    private readonly float _bias;
    private readonly int _floatsPerRow;

    private CompiledModel(ModelConfig config, FeatureLayout layout, ComputeContext compute, IInferenceOp[] ops, float bias, int floatsPerRow)
    {
        Config = config;
        Layout = layout;
        Compute = compute;
        _ops = ops;
        _stage = new RowStage(ops, compute);
        _bias = bias;
        _floatsPerRow = floatsPerRow;
    }

    public ModelConfig Config { get; }

    public FeatureLayout Layout { get; }

    /// <summary>The kernels the plan was built with, and the threads and block rows a batch is split into.</summary>
    public ComputeContext Compute { get; }

    public int FieldCount => Layout.FieldCount;

    /// <summary>Parameters the plan holds (pruned pairs excluded).</summary>
    public long ParameterCount => _ops.Sum(o => o.ParameterCount) + 1;

    /// <summary>Bytes of weights the plan holds in memory.</summary>
    public long Bytes => _ops.Sum(o => o.Bytes) + sizeof(float);

    public IReadOnlyList<string> Describe() => [.. _ops.Select(o => o.Describe())];

    public InferenceTape CreateTape(int maxBatchSize = 1) => new(maxBatchSize, _floatsPerRow);

    /// <summary>Compiles from named parameter values (a model file's tensors): the model is built around them, then lowered.</summary>
    /// <param name="compute">Kernels, threads and block rows of the plan; null is <see cref="ComputeContext.Default"/>.</param>
    /// <param name="sparse">
    /// False compiles pruned weights with the dense kernels only (the baseline a sparse plan's speed-up is measured
    /// against); results are the same either way.
    /// </param>
    public static CompiledModel Compile(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]> tensors,
                                        ComputeContext? compute = null, bool sparse = true,
                                        PlanObjective objective = PlanObjective.Speed) =>
        Compile(ModelRegistry.Load(config, layout, tensors), compute, objective, sparse);

    /// <summary>Compiles a live model: its parts emit their ops (current parameter values are shared, not copied).</summary>
    /// <param name="compute">Kernels, threads and block rows of the plan; null is <see cref="ComputeContext.Default"/>.</param>
    /// <param name="fuse">
    /// Fold AFM's embedding projections into the first DNN layer that reads them (seed 002, eq. 12), so it reads the
    /// compressed rows; false keeps every layer as trained (the reference the fused plan is tested against).
    /// </param>
    public static CompiledModel Compile(CtrModel model, ComputeContext? compute = null,
                                        PlanObjective objective = PlanObjective.Speed, bool sparse = true, bool fuse = true)
    {
        compute ??= ComputeContext.Default;
        var plan = new PlanBuilder(model.Layout, compute, sparse, objective, fuse);
        model.Lower(plan);
        return new CompiledModel(model.Config, model.Layout, compute, [.. plan.Ops], plan.StartLogit, Math.Max(plan.TapeWidth, 1));
    }

    /// <summary>The same plan (sharing its ops and weights) run with other threads or block rows.</summary>
    /// <remarks>Only the row split changes, so logits are identical; kernels stay those the plan was built with.</remarks>
    public CompiledModel WithRowSplit(int threads, int? blockRows = null) =>
        new(Config, Layout, Compute with { Threads = threads, InferenceBlockRows = blockRows ?? Compute.InferenceBlockRows }, _ops, _bias, _floatsPerRow);

    /// <summary>Logits [B] for ids [B, F] (global rows) and values [B, F] (empty = all ones), in tape-sized chunks.</summary>
    public void PredictLogits(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, Span<float> logits, InferenceTape tape) =>
        PredictLogits(ids, values, default, batchSize, logits, tape);

    /// <summary>Logits [B] of a batch's rows in use, multi-hot fields pooled.</summary>
    public void PredictLogits(Batch batch, Span<float> logits, InferenceTape tape) =>
        PredictLogits(batch.IdsInUse, batch.HasValues ? batch.ValuesInUse : default, batch.ExtrasInUse, batch.Count, logits, tape);

    /// <summary>
    /// Logits [B] for ids [B, F] (global rows), values [B, F] (empty = all ones) and the extra features of multi-hot
    /// fields (<paramref name="extras"/>, B·F lookups, or empty), in tape-sized chunks.
    /// </summary>
    public void PredictLogits(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize, Span<float> logits,
                              InferenceTape tape)
    {
        int f = FieldCount;
        if (ids.Length < batchSize * f || (!values.IsEmpty && values.Length < batchSize * f) || logits.Length < batchSize)
        {
            throw new ArgumentException($"need ids/values [{batchSize}, {f}] and logits [{batchSize}]");
        }

        if (tape.FloatsPerRow != _floatsPerRow)
        {
            throw new ArgumentException("tape was created by another compiled model");
        }

        for (int start = 0; start < batchSize; start += tape.MaxBatchSize)
        {
            int n = Math.Min(tape.MaxBatchSize, batchSize - start);
            ReadOnlySpan<int> chunkIds = ids.Slice(start * f, n * f);
            ReadOnlySpan<float> chunkValues = values.IsEmpty ? default : values.Slice(start * f, n * f);
            Span<float> chunkLogits = logits.Slice(start, n);
            chunkLogits.Fill(_bias);
            _stage.Run(tape, chunkIds, chunkValues, extras.Slice(start * f, n * f), n, chunkLogits);
        }
    }

    /// <summary>
    /// Median microseconds each op takes on <paramref name="batchSize"/> rows (each repetition on the next rows
    /// of <paramref name="ids"/>), in plan order, on the calling thread and in one block: where a request's time goes.
    /// A batch run splits rows over the compute threads, so there each op takes about this over the thread count.
    /// </summary>
    public IReadOnlyList<(string Op, double Micros)> TimeOps(ReadOnlySpan<int> ids, int rows, int batchSize, int repetitions = 2000)
    {
        int f = FieldCount;
        InferenceTape tape = CreateTape(batchSize);
        int[] batchIds = new int[batchSize * f];
        float[] logits = new float[batchSize];
        double[][] samples = [.. _ops.Select(_ => new double[repetitions])];
        double tickToMicro = 1e6 / System.Diagnostics.Stopwatch.Frequency;
        for (int k = 0; k < repetitions; k++)
        {
            // Each repetition takes the next rows, so lookups and activation patterns vary as in real traffic.
            for (int r = 0; r < batchSize; r++)
            {
                ids.Slice((int)(((long)k * batchSize + r) % rows) * f, f).CopyTo(batchIds.AsSpan(r * f, f));
            }

            logits.AsSpan().Fill(_bias);
            for (int o = 0; o < _ops.Length; o++)
            {
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                _ops[o].RunRows(tape, batchIds, default, default, batchSize, 0, batchSize, logits);

                samples[o][k] = (System.Diagnostics.Stopwatch.GetTimestamp() - t0) * tickToMicro;
            }
        }

        return [.. _ops.Select((op, o) =>
        {
            Array.Sort(samples[o]);
            return (op.Describe(), samples[o][repetitions / 2]);
        })];
    }

    /// <summary>The click probability of one row.</summary>
    public float PredictProbability(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, InferenceTape tape)
    {
        Span<float> logit = stackalloc float[1];
        PredictLogits(ids, values, 1, logit, tape);
        return Layers.BinaryLogLoss.Sigmoid(logit[0]);
    }
}
