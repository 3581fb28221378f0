using Clickwise.Features;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>
/// What a model's lowering talks to: the parts emit their ops here in forward order, take tape regions for their
/// activations, and ask the planner for the ops whose form depends on the weights (embedding gathers, FwFM pairs, the
/// DNN), so the dense/sparse choices stay in one place while the model stays the one description of itself.
/// </summary>
/// <param name="retainWeights">
/// Ops keep the trained weights as given beside the forms they run on (an ONNX export reads them, <see cref="Interchange.OnnxExport"/>);
/// a serving plan drops what it repacked.
/// </param>
internal sealed class PlanBuilder(FeatureLayout layout, ComputeContext compute, bool sparse, PlanObjective objective, bool fuse = true,
                                  bool retainWeights = false)
{
    private readonly IGemm _gemm = compute.Gemm;
    private readonly IMatVec? _matVec = compute.MatVec;

    private readonly List<IInferenceOp> _ops = [];
    private readonly Dictionary<TapeRegion, ProjectedEmbeddings> _projections = [];
    private readonly Dictionary<TapeRegion, FieldWidthEmbeddings> _fieldWidths = [];
    private readonly Dictionary<TapeRegion, FieldWidthEmbeddings> _packedFields = [];

    public FeatureLayout Layout => layout;

    public int FieldCount => layout.FieldCount;

    /// <summary>The context the plan runs with: its kernels choose the ops' forms, its threads and block rows split the rows.</summary>
    public ComputeContext Compute => compute;

    public IGemm Gemm => _gemm;

    public bool RetainWeights => retainWeights;

    /// <summary>Floats per row of tape allocated so far.</summary>
    public int TapeWidth { get; private set; }

    /// <summary>The logit every row starts from: the folded global bias.</summary>
    public float StartLogit { get; private set; }

    public IReadOnlyList<IInferenceOp> Ops => _ops;

    public void AddToStartLogit(float bias) => StartLogit += bias;

    /// <summary>A new [B, <paramref name="width"/>] region of the tape.</summary>
    public TapeRegion Allocate(int width)
    {
        var region = new TapeRegion(TapeWidth, width);
        TapeWidth += width;
        return region;
    }

    public void Add(IInferenceOp op) => _ops.Add(op);

    /// <summary>Gathers the rows of <paramref name="table"/> ([V, rowWidth]) for every field into a new [B, F·rowWidth] region.</summary>
    public TapeRegion Gather(float[] table, int rowWidth)
    {
        TapeRegion output = Allocate(FieldCount * rowWidth);
        Add(sparse
            ? SparsePlanner.Embedding(table, FieldCount, rowWidth, output.Offset, objective)
            : new EmbeddingGatherOp(table, FieldCount, rowWidth, output.Offset));
        return output;
    }

    /// <summary>
    /// Gathers OptEmbed's compact table (kept rows only, each field at its width) into a new zero-padded [B, F·D] region,
    /// and remembers the widths, so a dense layer reading the region can drop the rows of the removed dimensions
    /// (<see cref="FirstLayer"/>).
    /// </summary>
    public TapeRegion FieldWidthGather(FieldWidthTable table)
    {
        TapeRegion output = Allocate(FieldCount * table.Dim);
        Add(new FieldWidthGatherOp(table, output.Offset));
        _fieldWidths[output] = new FieldWidthEmbeddings(table.FieldDims, table.Dim);
        return output;
    }

    /// <summary>The widths of a region <see cref="FieldWidthGather"/> made; null for any other region.</summary>
    public int[]? FieldWidthsOf(TapeRegion embeddings) => _fieldWidths.TryGetValue(embeddings, out FieldWidthEmbeddings? widths) ? widths.FieldDims : null;

    /// <summary>
    /// A new region whose rows start with the live columns of <paramref name="embeddings"/> (a <see cref="FieldWidthGather"/>
    /// region), each field's preceded by its <paramref name="lead"/> values when given ([B, F, 1]: FNN's first-order
    /// weights), followed by <paramref name="extra"/> columns the caller's ops write. A dense layer reading it drops the
    /// weight rows of the removed dimensions (<see cref="FirstLayer"/>).
    /// </summary>
    public TapeRegion PackFields(TapeRegion embeddings, TapeRegion? lead, int extra)
    {
        FieldWidthEmbeddings widths = _fieldWidths[embeddings];
        var layout = widths with { Lead = lead is null ? 0 : 1, Extra = extra };
        TapeRegion packed = Allocate(layout.PackedWidth);
        Add(new PackFieldsOp(layout, embeddings.Offset, lead?.Offset ?? -1, packed.Offset));
        _packedFields[packed] = layout;
        return packed;
    }

    /// <summary>
    /// The gather of an embedding with tensor-train fields into a new [B, F·D] region: the remaining table by mapped rows,
    /// the train fields contracted per lookup (dense whatever the plan's objective; a pruned table keeps its full form here).
    /// </summary>
    public TapeRegion TensorTrainGather(float[] table, TensorTrainFields tensorTrain, float[][] cores, int dim)
    {
        TapeRegion output = Allocate(FieldCount * dim);
        Add(new TensorTrainGatherOp(table, tensorTrain, cores, FieldCount, dim, output.Offset));
        return output;
    }

    /// <summary>
    /// The gather of an embedding with quotient-remainder fields into a new [B, F·D] region: every lookup's table row by mapped
    /// rows, the quotient-remainder fields' remainder rows joined in per lookup (dense whatever the plan's objective).
    /// </summary>
    public TapeRegion QuotientRemainderGather(float[] table, QuotientRemainderFields fields, int dim)
    {
        TapeRegion output = Allocate(FieldCount * dim);
        Add(new QuotientRemainderGatherOp(table, fields, dim, output.Offset));
        return output;
    }

    /// <summary>
    /// Projects <paramref name="compressed"/> [B, F, k] per field to a new [B, F, t] region (AFM's embeddings), and
    /// remembers how, so a dense layer reading the projection can take the compressed rows instead (<see cref="FirstLayer"/>).
    /// </summary>
    public TapeRegion FieldProjection(float[] weight, float[] bias, int rank, int dim, TapeRegion compressed)
    {
        TapeRegion output = Allocate(FieldCount * dim);
        Add(new FieldProjectionOp(weight, bias, FieldCount, rank, dim, compressed.Offset, output.Offset));
        _projections[output] = new ProjectedEmbeddings(compressed, weight, bias, FieldCount, rank, dim);
        return output;
    }

    /// <summary>
    /// The input and weights of a DNN's first layer y = φ(x·W + b) over <paramref name="input"/>. Over AFM's projected embeddings
    /// the compressed rows through weights with the projection folded in (seed 002, eq. 12; dense [F·k, out] whatever W's zeros),
    /// unless the plan does not fuse or W is pruned and keeping it pruned pays: for speed, its planned form (<see cref="Layer"/>)
    /// ran faster here than the folded layer both for one request and for a block of rows; for memory, it takes fewer bytes.
    /// A layer with no fewer surviving weights than the fold would have is folded without being timed. Over OptEmbed's
    /// narrowed fields (or a region <see cref="PackFields"/> made) the packed dimensions through W without the rows of the removed
    /// ones (exact: those read zeros).
    /// </summary>
    public (TapeRegion Input, float[] Weight, float[] Bias) FirstLayer(TapeRegion input, float[] weight, float[] bias, Activation? activation)
    {
        if (_packedFields.TryGetValue(input, out FieldWidthEmbeddings? layout))
        {
            return (input, layout.Trim(weight, bias.Length), bias);
        }

        if (_fieldWidths.TryGetValue(input, out FieldWidthEmbeddings? widths) && widths.Narrows)
        {
            TapeRegion packed = PackFields(input, lead: null, extra: 0);
            return (packed, _packedFields[packed].Trim(weight, bias.Length), bias);
        }

        if (!fuse || !_projections.TryGetValue(input, out ProjectedEmbeddings? projection))
        {
            return (input, weight, bias);
        }

        (float[] folded, float[] foldedBias) = projection.FoldInto(weight, bias);
        TapeRegion compressed = projection.Compressed;
        bool relu = activation == Activation.Relu;
        bool keepPruned = sparse && activation != Activation.Tanh && bias.Length > 1
            && folded.LongLength > weight.LongLength - weight.Count(w => w == 0f)
            && (objective == PlanObjective.Memory
                ? SparsePlanner.Dense(weight, bias, input.Width, bias.Length, relu, 0, input.Width, false, _gemm, _matVec, objective).Bytes
                  < new DenseOp(folded, foldedBias, compressed.Width, bias.Length, relu, 0, compressed.Width, false, _gemm, _matVec, singleRows: false).Bytes
                : SparsePlanner.PrunedRunsFaster(weight, bias, input.Width, folded, foldedBias, compressed.Width, relu, _gemm, _matVec));
        return keepPruned ? (input, weight, bias) : (compressed, folded, foldedBias);
    }

    /// <summary>Adds Σ_{i&lt;j} r_ij ⟨e_i, e_j⟩ over <paramref name="embeddings"/> [B, F, D], as a dense matrix or a list of surviving pairs.</summary>
    public void FwFMPairs(float[] pairWeights, int dim, TapeRegion embeddings)
    {
        int f = FieldCount;
        int survivors = pairWeights.Count(w => w != 0f);
        // The dense form costs F²·D/16 vector FMAs whatever survives; the pair list costs one D-dot per survivor.
        // In bytes the dense form holds two F² matrices, the list 12 bytes a survivor.
        bool dense = !sparse || (objective == PlanObjective.Memory ? survivors * 3 >= 2 * f * f : survivors * 4 > pairWeights.Length);
        // CLICKWISE_KERNELS=reference: every form runs the reference arithmetic (the forms themselves are the plan's).
        IFwFMKernel? reference = ReferenceEquals(KernelRegistry.FwFM, KernelRegistry.AllFwFM[0]) ? KernelRegistry.FwFM : null;
        Add(new FwFMPairsOp(pairWeights, f, dim, embeddings.Offset, Allocate(FwFMPairsOp.ScratchWidth(f, dim)).Offset, dense, compute,
            reference));
    }

    /// <summary>
    /// A DNN over <paramref name="input"/> whose last layer adds its one output to the logits: dense layers, or for a pruned
    /// ReLU network whatever the sparse planner measured fastest (or smallest).
    /// </summary>
    public void Mlp(IReadOnlyList<float[]> weights, IReadOnlyList<float[]> biases, Activation activation, TapeRegion input)
    {
        // The sparse planner's kernels and live sub-network assume ReLU (a dead unit outputs 0); tanh layers stay dense.
        bool relu = activation == Activation.Relu;
        if (sparse && relu)
        {
            foreach (IInferenceOp op in SparsePlanner.Mlp([.. weights], [.. biases], input.Offset, input.Width, w => Allocate(w).Offset,
                         () => TapeWidth, _gemm, _matVec, objective))
            {
                Add(op);
            }

            return;
        }

        int offset = input.Offset, size = input.Width;
        for (int l = 0; l < weights.Count; l++)
        {
            bool last = l == weights.Count - 1;
            int outputSize = biases[l].Length;
            int output = Allocate(outputSize).Offset;
            Add(new DenseOp(weights[l], biases[l], size, outputSize, relu: !last && relu, offset, output, toLogits: last, _gemm, _matVec,
                tanh: !last && !relu, retainWeight: retainWeights));
            offset = output;
            size = outputSize;
        }
    }

    /// <summary>
    /// One fully connected layer y = φ(x·W + b) over <paramref name="input"/> into a new region, or into the logits when
    /// <paramref name="toLogits"/> (then φ is the identity). In a sparse plan a pruned layer goes through the sparse planner's
    /// per-layer choice (dense, CSR or SELL: by measurement, or by bytes for the smallest plan); its kernels end in a ReLU or
    /// nothing, so a tanh layer stays dense.
    /// </summary>
    public TapeRegion Layer(float[] weight, float[] bias, TapeRegion input, Activation? activation, bool toLogits = false)
    {
        TapeRegion output = Allocate(bias.Length);
        bool relu = activation == Activation.Relu, tanh = activation == Activation.Tanh;
        Add(sparse && !tanh
            ? SparsePlanner.Dense(weight, bias, input.Width, output.Width, relu, input.Offset, output.Offset, toLogits, _gemm, _matVec, objective)
            : new DenseOp(weight, bias, input.Width, output.Width, relu, input.Offset, output.Offset, toLogits, _gemm, _matVec, tanh: tanh,
                retainWeight: retainWeights));
        return output;
    }

    /// <summary>
    /// Hidden layers only (an <see cref="Layers.Mlp"/> without its output unit): every layer activated (<see cref="Layer"/>), the
    /// last one's [B, H_n] output a new region.
    /// </summary>
    public TapeRegion HiddenLayers(IReadOnlyList<float[]> weights, IReadOnlyList<float[]> biases, Activation activation, TapeRegion input)
    {
        TapeRegion current = input;
        for (int l = 0; l < weights.Count; l++)
        {
            current = Layer(weights[l], biases[l], current, activation);
        }

        return current;
    }
}
