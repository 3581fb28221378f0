namespace Clickwise.Kernels;

/// <summary>
/// The optimizers' fused element-wise updates, one pass over w, g and the state slots: a dense parameter in chunks,
/// a row-sparse table one touched row at a time. Every variant uses the same operations in the same order without
/// FMA, so results do not depend on the variant, the vector width or where a row starts: a row updated alone equals
/// the same elements updated inside a dense array.
/// </summary>
public interface IOptimizerKernel
{
    string Name { get; }

    /// <summary>
    /// Adam (PyTorch order): g' = g + λw; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'·g';
    /// w = w − (stepSize·m) / (√v / √bc2 + ε), with stepSize = lr / bc1.
    /// </summary>
    void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamCoefficients c);

    /// <summary>
    /// Adam over a table's touched rows, each exactly as <see cref="Adam"/> on that row alone: row r = rows[k]
    /// (elements [r·width, (r+1)·width) of w, m and v) takes gradient row k of <paramref name="grads"/>. Lazy Adam
    /// counts per row: t = ++steps[r], and <paramref name="c"/> with StepSize = stepSizes[t] and BiasCorrection2Sqrt =
    /// bc2Sqrt[t]. With <paramref name="steps"/> empty every row takes <paramref name="c"/> as it is (SparseAdam: the
    /// table's step count) and the tables are not read. One call a range of rows: an embedding row (D = 10) is too
    /// short to pay a dispatch each.
    /// </summary>
    void AdamRows(Span<float> w, Span<float> m, Span<float> v, Span<int> steps, ReadOnlySpan<int> rows,
                  ReadOnlySpan<float> grads, int width, in AdamCoefficients c, ReadOnlySpan<float> stepSizes,
                  ReadOnlySpan<float> bc2Sqrt);

    /// <summary>Adagrad (PyTorch order): g' = g + λw; s += g'·g'; w = w − (lr·g') / (√s + ε).</summary>
    void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float lr, float l2, float eps);

    /// <summary>
    /// Adagrad over a table's touched rows, each exactly as <see cref="Adagrad"/> on that row alone: row r = rows[k]
    /// (elements [r·width, (r+1)·width) of w and sum) takes gradient row k of <paramref name="grads"/>.
    /// </summary>
    void AdagradRows(Span<float> w, Span<float> sum, ReadOnlySpan<int> rows, ReadOnlySpan<float> grads, int width,
                     float lr, float l2, float eps);

    /// <summary>Plain SGD: w = w − lr·(g + λw).</summary>
    void Sgd(Span<float> w, ReadOnlySpan<float> g, float lr, float l2);

    /// <summary>
    /// FTRL-Proximal per coordinate: σ = (√(n + g²) − √n)/α; z += g − σ·w; n += g²;
    /// w = 0 if |z| ≤ λ1, else −(z − sign(z)·λ1) / ((β + √n)/α + λ2).
    /// </summary>
    void Ftrl(Span<float> w, ReadOnlySpan<float> g, Span<float> z, Span<float> n, float alpha, float beta, float l1, float l2);
}
