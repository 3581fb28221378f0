using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// OptEmbed's row mask and nested dimension mask over gathered embeddings (seed 004, phase 1). Lookup i of row r in
/// field f reads e = x·v (v = table[r]); with n = ‖v‖₁, the row mask m = S(n − t) (<see cref="ThresholdStep"/>, t the
/// field's or the row's threshold) and the sampled width k (the first k dimensions kept, s_d = 1[d &lt; k]), the
/// output is m·(s ⊙ e). The backward is the straight-through one of the reference code: with g = ∂L/∂out and
/// γ = Σ_d g_d s_d v_d, ∂L/∂v_d = x·(m s_d g_d + γ·H(n − t)·sign v_d) and ∂L/∂t −= x·γ·H(n − t). n is the whole row's
/// norm, not the truncated one's, as in the reference's <c>all</c> mode.
/// </summary>
/// <remarks>Lyu et al., "OptEmbed: Learning Optimal Embedding Table for Click-through Rate Prediction", CIKM 2022, eq. 9-12, 16.</remarks>
public static class EmbeddingRowMask
{
    /// <summary>‖row‖₁, the norm the mask compares with the threshold.</summary>
    public static float Norm(ReadOnlySpan<float> row) => TensorPrimitives.SumOfMagnitudes(row);

    /// <summary>The threshold of lookup <paramref name="index"/>: its field's, or with per-feature thresholds its row's.</summary>
    public static float ThresholdOf(ReadOnlySpan<float> thresholds, bool perFeature, int row, int index, int fieldCount) =>
        thresholds[perFeature ? row : index % fieldCount];

    /// <summary>Whether <paramref name="row"/> of <paramref name="table"/> survives its threshold: ‖v‖₁ &gt; t.</summary>
    public static bool Keeps(ReadOnlySpan<float> table, int row, int dim, float threshold) =>
        Norm(table.Slice(row * dim, dim)) > threshold;

    /// <summary>Per lookup, the margin n − t of its row against its threshold: the mask is S(margin).</summary>
    /// <param name="table">[V, D] rows.</param>
    /// <param name="rows">[B·F] the rows looked up.</param>
    /// <param name="thresholds">[F] or [V] (<paramref name="perFeature"/>).</param>
    /// <param name="margins">[B·F] out.</param>
    public static void Margins(ReadOnlySpan<float> table, ReadOnlySpan<int> rows, ReadOnlySpan<float> thresholds, bool perFeature,
                               int fieldCount, int dim, Span<float> margins)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            margins[i] = Norm(table.Slice(rows[i] * dim, dim)) - ThresholdOf(thresholds, perFeature, rows[i], i, fieldCount);
        }
    }

    /// <summary>
    /// Margins of a fixed row mask (retraining with the searched m_e*): ±∞ by <paramref name="kept"/>, so the mask is S of
    /// them and the estimator H is 0 — no straight-through gradient.
    /// </summary>
    public static void FixedMargins(ReadOnlySpan<int> rows, ReadOnlySpan<float> kept, Span<float> margins)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            margins[i] = kept[rows[i]] > 0f ? float.PositiveInfinity : float.NegativeInfinity;
        }
    }

    /// <param name="margins">[B·F] from <see cref="Margins"/> or <see cref="FixedMargins"/>; empty: no row mask, only the dimension mask.</param>
    /// <param name="keptDims">[B·F] widths 1..D; empty: every dimension.</param>
    /// <param name="output">[B·F, D] gathered x·v, masked in place.</param>
    public static void Forward(ReadOnlySpan<float> margins, int dim, ReadOnlySpan<int> keptDims, Span<float> output)
    {
        int n = output.Length / dim;
        for (int i = 0; i < n; i++)
        {
            Span<float> e = output.Slice(i * dim, dim);
            if (!margins.IsEmpty && ThresholdStep.Step(margins[i]) == 0f)
            {
                e.Clear();
            }
            else if (!keptDims.IsEmpty)
            {
                e[keptDims[i]..].Clear();
            }
        }
    }

    /// <summary>
    /// Rewrites <paramref name="dOutput"/> [B·F, D] into the gradient of the unmasked gather, so the table's scatter
    /// (which multiplies by x) gives ∂L/∂v, and with learnable thresholds accumulates ∂L/∂t into
    /// <paramref name="dThresholds"/> and adds the straight-through term to the rows. The table must hold the rows of the
    /// forward (the backward runs before the step).
    /// </summary>
    /// <param name="margins">The forward's; empty: no row mask.</param>
    /// <param name="dThresholds">[F] or [V]; empty: a fixed mask, no straight-through gradient.</param>
    public static void Backward(ReadOnlySpan<float> table, ReadOnlySpan<int> rows, ReadOnlySpan<float> values, bool hasValues,
                                ReadOnlySpan<float> margins, bool perFeature, int fieldCount, int dim, ReadOnlySpan<int> keptDims,
                                Span<float> dOutput, Span<float> dThresholds)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            Span<float> g = dOutput.Slice(i * dim, dim);
            int kept = keptDims.IsEmpty ? dim : keptDims[i];
            g[kept..].Clear();
            if (margins.IsEmpty)
            {
                continue;
            }

            ReadOnlySpan<float> v = table.Slice(rows[i] * dim, dim);
            float gamma = dThresholds.IsEmpty ? 0f : TensorPrimitives.Dot(g[..kept], v[..kept]);
            float through = gamma * ThresholdStep.Estimator(margins[i]);
            if (ThresholdStep.Step(margins[i]) == 0f)
            {
                g.Clear();
            }

            if (through != 0f)
            {
                for (int d = 0; d < dim; d++)
                {
                    g[d] += through * MathF.Sign(v[d]);
                }

                dThresholds[perFeature ? rows[i] : i % fieldCount] -= (hasValues ? values[i] : 1f) * through;
            }
        }
    }

    /// <summary>
    /// The reference code's OOV mode: a pruned lookup reads its field's OOV row instead, and its gradient follows the
    /// row it read (no straight-through gradient reaches the threshold; the OOV row itself is never pruned).
    /// </summary>
    /// <param name="ids">[B·F] global ids.</param>
    /// <param name="margins">[B·F] the ids' margins.</param>
    /// <param name="oovRows">[F] each field's OOV row.</param>
    /// <param name="rows">[B·F] the rows to gather.</param>
    public static void MapPruned(ReadOnlySpan<int> ids, ReadOnlySpan<float> margins, ReadOnlySpan<int> oovRows, Span<int> rows)
    {
        int fieldCount = oovRows.Length;
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i], oov = oovRows[i % fieldCount];
            rows[i] = id == oov || ThresholdStep.Step(margins[i]) > 0f ? id : oov;
        }
    }
}
