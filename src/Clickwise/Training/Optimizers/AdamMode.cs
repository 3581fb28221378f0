namespace Clickwise.Training.Optimizers;

/// <summary>How Adam updates a row-sparse table (embeddings, first-order weights); dense parameters are always dense.</summary>
public enum AdamMode
{
    /// <summary>
    /// Only the rows a batch touched, each with its own step count in the bias correction, L2 on those rows: a rare
    /// row's first update is lr·g/|g| however late it comes.
    /// </summary>
    Lazy,

    /// <summary>
    /// PyTorch's <c>torch.optim.Adam</c> on a dense table: every row every step (an untouched row's gradient is 0 + λw,
    /// so its moments decay and it keeps moving), one step count for the table. What the seed papers' code runs.
    /// </summary>
    Dense,

    /// <summary>
    /// PyTorch's <c>torch.optim.SparseAdam</c>: only the touched rows, bias corrected by the table's step count t, so a
    /// row first touched late moves lr·g/|g|·(1−β1)/(1−β1^t)·√((1−β2^t)/(1−β2)), up to ≈ 3.2× lazy's lr. SparseAdam has
    /// no weight_decay; here L2 adds λw to the touched rows' gradients, as lazy does (λ = 0 is SparseAdam exactly).
    /// </summary>
    Sparse,
}
