namespace Clickwise.Kernels;

/// <summary>
/// FFM pair term (Juan et al. 2016, eq. 2) read from the field-aware table in place:
/// logits[b] += Σ_{i&lt;j} x_i x_j ⟨T[id_i][j], T[id_j][i]⟩, where the table row T[id] [F, D] holds the vectors feature
/// id keeps for meeting each field (field-major), id_i = ids[b, i] and x_i = values[b, i] (1 when no values are given).
/// The forward of FFM training and the inference op alike.
/// </summary>
public interface IFFMKernel
{
    string Name { get; }

    /// <summary>Adds the pair term of rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) to <paramref name="logits"/>.</summary>
    /// <param name="table">[V, F·D] field-aware rows; read at call time.</param>
    /// <param name="ids">[B, F] global row ids.</param>
    /// <param name="values">[B, F] feature values, or empty for all ones.</param>
    /// <param name="logits">[B], accumulated.</param>
    void AddRows(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int fieldCount, int dim,
                 int rowStart, int rowEnd, Span<float> logits);
}
