using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Layers;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Adds the FFM pair term Σ_{i&lt;j} x_i x_j ⟨v_{i,f_j}, v_{j,f_i}⟩ to the logits through the registry's
/// <see cref="IFFMKernel"/> (FFM training's forward calls the same kernel), reading the F field-aware rows [F·D] of a
/// request straight from the table: nothing is copied to the tape. Multi-hot rows are pooled first (<see cref="PooledFieldAwareRows"/>).
/// </summary>
internal sealed class FFMOp : IInferenceOp, IOnnxExportable
{
    private readonly float[] _table;
    private readonly int _fieldCount;
    private readonly int _dim;
    private readonly IFFMKernel _kernel = KernelRegistry.FFM;

    /// <param name="table">[V, F·D]: row id holds the F field-aware vectors of feature id, field-major.</param>
    public FFMOp(float[] table, int fieldCount, int dim)
    {
        if (table.Length % ((long)fieldCount * dim) != 0)
        {
            throw new InvalidDataException($"the field-aware table has {table.Length} values, not a multiple of F·D = {fieldCount}·{dim}");
        }

        _table = table;
        _fieldCount = fieldCount;
        _dim = dim;
    }

    public long ParameterCount => _table.LongLength;

    public long Bytes => _table.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        if (extras.IsEmpty)
        {
            _kernel.AddRows(_table, ids, values, _fieldCount, _dim, rowStart, rowEnd, logits);
        }
        else
        {
            PooledFieldAwareRows.AddRows(_kernel, _table, ids, values, extras, _fieldCount, _dim, rowStart, rowEnd, logits);
        }
    }

    /// <summary>
    /// G [N, F, F, D] holds each field's F field-aware rows (scaled by its value), so G[i, j] = x_i v_{i,f_j}; the pair term is
    /// Σ over i &lt; j of ⟨G[i, j], G[j, i]⟩: G ⊙ Gᵀ (fields swapped) masked to the upper triangle and summed.
    /// </summary>
    public void Export(OnnxGraph graph)
    {
        int f = _fieldCount;
        string g = graph.Reshape(graph.Lookup("ffm", _table, f * _dim), -1, f, f, _dim);
        string swapped = graph.Node("Transpose", [g], null, OnnxAttribute.Of("perm", 0L, 2L, 1L, 3L));
        float[] upper = new float[f * f];
        for (int i = 0; i < f; i++)
        {
            for (int j = i + 1; j < f; j++)
            {
                upper[i * f + j] = 1f;
            }
        }

        string pairs = graph.Node("Mul", [graph.Node("Mul", [g, swapped]), graph.Weight("ffm_pairs", upper, f, f, 1)]);
        graph.AddToLogits(graph.Reshape(graph.ReduceSum(pairs, 1, 2, 3), -1, 1));
    }

    public string Describe() =>
        $"ffm pairs F={_fieldCount} D={_dim} rows={_table.LongLength / Math.Max(1L, (long)_fieldCount * _dim)} "
        + $"({(_kernel is SimdFFM ? SimdFFM.Describe(_dim) : _kernel.Name)}, read in place)";
}
