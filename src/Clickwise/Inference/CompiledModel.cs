using Clickwise.Features;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Layers;
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

    private CompiledModel(ModelConfig config, FeatureLayout layout, IInferenceOp[] ops, float bias, int floatsPerRow)
    {
        Config = config;
        Layout = layout;
        _ops = ops;
        _stage = new RowStage(ops);
        _bias = bias;
        _floatsPerRow = floatsPerRow;
    }

    public ModelConfig Config { get; }

    public FeatureLayout Layout { get; }

    public int FieldCount => Layout.FieldCount;

    /// <summary>Parameters the plan holds (pruned pairs excluded).</summary>
    public long ParameterCount => _ops.Sum(o => o.ParameterCount) + 1;

    /// <summary>Bytes of weights the plan holds in memory.</summary>
    public long Bytes => _ops.Sum(o => o.Bytes) + sizeof(float);

    public IReadOnlyList<string> Describe() => [.. _ops.Select(o => o.Describe())];

    public InferenceTape CreateTape(int maxBatchSize = 1) => new(maxBatchSize, _floatsPerRow);

    /// <summary>Compiles from named parameter values (a model file's tensors or a live model's parameters).</summary>
    /// <param name="sparse">
    /// False compiles pruned weights with the dense kernels only (the baseline a sparse plan's speed-up is measured
    /// against); results are the same either way.
    /// </param>
    public static CompiledModel Compile(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]> tensors,
                                        IGemm? gemm = null, IMatVec? matVec = null, bool sparse = true,
                                        PlanObjective objective = PlanObjective.Speed)
    {
        gemm ??= KernelRegistry.Gemm;
        // Without a forced matvec, dense layers repack their weights for the streaming batch-1 kernel.
        matVec ??= KernelRegistry.MatVecForced ? KernelRegistry.MatVec : null;
        int f = layout.FieldCount;
        int d = config.EmbeddingDim;
        int width = f * d;
        var ops = new List<IInferenceOp>();
        int tape = 0;
        int Allocate(int floats)
        {
            int at = tape;
            tape += floats;
            return at;
        }

        float[] Tensor(string name) => tensors.TryGetValue(name, out float[]? t)
            ? t
            : throw new InvalidDataException($"model '{config.Name}' needs tensor '{name}', which is missing");

        bool hasCin = XDeepFMLowering.Handles(config.Name);
        bool hasBilinear = FiBiNetLowering.Handles(config.Name);
        bool hasFirstOrder = config.Name is "lr" or "fm" or "deepfm" or "nfm" or "wdl" || PnnLowering.HasFM(config.Name) || hasCin || hasBilinear
            || FMVariantLowering.HasFirstOrder(config.Name);
        bool hasCross = CrossLowering.Handles(config.Name);
        bool hasProducts = PnnLowering.Handles(config.Name);
        bool hasAttention = AutoIntLowering.Handles(config.Name);
        bool hasEmbedding = config.Name is "fm" or "fwfm" or "deepfm" or "deepfwfm" or "nfm" or "dnn" or "wdl" || hasCross || hasProducts
            || hasCin || hasBilinear || hasAttention || FMVariantLowering.HasEmbedding(config.Name);
        bool hasFM = config.Name is "fm" or "deepfm" || PnnLowering.HasFM(config.Name) || FMVariantLowering.HasFM(config.Name);
        bool hasFwFM = config.Name is "fwfm" or "deepfwfm";
        bool hasBiInteraction = config.Name is "nfm";
        bool hasDeep = config.Name is "deepfm" or "deepfwfm" or "nfm" or "dnn" or "wdl" || hasCross || hasProducts || hasCin || hasBilinear
            || FMVariantLowering.HasDeep(config.Name) || AutoIntLowering.HasDeep(config.Name);
        if (!hasFirstOrder && !hasEmbedding)
        {
            throw new InvalidDataException($"unknown model '{config.Name}'");
        }

        if (hasFirstOrder)
        {
            ops.Add(new FirstOrderOp(Tensor("first_order"), f));
        }

        IInferenceOp Gather(float[] table, int rowWidth, int offset) => sparse
            ? SparsePlanner.Embedding(table, f, rowWidth, offset, objective)
            : new EmbeddingGatherOp(table, f, rowWidth, offset);

        int gatherWidth = FMVariantLowering.GatherWidth(config.Name, d);
        int embeddingOffset = -1;
        if (hasEmbedding)
        {
            embeddingOffset = Allocate(f * gatherWidth);
            ops.Add(Gather(FMVariantLowering.EmbeddingTable(config.Name, Tensor, layout.TotalRows, d), gatherWidth, embeddingOffset));
        }

        if (hasFM)
        {
            int fmInput = FMVariantLowering.FMInput(config.Name, embeddingOffset, width, Tensor, Allocate, (t, o) => Gather(t, d, o), ops);
            ops.Add(new FMOp(f, d, fmInput, Allocate(d)));
        }

        FMVariantLowering.LowerFFM(config.Name, f, d, Tensor, ops);

        if (hasFwFM)
        {
            ops.Add(new FwFMLinearOp(Tensor("fwfm.v"), f, d, embeddingOffset));
            float[] r = Tensor("fwfm.r");
            int survivors = r.Count(w => w != 0f);
            // The dense form costs F²·D/16 vector FMAs whatever survives; the pair list costs one D-dot per survivor.
            // In bytes the dense form holds two F² matrices, the list 12 bytes a survivor.
            bool dense = !sparse || (objective == PlanObjective.Memory ? survivors * 3 >= 2 * f * f : survivors * 4 > r.Length);
            ops.Add(new FwFMPairsOp(r, f, d, embeddingOffset, Allocate(FwFMPairsOp.ScratchWidth(f, d)), dense, gemm));
        }

        if (hasCross)
        {
            ops.Add(CrossLowering.Lower(config, width, embeddingOffset, Tensor, Allocate, gemm));
        }

        if (hasCin)
        {
            ops.Add(XDeepFMLowering.Lower(config, f, embeddingOffset, Tensor, gemm));
        }

        if (hasAttention)
        {
            ops.Add(AutoIntLowering.Lower(config, f, embeddingOffset, Tensor, gemm));
        }

        // The DNN reads the flattened embeddings (FNN: [w ‖ e] per field), or NFM's bi-interaction vector [B, D].
        int deepInput = embeddingOffset;
        int deepInputSize = f * gatherWidth;
        if (hasBiInteraction)
        {
            int sumOffset = Allocate(d);
            deepInput = Allocate(d);
            deepInputSize = d;
            ops.Add(new BiInteractionOp(f, d, embeddingOffset, sumOffset, deepInput));
        }

        if (hasDeep)
        {
            (int input, int inputSize) = hasProducts
                ? PnnLowering.Lower(config.Name, f, d, embeddingOffset, Tensor, Allocate, ops)
                : hasBilinear
                ? FiBiNetLowering.Lower(config, f, embeddingOffset, Tensor, Allocate, ops, gemm)
                : (deepInput, deepInputSize);
            int[] sizes = [.. config.HiddenUnits, 1];
            float[][] weights = [.. sizes.Select((_, l) => Tensor($"mlp.{l}.weight"))];
            float[][] biases = [.. sizes.Select((_, l) => Tensor($"mlp.{l}.bias"))];
            // The sparse planner's kernels and live sub-network assume ReLU (a dead unit outputs 0); tanh layers stay dense.
            bool relu = config.Activation == Activation.Relu;
            if (sparse && relu)
            {
                ops.AddRange(SparsePlanner.Mlp(weights, biases, input, inputSize, Allocate, () => tape, gemm, matVec, objective));
            }
            else
            {
                for (int l = 0; l < sizes.Length; l++)
                {
                    bool last = l == sizes.Length - 1;
                    int output = Allocate(sizes[l]);
                    ops.Add(new DenseOp(weights[l], biases[l], inputSize, sizes[l], relu: !last && relu, input, output, toLogits: last, gemm, matVec,
                        tanh: !last && !relu));
                    input = output;
                    inputSize = sizes[l];
                }
            }
        }

        return new CompiledModel(config, layout, [.. ops], Tensor("bias")[0], Math.Max(tape, 1));
    }

    /// <summary>Compiles a live model (its current parameter values are shared, not copied; FNN's joined table is a copy).</summary>
    public static CompiledModel Compile(CtrModel model, IGemm? gemm = null, IMatVec? matVec = null,
                                        PlanObjective objective = PlanObjective.Speed) =>
        Compile(model.Config, model.Layout, model.Parameters.ToDictionary(p => p.Name, p => p.Value), gemm, matVec, objective: objective);

    /// <summary>Logits [B] for ids [B, F] (global rows) and values [B, F] (empty = all ones), in tape-sized chunks.</summary>
    public void PredictLogits(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, Span<float> logits, InferenceTape tape)
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
            _stage.Run(tape, chunkIds, chunkValues, n, chunkLogits);
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
                _ops[o].RunRows(tape, batchIds, default, batchSize, 0, batchSize, logits);

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
        return BinaryLogLoss.Sigmoid(logit[0]);
    }
}
