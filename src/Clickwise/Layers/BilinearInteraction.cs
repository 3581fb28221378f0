using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>Which bilinear matrices FiBiNet shares across field pairs.</summary>
public enum BilinearKind
{
    /// <summary>One W [D, D] for every pair.</summary>
    FieldAll,

    /// <summary>One W_i per field that is ever the left side of a pair: F − 1 matrices.</summary>
    FieldEach,

    /// <summary>One W_ij per pair: P matrices.</summary>
    FieldInteraction,
}

/// <summary>
/// FiBiNet's bilinear interaction: p[b, (i,j)] = (e[b,i]·W) ⊙ e[b,j] for every pair i &lt; j in <see cref="FieldPairs"/>
/// order, with W shared per <see cref="BilinearKind"/>. Parameter {prefix}.weight [matrices, D, D] (1, F − 1 or P matrices), each
/// matrix [in, out]. The products e_i·W are computed once per projection slot (per left field 0..F−2 for
/// FieldAll/FieldEach, per pair for FieldInteraction) and kept for backward, sized for the maximum batch.
/// </summary>
/// <remarks>FiBiNet (Huang et al., "FiBiNET: Combining Feature Importance and Bilinear feature Interaction for CTR
/// Prediction", RecSys 2019), §3.4 eq. 7-9.</remarks>
public sealed class BilinearInteraction
{
    private readonly Parameter _weight;
    private readonly int[] _leftField;     // the field slot s projects [Q]
    private readonly float[] _projected;   // e_i·W [B, Q, D], Q = F − 1 or P
    private readonly float[] _dProjected;  // [B, Q, D]

    public BilinearInteraction(ParameterSet parameters, string prefix, BilinearKind kind, int fieldCount, int dim,
                               int maxBatchSize, SeededRandom initRandom)
    {
        Kind = kind;
        FieldCount = fieldCount;
        Dim = dim;
        PairCount = FieldPairs.Count(fieldCount);
        MaxBatchSize = maxBatchSize;
        int matrices = kind switch
        {
            BilinearKind.FieldAll => 1,
            BilinearKind.FieldEach => fieldCount - 1,
            BilinearKind.FieldInteraction => PairCount,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        _weight = parameters.Add(Parameter.Dense($"{prefix}.weight", ParameterRole.DenseWeight, matrices, dim, dim))
            .Glorot(initRandom, dim, dim);
        ProjectionCount = kind == BilinearKind.FieldInteraction ? PairCount : fieldCount - 1;
        _leftField = new int[ProjectionCount];
        for (int i = 0, p = 0; i < fieldCount - 1; i++)
        {
            for (int j = i + 1; j < fieldCount; j++, p++)
            {
                _leftField[Slot(i, p)] = i;
            }
        }

        _projected = new float[checked(maxBatchSize * ProjectionCount * dim)];
        _dProjected = new float[_projected.Length];
    }

    public BilinearKind Kind { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    public int PairCount { get; }

    public int MaxBatchSize { get; }

    /// <summary>Q: how many vectors e_i·W a sample needs (F − 1, or P for FieldInteraction).</summary>
    private int ProjectionCount { get; }

    /// <param name="embeddings">[B, F, D]; must stay unchanged until backward.</param>
    /// <param name="output">[B, P, D].</param>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int f = FieldCount, d = Dim, q = ProjectionCount;
        ReadOnlySpan<float> w = _weight.Value;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> e = embeddings.Slice(b * f * d, f * d);
            Span<float> t = _projected.AsSpan(b * q * d, q * d);
            t.Clear();
            for (int slot = 0; slot < q; slot++)
            {
                ReadOnlySpan<float> left = e.Slice(_leftField[slot] * d, d), matrix = w.Slice(MatrixIndex(slot) * d * d, d * d);
                Span<float> ts = t.Slice(slot * d, d);
                for (int k = 0; k < d; k++)
                {
                    TensorPrimitives.MultiplyAdd(matrix.Slice(k * d, d), left[k], ts, ts);
                }
            }

            int p = 0;
            for (int i = 0; i < f; i++)
            {
                for (int j = i + 1; j < f; j++, p++)
                {
                    TensorPrimitives.Multiply(t.Slice(Slot(i, p) * d, d), e.Slice(j * d, d), output.Slice((b * PairCount + p) * d, d));
                }
            }
        }
    }

    /// <param name="dOutput">[B, P, D].</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dEmbeddings)
    {
        int f = FieldCount, d = Dim, q = ProjectionCount;
        ReadOnlySpan<float> w = _weight.Value;
        Span<float> dW = _weight.Grad!;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> e = embeddings.Slice(b * f * d, f * d), t = _projected.AsSpan(b * q * d, q * d);
            Span<float> dE = dEmbeddings.Slice(b * f * d, f * d), dT = _dProjected.AsSpan(b * q * d, q * d);
            dT.Clear();
            int p = 0;
            for (int i = 0; i < f; i++)
            {
                for (int j = i + 1; j < f; j++, p++)
                {
                    ReadOnlySpan<float> g = dOutput.Slice((b * PairCount + p) * d, d);
                    Span<float> dTs = dT.Slice(Slot(i, p) * d, d), dEj = dE.Slice(j * d, d);
                    TensorPrimitives.FusedMultiplyAdd(g, e.Slice(j * d, d), dTs, dTs);
                    TensorPrimitives.FusedMultiplyAdd(g, t.Slice(Slot(i, p) * d, d), dEj, dEj);
                }
            }

            // Through t = e_left·W: dE_left[k] += ⟨dT, W[k, :]⟩ and dW[k, :] += e_left[k]·dT.
            for (int slot = 0; slot < q; slot++)
            {
                int left = _leftField[slot], m = MatrixIndex(slot);
                ReadOnlySpan<float> dTs = dT.Slice(slot * d, d), matrix = w.Slice(m * d * d, d * d), el = e.Slice(left * d, d);
                Span<float> dMatrix = dW.Slice(m * d * d, d * d);
                for (int k = 0; k < d; k++)
                {
                    dE[left * d + k] += TensorPrimitives.Dot(dTs, matrix.Slice(k * d, d));
                    TensorPrimitives.MultiplyAdd(dTs, el[k], dMatrix.Slice(k * d, d), dMatrix.Slice(k * d, d));
                }
            }
        }
    }

    /// <summary>The projection slot pair p = (i, j) reads.</summary>
    private int Slot(int i, int pair) => Kind == BilinearKind.FieldInteraction ? pair : i;

    private int MatrixIndex(int slot) => Kind == BilinearKind.FieldAll ? 0 : slot;
}
