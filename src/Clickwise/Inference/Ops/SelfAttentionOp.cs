using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// AutoInt's L interacting layers over the embedding region, then the output unit: logit += vec(e^(L))·w. Rows are
/// independent, so the op takes a chunk of a few rows through all L layers before the next chunk: per layer one
/// prepared GEMM [c·F, D_in] × [D_in, K·block] yields every head's q, k, v and residual at once (the four
/// projections' columns interleaved per head, block = 4d', or 3d' without the residual), then
/// the context's <see cref="ISelfAttentionKernel"/> (the training layer's forward) turns each sample's rows into the
/// layer output [F, K·d'] = ReLU(residual + attended values), the next layer's GEMM input. The chunk's intermediates (projections and two layer outputs, ~0.25 MB for Criteo's 39 fields at
/// d' = 32) live in a per-thread scratch that is allocated once per thread and reused, so a call allocates nothing and
/// the plan's tape holds no per-row attention state. The chunk is a whole number of the GEMM's 12-row tiles where F
/// allows; a single request is one chunk of F rows. Every row sees the same arithmetic whatever the chunking.
/// </summary>
internal sealed unsafe class SelfAttentionOp : IInferenceOp, IOnnxExportable
{
    private const int MinChunkGemmRows = 128;

    [ThreadStatic]
    private static float[]? t_scratch;

    private readonly IDenseProduct[] _projections;
    private readonly int[] _inputDims;
    private readonly float[] _outputWeight;
    private readonly int _fieldCount, _dim, _headCount, _headDim, _block, _stride, _width, _chunkRows, _kernelScratch;
    private readonly bool _residual;
    private readonly ISelfAttentionKernel _kernel;
    private readonly int _embeddingOffset;

    // Per layer W_Q, W_K, W_V (and W_res) as trained, kept only for an export plan (the GEMM runs on the packed copy).
    private readonly float[][][]? _trained;

    /// <summary>[D_in, K·P·d'] with column h·P·d' + p·d' + c = weights[p][:, h·d' + c] (P = weights.Length).</summary>
    public static float[] Pack(float[][] weights, int inputDim, int heads, int headDim)
    {
        int width = heads * headDim, columns = weights.Length * width;
        float[] packed = new float[inputDim * columns];
        for (int m = 0; m < inputDim; m++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int p = 0; p < weights.Length; p++)
                {
                    weights[p].AsSpan(m * width + h * headDim, headDim)
                        .CopyTo(packed.AsSpan(m * columns + (h * weights.Length + p) * headDim, headDim));
                }
            }
        }

        return packed;
    }

    /// <param name="projections">Per layer, the prepared [D_in, K·block] projection (see <see cref="Pack"/>).</param>
    /// <param name="kernel">The context's attention variant for the head width (its lane count divides d').</param>
    public SelfAttentionOp(IDenseProduct[] projections, int[] inputDims, float[] outputWeight, int fieldCount, int dim, int headCount,
                           int headDim, bool residual, int embeddingOffset, long parameterCount, ISelfAttentionKernel kernel,
                           float[][][]? trained = null)
    {
        _trained = trained;
        if (headDim % kernel.Lanes != 0)
        {
            throw new ArgumentException($"head width {headDim} is not a multiple of {kernel.Lanes} lanes ({kernel.Name})");
        }

        _projections = projections;
        _inputDims = inputDims;
        _outputWeight = outputWeight;
        _fieldCount = fieldCount;
        _dim = dim;
        _headCount = headCount;
        _headDim = headDim;
        _residual = residual;
        _block = (residual ? 4 : 3) * headDim;
        _stride = headCount * _block;
        _width = headCount * headDim;
        _embeddingOffset = embeddingOffset;
        _kernel = kernel;
        _chunkRows = ChunkRows(fieldCount);
        _kernelScratch = kernel.ScratchFloats(fieldCount, headDim);
        ParameterCount = parameterCount;
    }

    public long ParameterCount { get; }

    public long Bytes => ParameterCount * sizeof(float) + _projections.Sum(p => p.Bytes);

    /// <summary>Rows per chunk: the fewest that make c·F a multiple of 12 (the widest GEMM tile), repeated to at least 128 GEMM rows.</summary>
    public static int ChunkRows(int fieldCount)
    {
        int gcd = 12;
        while (fieldCount % gcd != 0 || 12 % gcd != 0)
        {
            gcd--;
        }

        int unit = 12 / gcd;
        int rows = unit;
        while (rows * fieldCount < MinChunkGemmRows)
        {
            rows += unit;
        }

        return rows;
    }

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int f = _fieldCount, rowFloats = f * _width;
        int chunk = Math.Min(_chunkRows, rowEnd - rowStart);
        int projectionFloats = chunk * f * _stride, stateFloats = chunk * rowFloats;
        float[] scratch = Scratch(projectionFloats + 2 * stateFloats + _kernelScratch);
        ReadOnlySpan<float> embeddings = tape.Region(_embeddingOffset, f * _dim, batchSize);
        fixed (float* s = scratch, e = embeddings, w = _outputWeight)
        {
            float* projections = s, stateA = s + projectionFloats, stateB = stateA + stateFloats, kernelScratch = stateB + stateFloats;
            for (int start = rowStart; start < rowEnd; start += chunk)
            {
                int rows = Math.Min(chunk, rowEnd - start), gemmRows = rows * f;
                float* input = e + (long)start * f * _dim;
                float* output = stateA;
                for (int l = 0; l < _projections.Length; l++)
                {
                    output = l % 2 == 0 ? stateA : stateB;
                    _projections[l].Forward(new ReadOnlySpan<float>(input, gemmRows * _inputDims[l]), gemmRows,
                        new Span<float>(projections, gemmRows * _stride));
                    for (int r = 0; r < rows; r++)
                    {
                        Attend(projections + (long)r * f * _stride, kernelScratch, output + (long)r * rowFloats);
                    }

                    input = output;
                }

                var outputWeight = new ReadOnlySpan<float>(w, rowFloats);
                for (int r = 0; r < rows; r++)
                {
                    logits[start + r] += TensorPrimitives.Dot(new ReadOnlySpan<float>(output + (long)r * rowFloats, rowFloats), outputWeight);
                }
            }
        }
    }

    /// <summary>
    /// Per layer: q, k, v as [N, K, F, d'] (a MatMul, a reshape and a transpose each), softmax(q·kᵀ) unscaled over the keys,
    /// times v, heads merged back to [N, F, K·d'], plus x·W_res, ReLU; then the flattened output through the output unit.
    /// </summary>
    public void Export(OnnxGraph graph)
    {
        float[][][] trained = _trained ?? throw new InvalidOperationException("an attention op of a serving plan has no trained projections to export");
        int f = _fieldCount, width = _width;
        string x = graph.Reshape(graph.Read(_embeddingOffset, f * _dim), -1, f, _dim);
        for (int l = 0; l < trained.Length; l++)
        {
            string layerInput = x;
            int inputDim = _inputDims[l];
            string Project(float[] weight) => graph.Node("MatMul", [layerInput, graph.Weight("attention", weight, inputDim, width)]);
            string Heads(float[] weight) =>
                graph.Node("Transpose", [graph.Reshape(Project(weight), -1, f, _headCount, _headDim)], null, OnnxAttribute.Of("perm", 0L, 2L, 1L, 3L));
            string keys = graph.Node("Transpose", [Heads(trained[l][1])], null, OnnxAttribute.Of("perm", 0L, 1L, 3L, 2L));
            string weights = graph.Node("Softmax", [graph.Node("MatMul", [Heads(trained[l][0]), keys])], null, OnnxAttribute.Of("axis", -1L));
            string attended = graph.Node("MatMul", [weights, Heads(trained[l][2])]);
            string merged = graph.Reshape(graph.Node("Transpose", [attended], null, OnnxAttribute.Of("perm", 0L, 2L, 1L, 3L)), -1, f, width);
            x = graph.Node("Relu", [_residual ? graph.Node("Add", [merged, Project(trained[l][3])]) : merged]);
        }

        graph.AddToLogits(graph.Dot(graph.Reshape(x, -1, f * width), _outputWeight));
    }

    public string Describe() =>
        $"self-attention L={_projections.Length} K={_headCount} d'={_headDim} F={_fieldCount} D={_dim}{(_residual ? " residual" : "")}"
        + $" ({_kernel.Name}, {_chunkRows} rows per chunk)";

    private void Attend(float* projections, float* scratch, float* output)
    {
        _kernel.PackedLayer(projections, _stride, _block, _fieldCount, _headCount, _headDim, _residual, scratch, output);
    }

    /// <summary>This thread's scratch, grown (once) to the largest chunk it has run.</summary>
    private static float[] Scratch(int floats)
    {
        float[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < floats)
        {
            t_scratch = scratch = GC.AllocateUninitializedArray<float>(floats, pinned: true);
        }

        return scratch;
    }
}
