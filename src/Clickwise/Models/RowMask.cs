using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// What OptEmbed keeps of the shared table (seed 004), as the evaluation forward and the compiled plan read it: the rows
/// whose ‖v‖₁ exceeds the threshold of their field (or their own), in OOV mode each field's OOV row too, which stands in
/// for the pruned ones (or, when retraining, the rows a fixed mask keeps); and each field's first D_f dimensions. Sparsity is the paper's, 1 − Σ_f kept_f·D_f / (V·D).
/// </summary>
public sealed class RowMask
{
    private readonly float[] _table;
    private readonly float[]? _thresholds;
    private readonly float[]? _kept;
    private readonly bool _perFeature;
    private readonly PrunedRows _pruned;

    /// <param name="thresholds">[F] or [V] by <paramref name="scope"/>; null with <see cref="RowThreshold.None"/> (every row kept).</param>
    /// <param name="fieldDims">[F] widths D_f; empty: every field D wide.</param>
    /// <param name="kept">[V] a fixed mask (1 kept, 0 pruned) instead of thresholds; null: none.</param>
    public RowMask(FeatureLayout layout, int dim, float[] table, float[]? thresholds, RowThreshold scope, PrunedRows pruned, int[] fieldDims,
                   float[]? kept = null)
    {
        if (fieldDims.Length is not 0 && fieldDims.Length != layout.FieldCount)
        {
            throw new ArgumentException($"embedding_field_dims gives {fieldDims.Length} widths for {layout.FieldCount} fields: one per field.");
        }

        Layout = layout;
        Dim = dim;
        _table = table;
        _thresholds = scope == RowThreshold.None ? null : thresholds ?? throw new ArgumentNullException(nameof(thresholds));
        _kept = kept;
        _perFeature = scope == RowThreshold.Feature;
        _pruned = pruned;
        FieldDims = fieldDims.Length > 0 ? fieldDims : [.. Enumerable.Repeat(dim, layout.FieldCount)];
    }

    /// <summary>The mask of a model's shared table from its config and tensors (<c>embedding</c>, <c>embedding.threshold</c>); null without OptEmbed settings.</summary>
    public static RowMask? Of(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]> tensors) =>
        !config.HasEmbeddingMask
            ? null
            : new RowMask(layout, config.EmbeddingDim, tensors[EmbeddingPart.DefaultName],
                tensors.GetValueOrDefault($"{EmbeddingPart.DefaultName}.threshold"), config.EmbeddingThreshold, config.EmbeddingPrunedRows,
                config.EmbeddingFieldDims, config.EmbeddingKeptRows ? tensors[$"{EmbeddingPart.DefaultName}.kept"] : null);

    public FeatureLayout Layout { get; }

    public int Dim { get; }

    public PrunedRows PrunedRows => _pruned;

    /// <summary>The [V, D] table the mask reads.</summary>
    public ReadOnlySpan<float> Table => _table;

    /// <summary>[F] each field's width D_f (D when not searched).</summary>
    public int[] FieldDims { get; }

    public bool Keeps(int row, int field) =>
        (_thresholds is null && _kept is null)
        || (_pruned == PrunedRows.Oov && row == OovRow(field))
        || (_kept is not null ? _kept[row] > 0f : EmbeddingRowMask.Keeps(_table, row, Dim, _thresholds![_perFeature ? row : field]));

    public int OovRow(int field) => Layout.Offsets[field] + FeatureMap.OovId;

    /// <summary>Per field, how many of its rows are kept.</summary>
    public int[] KeptRowsPerField() =>
        [.. Enumerable.Range(0, Layout.FieldCount).Select(f => Enumerable.Range(Layout.Offsets[f], Layout.Sizes[f]).Count(r => Keeps(r, f)))];

    /// <summary>Σ_f kept_f·D_f for the widths <paramref name="fieldDims"/> (this mask's own when null): the table's remaining parameters.</summary>
    public long KeptParameters(int[]? fieldDims = null, int[]? keptRows = null)
    {
        fieldDims ??= FieldDims;
        keptRows ??= KeptRowsPerField();
        return Enumerable.Range(0, Layout.FieldCount).Sum(f => (long)keptRows[f] * fieldDims[f]);
    }

    /// <summary>1 − Σ_f kept_f·D_f / (V·D): the share of the table's parameters OptEmbed removes.</summary>
    public double Sparsity => 1 - (KeptParameters() / ((double)Layout.TotalRows * Dim));
}
