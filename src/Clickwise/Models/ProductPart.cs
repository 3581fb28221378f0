using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;
using Clickwise.Inference.Ops;

namespace Clickwise.Models;

/// <summary>
/// PNN's product layer: the DNN input [B, F·D + P + H] = [flattened embeddings ‖ inner products ‖ outer-product
/// signals], either product group optional (IPNN: inner, OPNN: outer, PNN*: both). The outer part has H = P
/// kernels, so OPNN feeds as many product signals as IPNN and PNN*'s two groups weigh the same.
/// </summary>
internal sealed class ProductPart
{
    private readonly int _fieldCount;
    private readonly int _dim;
    private float[] _inner = [];
    private float[] _dInner = [];
    private float[] _outer = [];
    private float[] _dOuter = [];
    private float[] _outerSum = [];
    private float[] _outerProjected = [];
    private float[] _dOuterSum = [];
    private float[] _dOuterProjected = [];

    public ProductPart(ParameterSet parameters, int fieldCount, int dim, bool inner, bool outer, SeededRandom random)
    {
        _fieldCount = fieldCount;
        _dim = dim;
        InnerCount = inner ? FieldPairs.Count(fieldCount) : 0;
        KernelCount = outer ? KernelsFor(fieldCount) : 0;
        Width = fieldCount * dim + InnerCount + KernelCount;
        if (outer)
        {
            Kernels = parameters.Add(Parameter.Dense(KernelsName, ParameterRole.DenseWeight, dim, KernelCount, dim));
            // Xavier-uniform over the [D, H·D] matrix the batch GEMM sees; a per-kernel D×D bound (0.6 at D = 8) makes
            // the signals dwarf the embeddings (OPNN lost 0.015 test AUC on criteo_deeplight_tiny).
            Kernels.Uniform(random, Math.Sqrt(6.0 / (dim + KernelCount * dim)));
        }
    }

    /// <summary>Plans the products and the DNN input for batches of up to <paramref name="maxBatchSize"/> rows.</summary>
    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        Compute = compute;
        _inner = new float[checked(maxBatchSize * InnerCount)];
        _dInner = new float[_inner.Length];
        _outer = new float[checked(maxBatchSize * KernelCount)];
        _dOuter = new float[_outer.Length];
        _outerSum = new float[KernelCount > 0 ? checked(maxBatchSize * _dim) : 0];
        _dOuterSum = new float[_outerSum.Length];
        _outerProjected = new float[checked(maxBatchSize * KernelCount * _dim)];
        _dOuterProjected = new float[_outerProjected.Length];
        Output = new float[checked(maxBatchSize * Width)];
        DOutput = new float[Output.Length];
    }

    /// <summary>The context of the last <see cref="Prepare"/>: threads, kernels and phase marks of this part's passes.</summary>
    public ComputeContext Compute { get; private set; } = ComputeContext.Default;

    /// <summary>The outer-product kernels' parameter name, [D, H, D].</summary>
    public const string KernelsName = "product.kernels";

    /// <summary>H, the outer-product kernel count of a model with <paramref name="fieldCount"/> fields.</summary>
    public static int KernelsFor(int fieldCount) => Math.Max(1, FieldPairs.Count(fieldCount));

    public Parameter? Kernels { get; }

    /// <summary>P when the inner products are on, else 0.</summary>
    public int InnerCount { get; }

    /// <summary>H when the outer products are on, else 0.</summary>
    public int KernelCount { get; }

    /// <summary>F·D + P + H: the DNN's input width.</summary>
    public int Width { get; }

    /// <summary>[B, Width] DNN input.</summary>
    public float[] Output { get; private set; } = [];

    /// <summary>[B, Width] gradient w.r.t. <see cref="Output"/>, written by the DNN.</summary>
    public float[] DOutput { get; private set; } = [];

    public void Forward(ReadOnlySpan<float> embeddings, int batchSize)
    {
        int embWidth = _fieldCount * _dim;
        if (InnerCount > 0)
        {
            InnerProduct.Forward(embeddings, batchSize, _fieldCount, _dim, _inner);
        }

        if (KernelCount > 0)
        {
            OuterProduct.Forward(Compute, embeddings, Kernels!.Value, batchSize, _fieldCount, _dim, KernelCount,
                _outerSum, _outerProjected, _outer);
        }

        for (int b = 0; b < batchSize; b++)
        {
            Span<float> row = Output.AsSpan(b * Width, Width);
            embeddings.Slice(b * embWidth, embWidth).CopyTo(row);
            _inner.AsSpan(b * InnerCount, InnerCount).CopyTo(row[embWidth..]);
            _outer.AsSpan(b * KernelCount, KernelCount).CopyTo(row[(embWidth + InnerCount)..]);
        }
    }

    /// <summary>The DNN input [e ‖ inner products ‖ outer-product signals] as a new region.</summary>
    public TapeRegion Lower(PlanBuilder plan, TapeRegion embeddings)
    {
        // Over OptEmbed's field widths the embeddings go in packed, so the DNN's first layer drops the removed dimensions.
        int products = InnerCount + KernelCount;
        int[]? fieldDims = plan.FieldWidthsOf(embeddings);
        TapeRegion output;
        int embeddingWidth;
        if (fieldDims is null)
        {
            embeddingWidth = _fieldCount * _dim;
            output = plan.Allocate(Width);
            plan.Add(new CopyColumnsOp(embeddings.Offset, embeddingWidth, output.Offset, Width));
        }
        else
        {
            embeddingWidth = fieldDims.Sum();
            output = plan.PackFields(embeddings, lead: null, extra: products);
        }

        int width = embeddingWidth + products;
        if (InnerCount > 0)
        {
            plan.Add(new InnerProductOp(_fieldCount, _dim, embeddings.Offset, output.Offset, width, embeddingWidth));
        }

        if (KernelCount > 0)
        {
            plan.Add(new OuterProductOp(Kernels!.Value, _fieldCount, _dim, KernelCount, embeddings.Offset,
                plan.Allocate(OuterProductOp.ScratchWidth(_dim, KernelCount)).Offset, output.Offset, width, embeddingWidth + InnerCount));
        }

        return output;
    }

    /// <summary>Splits <see cref="DOutput"/>: writes (not accumulates) dEmbeddings, then adds the products' share.</summary>
    public void Backward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> dEmbeddings)
    {
        int embWidth = _fieldCount * _dim;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> row = DOutput.AsSpan(b * Width, Width);
            row[..embWidth].CopyTo(dEmbeddings.Slice(b * embWidth, embWidth));
            row.Slice(embWidth, InnerCount).CopyTo(_dInner.AsSpan(b * InnerCount, InnerCount));
            row.Slice(embWidth + InnerCount, KernelCount).CopyTo(_dOuter.AsSpan(b * KernelCount, KernelCount));
        }

        if (InnerCount > 0)
        {
            InnerProduct.Backward(embeddings, _dInner, batchSize, _fieldCount, _dim, dEmbeddings);
        }

        if (KernelCount > 0)
        {
            OuterProduct.Backward(Compute, Kernels!.Value, _outerSum, _outerProjected, _dOuter, batchSize, _fieldCount, _dim,
                KernelCount, _dOuterProjected, _dOuterSum, dEmbeddings, Kernels.Grad!);
        }
    }
}
