namespace Clickwise.Kernels;

/// <summary>
/// Embedding lookup over flattened (batch, field) slots: N = B·F ids, table [rows, D], output [N, D]; and its
/// scatter-add into the compact gradient rows of the touched table rows.
/// </summary>
public interface IEmbeddingKernel
{
    string Name { get; }

    /// <summary>output[n, :] = table[ids[n], :] · values[n] (values empty means 1).</summary>
    void Gather(ReadOnlySpan<float> table, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                Span<float> output);

    /// <summary>
    /// dRows[slots[n], :] += dOutput[n, :] · values[n] (values empty means 1) for the lookups n whose slot part
    /// <paramref name="part"/> of <paramref name="partCount"/> owns (<see cref="SlotOwnership"/>), in lookup order,
    /// so any split over parts gives the bits of one part.
    /// </summary>
    /// <param name="slots">[N] gradient rows of the lookups (<see cref="Layers.RowGradient.Register"/>).</param>
    /// <param name="dRows">[slots, D], accumulated.</param>
    void Scatter(ReadOnlySpan<float> dOutput, int dim, ReadOnlySpan<int> slots, ReadOnlySpan<float> values,
                 Span<float> dRows, int part, int partCount);

    /// <summary>
    /// output[n, :] += table[ids[e], :] · values[e] for every extra feature e of lookup n (n counted from the first
    /// offset), in entry order, multiply then add: after <see cref="Gather"/> this pools a multi-hot field,
    /// Σ_k v_k·table[id_k].
    /// </summary>
    void GatherExtra(ReadOnlySpan<float> table, int dim, ExtraLookups extras, Span<float> output);

    /// <summary>
    /// dRows[slots[e], :] += dOutput[n, :] · values[e] for the extra features e of lookup n whose slot part
    /// <paramref name="part"/> of <paramref name="partCount"/> owns, in entry order: each pooled feature's share of its
    /// field's gradient. Runs after <see cref="Scatter"/> of the same lookups, so a slot's sum has one order.
    /// </summary>
    /// <param name="slots">[E] gradient rows of the extra features, indexed like their entries.</param>
    void ScatterExtra(ReadOnlySpan<float> dOutput, int dim, ExtraLookups extras, ReadOnlySpan<int> slots,
                      Span<float> dRows, int part, int partCount);
}
